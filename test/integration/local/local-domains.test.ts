/**
 * The local runtime's `--domain` list as declared domains (local-domains.ts), over dynalite and a
 * loopback DNS server: added with owner `stack` and an identity, unchanged by a restart with the
 * same list, removed when dropped (kept while an address is on it), refused past `maxDomains`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoAddressRouteStore } from '../../../lambdas/adapters/dynamodb/config-store.ts';
import { startLocalDomains, type LocalDomains } from '../../../lambdas/local/local-domains.ts';
import { startDynalite, type RunningService } from '../../../lambdas/local/services.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { addressRoute } from '../../support/factories.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';

let dynalite: RunningService;
let tables: Tables;
let dns: TestDnsServer;
let dataDir: string;
let started: LocalDomains[];

beforeAll(async () => {
  dynalite = await startDynalite();
  dns = await startTestDns({});
});
afterAll(async () => {
  await dns?.stop();
  await dynalite?.stop();
});
beforeEach(async () => {
  tables = await createTables(dynalite.endpoint, 'localdomains');
  dataDir = await mkdtemp(join(tmpdir(), 'postroom-domains-'));
  started = [];
  return async () => {
    await Promise.all(started.map((s) => s.stop()));
    tables.destroy();
    await rm(dataDir, { recursive: true, force: true });
  };
});

async function start(declared: readonly string[], log: string[] = [], maxDomains?: number): Promise<LocalDomains> {
  const domains = await startLocalDomains({
    doc: tables.doc,
    configTable: tables.config,
    region: 'us-east-1',
    declared,
    dataDir,
    dnsServers: [dns.server],
    ...(maxDomains !== undefined && { maxDomains }),
    log: (line) => log.push(line),
  });
  started.push(domains);
  return domains;
}

describe('the local declared domains', () => {
  it('adds each --domain with owner stack and an identity, and a restart with the same list changes nothing', async () => {
    const first = await (await start(['Example.test', 'support.example.test'])).service.list();
    const again = await (await start(['example.test', 'support.example.test'])).service.list();

    expect(first.map((d) => [d.name, d.owner, d.sesIdentity, d.dkimTokens.length])).toEqual([
      ['example.test', 'stack', 'created', 3],
      ['support.example.test', 'stack', 'created', 3],
    ]);
    expect(again.map((d) => [d.name, d.dkimTokens, d.createdAt, d.sesIdentity])).toEqual(first.map((d) => [d.name, d.dkimTokens, d.createdAt, d.sesIdentity]));
  });

  it('removes a domain dropped from --domain at the next start, but keeps one with an address on it and says why', async () => {
    await start(['old.example.test', 'routed.example.test']);
    await new DynamoAddressRouteStore(tables.doc, tables.config).create(addressRoute('help@routed.example.test'));
    const log: string[] = [];

    const names = (await (await start(['example.test'], log, 3)).service.list()).map((d) => d.name);

    expect(names).toEqual(['example.test', 'routed.example.test']);
    expect(log).toContain('domains: removed old.example.test, no longer in --domain');
    expect(log.find((l) => l.startsWith('domains: kept routed.example.test'))).toMatch(/help@routed\.example\.test/);
  });

  it('refuses to start with more declared domains than --max-domains allows', async () => {
    await expect(start(['a.example.test', 'b.example.test', 'c.example.test'])).rejects.toThrow(/at most 2 domains/);
  });

  it('says so at start when more domains are stored than a lowered --max-domains allows, and removes none', async () => {
    // Prepare: one declared domain and two an admin added
    const first = await start(['a.example.test'], [], 3);
    await first.service.add({ name: 'b.example.test' }, 'api');
    await first.service.add({ name: 'c.example.test' }, 'api');
    const log: string[] = [];

    // Act: a restart with the limit lowered to 1
    const names = (await (await start(['a.example.test'], log, 1)).service.list()).map((d) => d.name);

    // Assess
    expect(names).toEqual(['a.example.test', 'b.example.test', 'c.example.test']);
    expect(log).toContain('domains: 3 domains are stored, more than --max-domains 1 allows; none can be added until some are removed');
  });
});
