/**
 * The suppression list (`SUP#<address>` items, bucket SUPPRESSED), run unchanged on DynamoDB Local
 * and dynalite: lookups are case-insensitive and batched past 100 addresses, the list pages newest
 * first, and a lift answers whether there was anything to lift.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSuppressionStore } from '../../../lambdas/adapters/dynamodb/suppression-store.ts';
import type { Suppression } from '../../../lambdas/core/outbound/outbound-ports.ts';
import type { RunningService } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from './fixtures.ts';

function suppression(address: string, at: string, over: Partial<Suppression> = {}): Suppression {
  return { address, reason: 'bounce', detail: 'Permanent/General: 550 5.1.1 user unknown', at, outboxId: 'o-0123456789abcdef0123', ...over };
}

export function describeSuppressionStore(emulator: string, start: () => Promise<RunningService>, prefix: string): void {
  describe(`suppression store on ${emulator}`, () => {
    let service: RunningService;
    let tables: Tables;
    let store: DynamoSuppressionStore;

    beforeAll(async () => {
      service = await start();
      tables = await createTables(service.endpoint, prefix);
      store = new DynamoSuppressionStore(tables.doc, tables.interactions);
    });
    afterAll(async () => {
      tables?.destroy();
      await service?.stop();
    });

    it('finds a suppressed address whatever its case, and only the suppressed ones', async () => {
      await store.add(suppression('Gone@Customer.Test', '2026-11-20T10:00:00.000Z'));
      const found = await store.find(['someone@else.test', 'gone@customer.test', 'GONE@CUSTOMER.TEST']);
      expect(found).toEqual([suppression('gone@customer.test', '2026-11-20T10:00:00.000Z')]);
    });

    it('looks up more than one batch of 100 addresses', async () => {
      await store.add(suppression('last-of-many@customer.test', '2026-11-20T10:00:01.000Z', { reason: 'complaint', detail: 'abuse' }));
      const many = Array.from({ length: 180 }, (_, i) => `n${i}@customer.test`).concat('Last-Of-Many@customer.test');
      const found = await store.find(many);
      expect(found.map((s) => [s.address, s.reason])).toEqual([['last-of-many@customer.test', 'complaint']]);
    });

    it('keeps the newest reason when an address is suppressed again', async () => {
      await store.add(suppression('twice@customer.test', '2026-11-20T11:00:00.000Z'));
      await store.add(suppression('twice@customer.test', '2026-11-20T12:00:00.000Z', { reason: 'complaint', detail: 'abuse report' }));
      const [found] = await store.find(['twice@customer.test']);
      expect(found).toMatchObject({ reason: 'complaint', detail: 'abuse report', at: '2026-11-20T12:00:00.000Z' });
    });

    it('lists newest first, page by page', async () => {
      const first = await store.list({ limit: 2 });
      expect(first.suppressions.map((s) => s.address)).toEqual(['twice@customer.test', 'last-of-many@customer.test']);
      expect(first.cursor).toBeDefined();
      const second = await store.list({ limit: 2, cursor: first.cursor });
      expect(second.suppressions.map((s) => s.address)).toEqual(['gone@customer.test']);
    });

    it('lifts a suppression once; the address can be sent to again', async () => {
      expect(await store.remove('GONE@customer.test')).toBe('removed');
      expect(await store.remove('gone@customer.test')).toBe('missing');
      expect(await store.find(['gone@customer.test'])).toEqual([]);
    });
  });
}
