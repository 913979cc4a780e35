/**
 * The local scheduled domain check: the domain store on dynalite, the SES identity stand-in and
 * the DNS lookup on a loopback DNS server. A stored domain turns verified once its plan is
 * published; one failing domain does not stop the others; a domain changed meanwhile keeps the change.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDnsLookup } from '../../../lambdas/adapters/dns/dns-lookup.ts';
import { DynamoDomainStore } from '../../../lambdas/adapters/dynamodb/domain-store.ts';
import { planOf, type DomainCheckDeps } from '../../../lambdas/core/domains/domain-check.ts';
import type { Domain, DomainStore } from '../../../lambdas/core/domains/domain.ts';
import { startDomainCheckLoop, type DomainCheckLoop } from '../../../lambdas/local/domain-check-loop.ts';
import { LocalSesIdentities } from '../../../lambdas/local/ses-identities.ts';
import { startDynalite, type RunningService } from '../../../lambdas/local/services.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { eventually } from '../../support/eventually.ts';
import { publish, SES_PUBLISHED, zoneOfRecords } from '../../support/zone-fragment.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';

const REGION = 'eu-west-1';
const CREATED = '2026-11-26T09:00:00.000Z';

let dynalite: RunningService;
let tables: Tables;
let dns: TestDnsServer;
let store: DynamoDomainStore;
let ses: LocalSesIdentities;
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
  ses = await LocalSesIdentities.open({ lookup, region: REGION });
  loops = [];
  return async () => {
    await Promise.all(loops.map((l) => l.stop()));
    await dns.stop();
    tables.destroy();
  };
});

function deps(overrides: Partial<DomainCheckDeps> = {}): DomainCheckDeps {
  return { ses, lookup: createDnsLookup({ servers: [dns.server], timeoutMs: 300, tries: 1 }), region: REGION, now: () => new Date(), ...overrides };
}

function start(options: { store?: DomainStore; check?: DomainCheckDeps; intervalMs?: number; log?: string[] } = {}): DomainCheckLoop {
  const loop = startDomainCheckLoop({
    store: options.store ?? store,
    check: options.check ?? deps(),
    intervalMs: options.intervalMs ?? 60_000,
    log: (line) => options.log?.push(line),
  });
  loops.push(loop);
  return loop;
}

/** A domain as the registry stores it after `add`, with its identity in the stand-in. */
async function added(name: string): Promise<Domain> {
  const { status } = await ses.ensure({ domain: name, mailFromDomain: `bounce.${name}` });
  const domain: Domain = {
    name,
    mailFromDomain: `bounce.${name}`,
    owner: 'api',
    sesIdentity: 'created',
    dkimTokens: status.dkimTokens,
    publishedRecords: [],
    createdAt: CREATED,
    updatedAt: CREATED,
  };
  expect(await store.create(domain)).toBe('created');
  return domain;
}

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
    expect(after.verifiedAt).toBe(after.checkedAt);
    expect(log).toContain('domain check: support.example.org is verified for sending');
  });

  it('checks every other domain when one check fails, and says which failed', async () => {
    await added('one.example.org');
    await added('two.example.org');
    const failing: DomainCheckDeps = deps({
      ses: { ensure: (r) => ses.ensure(r), remove: (d) => ses.remove(d), status: (d) => (d === 'one.example.org' ? Promise.reject(new Error('SES is down')) : ses.status(d)) },
    });

    const report = await start({ check: failing }).runOnce();

    expect(report).toEqual({ stored: ['two.example.org'], failed: [{ name: 'one.example.org', message: 'SES is down' }] });
    expect((await store.get('one.example.org'))?.status).toBeUndefined();
    expect((await store.get('two.example.org'))?.status?.identity).toBe('pending');
  });

  it('reads a domain changed since the list again and stores the status on top of the change', async () => {
    const stale = await added('support.example.org');
    const changed: Domain = { ...stale, dmarcReportAddress: 'dmarc@example.org', updatedAt: '2026-11-26T09:30:00.000Z' };
    expect(await store.update(changed, stale.updatedAt)).toBe('updated');
    const listsStale: DomainStore = { ...bound(store), list: async () => [stale] };

    const report = await start({ store: listsStale }).runOnce();
    const stored = await store.get(stale.name);

    expect(report.stored).toEqual([stale.name]);
    expect(stored?.dmarcReportAddress).toBe('dmarc@example.org');
    expect(stored?.status?.checkedAt).toBe(stored?.updatedAt);
  });
});

/** The store's methods bound, so a test can replace one. */
function bound(s: DomainStore): DomainStore {
  return { get: (n) => s.get(n), list: () => s.list(), create: (d) => s.create(d), update: (d, e) => s.update(d, e), delete: (n) => s.delete(n) };
}
