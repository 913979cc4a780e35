/**
 * The local scheduled domain check: the registry over the domain store on dynalite, the SES
 * identity stand-in and the DNS lookup on a loopback DNS server. A domain turns verified once its
 * plan is published; one failing domain does not stop the others; a domain being added or removed
 * meanwhile is no failure.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDnsLookup } from '../../../lambdas/adapters/dns/dns-lookup.ts';
import { DynamoDomainStore } from '../../../lambdas/adapters/dynamodb/domain-store.ts';
import { planOf } from '../../../lambdas/core/domains/domain-check.ts';
import type { Domain } from '../../../lambdas/core/domains/domain.ts';
import { DomainService } from '../../../lambdas/core/domains/domain-service.ts';
import { startDomainCheckLoop, type DomainCheckLoop } from '../../../lambdas/local/domain-check-loop.ts';
import { LocalSesIdentities } from '../../../lambdas/local/ses-identities.ts';
import { startDynalite, type RunningService } from '../../../lambdas/local/services.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { eventually } from '../../support/eventually.ts';
import { publish, SES_PUBLISHED, zoneOfRecords } from '../../support/zone-fragment.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';

const REGION = 'eu-west-1';

let dynalite: RunningService;
let tables: Tables;
let dns: TestDnsServer;
let store: DynamoDomainStore;
let registry: DomainService;
let loops: DomainCheckLoop[];

beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite?.stop();
});
beforeEach(async () => {
  tables = await createTables(dynalite.endpoint, 'checkloop');
  store = new DynamoDomainStore(tables.doc, tables.config);
  dns = await startTestDns(SES_PUBLISHED);
  const lookup = createDnsLookup({ servers: [dns.server], timeoutMs: 300, tries: 1 });
  const ses = await LocalSesIdentities.open({ lookup, region: REGION });
  registry = new DomainService({ store, ses, lookup, region: REGION, maxDomains: 5, now: () => new Date() });
  loops = [];
  return async () => {
    await Promise.all(loops.map((l) => l.stop()));
    await dns.stop();
    tables.destroy();
  };
});

function start(options: { registry?: Pick<DomainService, 'list' | 'check'>; intervalMs?: number; log?: string[] } = {}): DomainCheckLoop {
  const loop = startDomainCheckLoop({
    registry: options.registry ?? registry,
    intervalMs: options.intervalMs ?? 60_000,
    log: (line) => options.log?.push(line),
  });
  loops.push(loop);
  return loop;
}

const added = async (name: string): Promise<Domain> => (await registry.add({ name }, 'api')).domain;

describe('the local domain check loop', () => {
  it('stores pending with records missing, then verified and DNS ok once the plan is published, by itself', async () => {
    const domain = await added('support.example.org');
    const log: string[] = [];
    const loop = start({ intervalMs: 100, log });
    await loop.runOnce();
    const before = (await store.get(domain.name))?.status;

    publish(dns, zoneOfRecords(planOf(domain, REGION).records));
    const after = await eventually(async () => {
      const status = (await store.get(domain.name))?.status;
      return status?.verifiedForSending ? status : undefined;
    });

    expect(before).toMatchObject({ identity: 'pending', dkim: 'pending', mailFrom: 'pending', verifiedForSending: false, dns: 'action-needed' });
    expect(after).toMatchObject({ identity: 'verified', dkim: 'verified', mailFrom: 'verified', dns: 'ok' });
    // Set by the run that first saw it verified; later runs (every 100 ms) keep it.
    expect(Date.parse(after.verifiedAt!)).toBeLessThanOrEqual(Date.parse(after.checkedAt));
    expect(Date.parse(after.verifiedAt!)).toBeGreaterThan(Date.parse(before!.checkedAt));
    expect(log).toContain('domain check: support.example.org is verified for sending');
  });

  it('checks every other domain when one check fails, and says which failed', async () => {
    await added('one.example.org');
    await added('two.example.org');
    const failing: Pick<DomainService, 'list' | 'check'> = {
      list: () => registry.list(),
      check: (name) => (name === 'one.example.org' ? Promise.reject(new Error('SES is down')) : registry.check(name)),
    };

    const report = await start({ registry: failing }).runOnce();

    expect(report).toEqual({ stored: ['two.example.org'], failed: [{ name: 'one.example.org', message: 'SES is down' }] });
    expect((await store.get('one.example.org'))?.status).toBeUndefined();
    expect((await store.get('two.example.org'))?.status?.identity).toBe('pending');
  });

  it('leaves a domain being added to the next run, and counts one removed since the list as no failure', async () => {
    const settled = await added('settled.example.org');
    const removed = await added('removed.example.org');
    const adding: Domain = { ...settled, name: 'adding.example.org', provisioning: true, dkimTokens: [] };
    expect(await store.create(adding)).toBe('created');
    await registry.remove(removed.name, 'api');
    const listsStale: Pick<DomainService, 'list' | 'check'> = { list: async () => [adding, removed, settled], check: (name) => registry.check(name) };

    const report = await start({ registry: listsStale }).runOnce();

    expect(report).toEqual({ stored: ['settled.example.org'], failed: [] });
    expect((await store.get(adding.name))?.status).toBeUndefined();
  });
});
