/**
 * The scheduled domain check over in-memory ports: statuses stored with the conditional update,
 * events only for stored transitions (a second run announces nothing new), one failing domain
 * never stops the others, a conflict is checked once more, and the recipients are repaired.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Domain, DomainStore } from '../../../../lambdas/core/domains/domain.ts';
import type { DomainEvent } from '../../../../lambdas/core/domains/domain-events.ts';
import type { DnsAnswer, SesIdentityPort, SesIdentityStatus } from '../../../../lambdas/core/domains/model.ts';
import { runScheduledCheck, type ScheduledCheckDeps } from '../../../../lambdas/core/domains/scheduled-check.ts';

/** A DomainStore in memory, with the conditional update the DynamoDB one has. */
class MemoryStore implements DomainStore {
  readonly items = new Map<string, Domain>();
  /** Called before an update is applied, to simulate a concurrent writer. */
  beforeUpdate?: (name: string) => void;
  async get(name: string) {
    return this.items.get(name);
  }
  async list() {
    return [...this.items.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  async create(d: Domain) {
    if (this.items.has(d.name)) return 'exists' as const;
    this.items.set(d.name, d);
    return 'created' as const;
  }
  async update(d: Domain, expected: string) {
    this.beforeUpdate?.(d.name);
    const current = this.items.get(d.name);
    if (!current) return 'missing' as const;
    if (current.updatedAt !== expected) return 'conflict' as const;
    this.items.set(d.name, d);
    return 'updated' as const;
  }
  async delete(name: string) {
    return this.items.delete(name);
  }
}

function domain(name: string): Domain {
  return {
    name,
    mailFromDomain: `bounce.${name}`,
    owner: 'api',
    sesIdentity: 'created',
    dkimTokens: ['t1', 't2', 't3'],
    publishedRecords: [],
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
  };
}

const sesState = new Map<string, SesIdentityStatus | Error>();
const ses: SesIdentityPort = {
  ensure: async () => {
    throw new Error('not used');
  },
  status: async (name) => {
    const s = sesState.get(name);
    if (s instanceof Error) throw s;
    return s;
  },
  remove: async () => {},
};
const verified: SesIdentityStatus = { identity: 'verified', dkim: 'verified', mailFrom: 'verified', dkimTokens: ['t1', 't2', 't3'], verifiedForSending: true };
const pending: SesIdentityStatus = { ...verified, identity: 'pending', dkim: 'pending', verifiedForSending: false };

let store: MemoryStore;
let published: DomainEvent[][];
let synced: (readonly string[])[];
let clock: number;
let deps: ScheduledCheckDeps;

beforeEach(() => {
  store = new MemoryStore();
  published = [];
  synced = [];
  sesState.clear();
  clock = Date.parse('2026-11-26T18:00:00.000Z');
  deps = {
    store,
    ses,
    lookup: { lookup: async (): Promise<DnsAnswer> => ({ kind: 'none' }) },
    region: 'eu-west-1',
    now: () => new Date((clock += 1000)),
    recipients: { sync: async (names) => void synced.push(names) },
    events: { publish: async (events) => void published.push([...events]) },
  };
});

describe('runScheduledCheck', () => {
  it('stores each status and announces a domain that became verified, once', async () => {
    // Prepare
    await store.create(domain('acme.com'));
    sesState.set('acme.com', verified);
    // Act: two runs
    const first = await runScheduledCheck(deps);
    const second = await runScheduledCheck(deps);
    // Assess
    expect(first.events.map((e) => e.kind)).toEqual(['verified']);
    expect(second.events).toEqual([]);
    expect(published).toHaveLength(1);
    expect((await store.get('acme.com'))!.status).toMatchObject({ verifiedForSending: true, identity: 'verified' });
  });

  it('still announces a domain verified when a manual check stored the verified status before the run', async () => {
    // Prepare: the admin's `domain check` (DomainService.check) stored the status, announcing nothing
    await store.create(domain('acme.com'));
    sesState.set('acme.com', pending);
    await runScheduledCheck(deps);
    sesState.set('acme.com', verified);
    const before = (await store.get('acme.com'))!;
    await store.update({ ...before, status: { ...before.status!, identity: 'verified', dkim: 'verified', verifiedForSending: true }, updatedAt: 'manual' }, before.updatedAt);

    // Act
    const run = await runScheduledCheck(deps);

    // Assess
    expect(run.events.map((e) => e.kind)).toEqual(['verified']);
    expect(published.flat().map((e) => e.kind)).toEqual(['verified']);
  });

  it('goes on with the other domains when one fails, and reports it', async () => {
    await store.create(domain('a.acme.com'));
    await store.create(domain('b.acme.com'));
    sesState.set('a.acme.com', new Error('SES GetEmailIdentity failed: Throttling'));
    sesState.set('b.acme.com', pending);
    const report = await runScheduledCheck(deps);
    expect(report.failures).toEqual([{ domain: 'a.acme.com', error: 'SES GetEmailIdentity failed: Throttling' }]);
    expect((await store.get('b.acme.com'))!.status).toMatchObject({ verifiedForSending: false });
    expect(report.unverified).toBe(1);
  });

  it('checks a domain once more when an admin changed it meanwhile, and stores on the fresh record', async () => {
    await store.create(domain('acme.com'));
    sesState.set('acme.com', pending);
    let raced = false;
    store.beforeUpdate = (name) => {
      if (raced) return;
      raced = true;
      store.items.set(name, { ...store.items.get(name)!, dmarcReportAddress: 'dmarc@acme.com', updatedAt: '2026-11-26T17:59:00.000Z' });
    };
    const report = await runScheduledCheck(deps);
    expect(report.failures).toEqual([]);
    expect(await store.get('acme.com')).toMatchObject({ dmarcReportAddress: 'dmarc@acme.com', status: { identity: 'pending' } });
  });

  it('skips a domain removed while it was being checked', async () => {
    await store.create(domain('acme.com'));
    sesState.set('acme.com', verified);
    store.beforeUpdate = (name) => void store.items.delete(name);
    const report = await runScheduledCheck(deps);
    expect(report).toMatchObject({ failures: [], events: [] });
  });

  it('sets the receipt rule recipients to the stored domains, and reports a failed sync', async () => {
    await store.create(domain('b.acme.com'));
    await store.create(domain('a.acme.com'));
    sesState.set('a.acme.com', pending);
    sesState.set('b.acme.com', pending);
    await runScheduledCheck(deps);
    expect(synced).toEqual([['a.acme.com', 'b.acme.com']]);
    const failing = await runScheduledCheck({ ...deps, recipients: { sync: async () => Promise.reject(new Error('rule missing')) } });
    expect(failing.failures).toEqual([{ domain: '(receipt rule recipients)', error: 'rule missing' }]);
  });

  it('announces drift of a record that was right, after the status is stored', async () => {
    // Prepare: the last run stored and announced that the SPF was ok; DNS now has nothing
    const d = domain('acme.com');
    const last = { checkedAt: d.updatedAt, identity: 'verified', dkim: 'verified', mailFrom: 'verified', verifiedForSending: true, dns: 'ok',
      records: [{ name: 'acme.com', type: 'TXT', purpose: 'spf', state: 'ok' }] } as const;
    await store.create({ ...d, status: last, announcedStatus: last });
    sesState.set('acme.com', verified);
    // Act
    const report = await runScheduledCheck(deps);
    // Assess
    expect(report.events).toEqual([expect.objectContaining({ kind: 'drift', record: { name: 'acme.com', type: 'TXT', purpose: 'spf' }, now: 'missing' })]);
  });
});
