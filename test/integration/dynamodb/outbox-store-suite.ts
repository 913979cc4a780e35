/**
 * The outbox store (OUT#<id> items), run unchanged on dynalite and DynamoDB Local (decision 7):
 * every transition is one conditional write on the one item, two senders racing on a record start
 * it once, a lease that ran out is found and becomes uncertain, and the listings read the state
 * buckets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoOutboxStore, OUTBOX_RETENTION_DAYS, outboxPk } from '../../../lambdas/adapters/dynamodb/outbox-store.ts';
import { OUTBOX_LIMITS } from '../../../lambdas/adapters/dynamodb/outbox-queries.ts';
import { ConflictError, NotFoundError } from '../../../lambdas/core/errors.ts';
import { outboxIdForRequest, type NewOutboxRecord, type OutboundRoute, type OutboxRecord } from '../../../lambdas/core/outbound/outbox.ts';
import type { RunningService } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from './fixtures.ts';

const T0 = new Date('2026-11-26T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const LEASE = 60_000;
const SES: OutboundRoute = { kind: 'ses', identity: 'example.test', reason: 'domain verified' };
const FAILURE = { reason: 'provider-throttled', detail: 'slow down', at: T0.toISOString() };

let seq = 0;
/** A reply as the API enqueues it, with a fresh id. */
export function newRecord(over: Partial<NewOutboxRecord> = {}): NewOutboxRecord {
  const id = outboxIdForRequest('agent-1', `req-${++seq}-${Math.random()}`);
  return {
    id,
    purpose: 'reply',
    interactionId: 'i-1',
    requestedBy: 'agent-1',
    to: [{ address: 'customer@customer.test' }],
    from: { address: 'support@example.test', name: 'Support' },
    subject: 'Re: order',
    text: 'Hello',
    references: [],
    messageId: `<${id}@example.test>`,
    ...over,
  };
}

