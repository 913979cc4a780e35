/**
 * CachedServedDomains over the config table on DynamoDB Local: the TTL, the bounded refresh on a
 * miss, and what a read failure does (the last good list, or the error when there is none).
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_CACHE_TTL_MS } from '../../../lambdas/adapters/config/routing-config-source.ts';
import { CachedServedDomains, MISSED_DOMAIN_REFRESH_MS } from '../../../lambdas/adapters/config/served-domains.ts';
import { DynamoDomainStore } from '../../../lambdas/adapters/dynamodb/domain-store.ts';
import type { DomainStore } from '../../../lambdas/core/domains/domain.ts';
import type { RunningService } from '../../../lambdas/local/services.ts';
import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import { domainRecord } from '../../support/factories.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';

let service: RunningService;
let tables: Tables;
let store: DomainStore;
let reads: number;
let now: number;
const clock = () => now;
/** The store, counting the reads that reach DynamoDB: the cost the cache bounds. */
const counted = { list: () => (reads++, store.list()) };

beforeAll(async () => {
  service = await startDynamoDbLocal();
}, 90_000);

afterAll(async () => {
  await service?.stop();
});

beforeEach(async () => {
  tables = await createTables(service.endpoint, 'served');
  store = new DynamoDomainStore(tables.doc, tables.config);
  await store.create(domainRecord('support.example.com'));
  reads = 0;
  now = 1_000_000;
  return () => tables.destroy();
});

describe('CachedServedDomains', () => {
  it('reads the stored domains once per TTL', async () => {
    // Prepare
    const served = new CachedServedDomains(counted, { clock });
    expect(await served.list()).toEqual(['support.example.com']);
    await store.create(domainRecord('help.example.org'));

    // Act
    now += CONFIG_CACHE_TTL_MS - 1;
    const within = await served.list();
    now += 1;
    const after = await served.list();

    // Assess
    expect(within).toEqual(['support.example.com']);
    expect(after).toEqual(['help.example.org', 'support.example.com']);
    expect(reads).toBe(2);
  });

  it('serves a just-added domain on a miss once the list is MISSED_DOMAIN_REFRESH_MS old', async () => {
    // Prepare
    const served = new CachedServedDomains(counted, { clock });
    expect(await served.has('support.example.com')).toBe(true);
    await store.create(domainRecord('new.example.com'));

    // Act
    now += MISSED_DOMAIN_REFRESH_MS - 1;
    const tooSoon = await served.has('new.example.com');
    now += 1;
    const refreshed = await served.has('NEW.example.com.');

    // Assess
    expect(tooSoon).toBe(false);
    expect(refreshed).toBe(true);
    expect(await served.list()).toEqual(['new.example.com', 'support.example.com']);
    expect(reads).toBe(2);
  });

  it('answers a flood of mail for an unserved domain with one read per interval', async () => {
    // Prepare
    const served = new CachedServedDomains(counted, { clock });
    await served.list();
    now += MISSED_DOMAIN_REFRESH_MS;

    // Act: 50 at once (one shared read), then one every 100 ms for two intervals
    const burst = await Promise.all(Array.from({ length: 50 }, () => served.has('not-ours.example')));
    const trickle: boolean[] = [];
    for (let i = 0; i < (2 * MISSED_DOMAIN_REFRESH_MS) / 100; i++) {
      now += 100;
      trickle.push(await served.has('not-ours.example'));
    }

    // Assess: the first read, the burst's one, and one per interval after it
    expect([...burst, ...trickle].every((v) => v === false)).toBe(true);
    expect(reads).toBe(1 + 1 + 2);
  });

  it('keeps serving the last good list when a read fails, and says so', async () => {
    // Prepare
    const stale: unknown[] = [];
    const served = new CachedServedDomains(store, { clock, onStaleList: (err) => stale.push(err) });
    expect(await served.list()).toEqual(['support.example.com']);
    await tables.doc.send(new DeleteTableCommand({ TableName: tables.config }));

    // Act
    now += CONFIG_CACHE_TTL_MS;
    const list = await served.list();
    const known = await served.has('support.example.com');

    // Assess
    expect(list).toEqual(['support.example.com']);
    expect(known).toBe(true);
    expect(stale).toHaveLength(1);
  });

  it('rethrows a failed read when there is no list, or when a miss needs the store', async () => {
    // Prepare
    const fresh = new CachedServedDomains(store, { clock, onStaleList: () => undefined });
    const warm = new CachedServedDomains(store, { clock, onStaleList: () => undefined });
    await warm.list();
    await tables.doc.send(new DeleteTableCommand({ TableName: tables.config }));
    now += MISSED_DOMAIN_REFRESH_MS;

    // Act
    const [noList, miss] = await Promise.allSettled([fresh.has('support.example.com'), warm.has('just-added.example.com')]);

    // Assess: never "not served" because the store could not be read
    expect(noList).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/DynamoDB Scan/) } });
    expect(miss).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/DynamoDB Scan/) } });
    await expect(fresh.list()).rejects.toThrow(/DynamoDB Scan/);
  });

  it('answers with the last error for MISSED_DOMAIN_REFRESH_MS after a failed read, without reading', async () => {
    // Prepare: the table is gone (an outage), nothing was ever read
    const served = new CachedServedDomains(counted, { clock });
    await tables.doc.send(new DeleteTableCommand({ TableName: tables.config }));
    await expect(served.list()).rejects.toThrow(/DynamoDB Scan/);

    // Act
    const calls = Array.from({ length: 20 }, () => served.has('support.example.com'));
    const settled = await Promise.allSettled(calls);
    const readsDuringBackOff = reads;
    now += MISSED_DOMAIN_REFRESH_MS;
    await expect(served.list()).rejects.toThrow(/DynamoDB Scan/);

    // Assess
    expect(settled.every((r) => r.status === 'rejected')).toBe(true);
    expect(readsDuringBackOff).toBe(1);
    expect(reads).toBe(2);
  });
});
