/**
 * The DynamoDB adapter suite, run unchanged against DynamoDB Local and dynalite (decision 7: the
 * same code must behave the same on both and on real DynamoDB).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIngestLedger } from '../../../lambdas/adapters/dynamodb/ingest-ledger.ts';
import { DynamoInteractionStore } from '../../../lambdas/adapters/dynamodb/interaction-store.ts';
import { DynamoQueueStore } from '../../../lambdas/adapters/dynamodb/queue-store.ts';
import { ValidationError } from '../../../lambdas/core/errors.ts';
import type { RunningService } from '../../../lambdas/local/services.ts';
import { createTables, quarantined, waiting, type Tables } from './fixtures.ts';
import { at } from '../../support/factories.ts';

export function describeStores(emulator: string, start: () => Promise<RunningService>, prefix: string): void {
  describe(`DynamoDB adapters on ${emulator}`, () => {
    let service: RunningService;
    let tables: Tables;
    let ledger: DynamoIngestLedger;
    let store: DynamoInteractionStore;
    let queues: DynamoQueueStore;

    beforeAll(async () => {
      service = await start();
      tables = await createTables(service.endpoint, prefix);
      ledger = new DynamoIngestLedger(tables.doc, tables.interactions);
      store = new DynamoInteractionStore(tables.doc, tables.interactions);
      queues = new DynamoQueueStore(tables.doc, tables.queues, tables.interactions);
    });
    afterAll(async () => {
      tables?.destroy();
      await service?.stop();
    });

    it('ledger: a first delivery is new, a redelivery before completion resumes, after it is done', async () => {
      const key = 'ses:ledger-1';
      const first = await ledger.begin(key, 'i-ledger1', at(0));
      const second = await ledger.begin(key, 'i-ledger1', at(1));
      await ledger.complete(key, at(2));
      const third = await ledger.begin(key, 'i-ledger1', at(3));
      expect([first, second, third]).toEqual(['new', 'resumed', 'done']);
    });

    it('create stores an interaction once and reads it back unchanged', async () => {
      const interaction = waiting('i-once', { queueId: 'q-once', enqueuedAt: at(1), priority: 5 });
      const outcomes = [await store.create(interaction), await store.create({ ...interaction, priority: 99 })];
      const stored = await store.get('i-once');
      expect(outcomes).toEqual(['created', 'exists']);
      expect(stored).toEqual(interaction);
      expect(await queues.countWaiting('q-once')).toBe(1);
    });

    it('get returns undefined for an unknown id', async () => {
      expect(await store.get('i-missing')).toBeUndefined();
    });

    it('lists the documented example in score order: priority 20 waiting 4 min before priority 10 waiting 6 min', async () => {
      await store.create(waiting('i-low', { queueId: 'q-seed', enqueuedAt: at(4), priority: 10 }));
      await store.create(waiting('i-high', { queueId: 'q-seed', enqueuedAt: at(6), priority: 20 }));
      const page = await store.listWaiting('q-seed', 10);
      expect(page.items.map((e) => [e.id, e.priority, e.subject, e.from?.address])).toEqual([
        ['i-high', 20, 'Subject of i-high', 'alice@customer.test'],
        ['i-low', 10, 'Subject of i-low', 'alice@customer.test'],
      ]);
      expect(page.items[0]).toMatchObject({ queueId: 'q-seed', enqueuedAt: at(6).toISOString() });
    });

    it('pages through a queue with cursors, in order, without repeats', async () => {
      const ids = Array.from({ length: 7 }, (_, n) => `i-page${n}`);
      // Same priority: order is by enqueue time; two share a minute to exercise ties in the key.
      await Promise.all(ids.map((id, n) => store.create(waiting(id, { queueId: 'q-page', enqueuedAt: at(10 + Math.floor(n / 2) * 2, n % 2), priority: 1 }))));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listWaiting('q-page', 3, cursor);
        seen.push(...page.items.map((e) => e.id));
        cursor = page.cursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(seen).toEqual(ids);
      expect(pages).toBeGreaterThanOrEqual(3);
    });

    it('rejects a cursor that does not belong to the listed queue', async () => {
      await store.create(waiting('i-cur1', { queueId: 'q-cur', enqueuedAt: at(1), priority: 1 }));
      await store.create(waiting('i-cur2', { queueId: 'q-cur', enqueuedAt: at(2), priority: 1 }));
      const { cursor } = await store.listWaiting('q-cur', 1);
      expect(cursor).toBeDefined();
      await expect(store.listWaiting('q-page', 1, cursor)).rejects.toBeInstanceOf(ValidationError);
      await expect(store.listWaiting('q-cur', 1, 'not*base64')).rejects.toBeInstanceOf(ValidationError);
    });

    it('lists quarantined interactions newest first, with their reasons, and pages them', async () => {
      await store.create(quarantined('i-q-old', at(1), 'no-served-recipient'));
      await store.create(quarantined('i-q-new', at(30)));
      await store.create(quarantined('i-q-mid', at(15)));
      const first = await store.listQuarantined(2);
      const second = await store.listQuarantined(2, first.cursor);
      expect([...first.items, ...second.items].map((i) => [i.id, i.quarantine?.reason])).toEqual([
        ['i-q-new', 'unparseable'],
        ['i-q-mid', 'unparseable'],
        ['i-q-old', 'no-served-recipient'],
      ]);
      expect(first.items[0]).toEqual(quarantined('i-q-new', at(30)));
    });

    it('concurrent creates of one interaction from 10 callers store it exactly once', async () => {
      const interaction = waiting('i-race', { queueId: 'q-race', enqueuedAt: at(3), priority: 2 });
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.create(interaction)));
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'exists')).toHaveLength(9);
      expect(await queues.countWaiting('q-race')).toBe(1);
    });

    it('queues: ensure creates once and keeps the existing one, list and get read them back', async () => {
      await queues.ensure({ id: 'support', name: 'Support', description: 'first line', createdAt: at(0).toISOString() });
      await queues.ensure({ id: 'support', name: 'Renamed', createdAt: at(5).toISOString() });
      await queues.ensure({ id: 'billing', name: 'Billing', createdAt: at(1).toISOString() });
      const list = await queues.list();
      expect(list).toEqual([
        { id: 'billing', name: 'Billing', createdAt: at(1).toISOString() },
        { id: 'support', name: 'Support', description: 'first line', createdAt: at(0).toISOString() },
      ]);
      expect(await queues.get('support')).toEqual(list[1]);
      expect(await queues.get('nope')).toBeUndefined();
    });

    it('counts only the waiting interactions of the asked queue', async () => {
      await Promise.all(
        Array.from({ length: 25 }, (_, n) => store.create(waiting(`i-count${n}`, { queueId: 'q-count', enqueuedAt: at(n % 60), priority: n }))),
      );
      await store.create(quarantined('i-count-q', at(2)));
      expect(await queues.countWaiting('q-count')).toBe(25);
      expect(await queues.countWaiting('q-empty')).toBe(0);
    });
  });
}