export function describeOutboxStore(emulator: string, start: () => Promise<RunningService>, prefix: string): void {
  describe(`outbox store on ${emulator}`, () => {
    let service: RunningService;
    let tables: Tables;
    let store: DynamoOutboxStore;
    const enqueued = async (over: Partial<NewOutboxRecord> = {}, when = T0) => {
      const r = newRecord(over);
      await store.enqueue(r, when);
      return r.id;
    };
    const rawItem = async (id: string) => (await tables.doc.send(new GetCommand({ TableName: tables.interactions, Key: { pk: outboxPk(id) } }))).Item;

    beforeAll(async () => {
      service = await start();
      tables = await createTables(service.endpoint, prefix);
      store = new DynamoOutboxStore(tables.doc, tables.interactions);
    });
    afterAll(async () => {
      tables?.destroy();
      await service?.stop();
    });

    it('enqueues once, in the pending bucket sorted by creation time', async () => {
      const r = newRecord();
      expect([await store.enqueue(r, T0), await store.enqueue({ ...r, subject: 'other' }, at(1))]).toEqual(['enqueued', 'exists']);
      expect(await store.get(r.id)).toMatchObject({ id: r.id, state: 'pending', subject: 'Re: order', createdAt: T0.toISOString() });
      expect(await rawItem(r.id)).toMatchObject({ bucket: 'OUT#pending', orderKey: T0.getTime() });
    });

    it('walks pending -> sending -> sent, recording the raw message, the route and the provider id', async () => {
      const id = await enqueued();
      const begun = await store.beginSending(id, at(1_000), LEASE);
      expect(begun).toMatchObject({ kind: 'begun', record: { state: 'sending', attempts: 1, leaseUntil: at(61_000).toISOString() } });
      await store.recordRaw(id, { bucket: 'b', key: `outbound/${id}.eml` }, at(2_000));
      await store.markSent(id, { route: SES, providerMessageId: 'ses-1' }, at(3_000));

      const sent = await store.get(id);
      expect(sent).toMatchObject({ state: 'sent', raw: { key: `outbound/${id}.eml` }, route: SES, providerMessageId: 'ses-1', sentAt: at(3_000).toISOString() });
      expect(sent?.leaseUntil).toBeUndefined();
      const item = await rawItem(id);
      expect(item).toMatchObject({ bucket: 'OUT#sent', expiresAt: Math.floor(at(3_000).getTime() / 1000) + OUTBOX_RETENTION_DAYS * 86_400 });
      expect(await store.beginSending(id, at(4_000), LEASE)).toMatchObject({ kind: 'done' });
    });

    it('lets exactly one of two racing senders begin; the other finds it busy', async () => {
      const id = await enqueued();
      const outcomes = await Promise.all([store.beginSending(id, at(1), LEASE), store.beginSending(id, at(1), LEASE)]);
      expect(outcomes.map((o) => o.kind).sort()).toEqual(['begun', 'busy']);
      expect((await store.get(id))?.attempts).toBe(1);
    });

    it('finds an expired lease, marks it uncertain only once it ran out, and resends with the same Message-ID', async () => {
      const id = await enqueued();
      await store.beginSending(id, at(0), LEASE);
      await store.markUncertain(id, at(LEASE - 1));
      expect((await store.get(id))?.state).toBe('sending');
      expect(await store.beginSending(id, at(LEASE + 1), LEASE)).toMatchObject({ kind: 'lease-expired' });

      await store.markUncertain(id, at(LEASE + 1));
      const uncertain = await store.get(id);
      expect(uncertain?.state).toBe('uncertain');
      expect(await store.beginSending(id, at(LEASE + 2), LEASE)).toMatchObject({ kind: 'done' });

      const resent = await store.resend(id, at(LEASE + 3));
      expect(resent).toMatchObject({ state: 'pending', messageId: uncertain?.messageId });
      expect(await store.beginSending(id, at(LEASE + 4), LEASE)).toMatchObject({ kind: 'begun', record: { attempts: 2 } });
    });

    it('releases after a transient failure, keeping the last error, and fails permanently', async () => {
      const id = await enqueued();
      await store.beginSending(id, at(0), LEASE);
      await store.release(id, FAILURE, at(1));
      expect(await store.get(id)).toMatchObject({ state: 'pending', failure: FAILURE });
      await store.beginSending(id, at(2), LEASE);
      const failure = { reason: 'recipient-rejected', detail: '550 no such user', at: at(3).toISOString() };
      await store.markFailed(id, failure, SES, at(3));
      expect(await store.get(id)).toMatchObject({ state: 'failed', failure, route: SES });
      expect((await store.list({ state: 'failed' })).records.map((r) => r.id)).toContain(id);
    });

    it('refuses transitions from the wrong state, and says so for unknown records', async () => {
      const id = await enqueued();
      await expect(store.markSent(id, { route: SES, providerMessageId: 'x' }, at(1))).rejects.toBeInstanceOf(ConflictError);
      await expect(store.release(id, FAILURE, at(1))).rejects.toBeInstanceOf(ConflictError);
      await expect(store.resend(id, at(1))).rejects.toMatchObject({ reason: 'outbox.not-resendable' });
      await expect(store.resend('o-missing', at(1))).rejects.toBeInstanceOf(NotFoundError);
      expect(await store.beginSending('o-missing', at(1), LEASE)).toEqual({ kind: 'missing' });
      expect((await store.get(id))?.state).toBe('pending');
    });

    it('holds records of an integration in error, lists them oldest first, and unholds them', async () => {
      const server = `srv-${Math.random()}`;
      const first = await enqueued({}, at(10));
      const second = await enqueued({}, at(20));
      await store.beginSending(second, at(30), LEASE);
      await store.hold(second, server, FAILURE, at(31));
      await store.hold(first, server, FAILURE, at(32));

      expect(await store.listHeld(server)).toEqual([first, second]);
      expect(await store.beginSending(first, at(40), LEASE)).toMatchObject({ kind: 'held' });
      expect(await store.unhold(first, at(41))).toBe(true);
      expect(await store.unhold(first, at(42))).toBe(false);
      expect(await store.listHeld(server)).toEqual([second]);
      expect(await store.beginSending(first, at(43), LEASE)).toMatchObject({ kind: 'begun' });
    });

    it('lists a held record as pending (with who holds it) and leaves it out of the sweep', async () => {
      const server = `srv-${Math.random()}`;
      const interactionId = `i-held-${Math.random()}`;
      const t = at(20_000_000);
      const held = await enqueued({ interactionId }, t);
      await store.hold(held, server, FAILURE, t);

      // An interaction filter may make pages short: follow the cursor.
      const listed: { records: OutboxRecord[] } = { records: [] };
      let cursor: string | undefined;
      do {
        const page = await store.list({ state: 'pending', interactionId, ...(cursor && { cursor }) });
        listed.records.push(...page.records);
        cursor = page.cursor;
      } while (cursor);
      const stale = (await store.listStale(new Date(t.getTime() + 5 * 60_000), new Date(t.getTime() + 10 * 60_000))).map((r) => r.id);

      expect(listed.records.map((r) => [r.id, r.heldBy])).toEqual([[held, server]]);
      expect(stale).not.toContain(held);
    });

    it('lists stale pending records and expired leases for the sweep', async () => {
      const t = at(10_000_000);
      const old = await enqueued({}, t);
      const fresh = await enqueued({}, new Date(t.getTime() + 9 * 60_000));
      const leased = await enqueued({}, t);
      await store.beginSending(leased, t, LEASE);

      const stale = (await store.listStale(new Date(t.getTime() + 5 * 60_000), new Date(t.getTime() + 10 * 60_000))).map((r) => r.id);
      expect(stale).toEqual(expect.arrayContaining([old, leased]));
      expect(stale).not.toContain(fresh);
    });

    it('lists newest first by state and across states, page by page, and by interaction', async () => {
      const interactionId = `i-list-${Math.random()}`;
      const ids: string[] = [];
      for (let n = 0; n < 5; n++) ids.push(await enqueued({ interactionId }, at(100_000_000 + n)));
      await store.beginSending(ids[1]!, at(100_000_100), LEASE);
      await store.markSent(ids[1]!, { route: SES, providerMessageId: 'p' }, at(100_000_101));

      const first = await store.list({ interactionId, limit: 3 });
      const second = await store.list({ interactionId, limit: 3, cursor: first.cursor! });
      expect([...first.records, ...second.records].map((r) => r.id)).toEqual([...ids].reverse());
      const pending = await store.list({ state: 'pending', interactionId });
      expect(pending.records.map((r) => r.id)).toEqual([ids[4], ids[3], ids[2], ids[0]]);
      await expect(store.list({ cursor: 'bm9wZQ' })).rejects.toMatchObject({ fields: { cursor: expect.any(String) } });
    });

    it('appends delivery events, concurrently without losing one, and keeps the newest', async () => {
      const id = await enqueued();
      const event = (n: number) => ({ recipient: `r${n}@customer.test`, status: 'delivered' as const, at: at(n).toISOString(), detail: '' });
      await Promise.all([1, 2, 3].map((n) => store.recordDelivery(id, event(n))));
      expect((await store.get(id))?.delivery?.map((e) => e.recipient).sort()).toEqual(['r1@customer.test', 'r2@customer.test', 'r3@customer.test']);
      for (let n = 4; n <= OUTBOX_LIMITS.maxDeliveryEvents + 2; n++) await store.recordDelivery(id, event(n));
      const kept = (await store.get(id))?.delivery ?? [];
      expect(kept).toHaveLength(OUTBOX_LIMITS.maxDeliveryEvents);
      expect(kept.at(-1)?.recipient).toBe(`r${OUTBOX_LIMITS.maxDeliveryEvents + 2}@customer.test`);
      await store.recordDelivery('o-unknown', event(1));
      expect(await store.get('o-unknown')).toBeUndefined();
    });
  });
}
