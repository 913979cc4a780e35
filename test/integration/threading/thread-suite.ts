/**
 * The threading adapters (thread index, ack limiter, outbox) against a real emulator; run
 * unchanged on dynalite and DynamoDB Local (decision 7).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAckLimiter } from '../../../lambdas/adapters/dynamodb/ack-limiter.ts';
import { DynamoOutboxStore, OUTBOX_RETENTION_DAYS, outboxPk } from '../../../lambdas/adapters/dynamodb/outbox-store.ts';
import { DynamoThreadIndex, messageIdPk } from '../../../lambdas/adapters/dynamodb/thread-index.ts';
import { PermanentError } from '../../../lambdas/core/errors.ts';
import { buildOutgoingMessageId, referenceTokenFor } from '../../../lambdas/core/routing/reference-token.ts';
import { MAX_THREAD_LOOKUP_IDS, decideThread, threadKeys } from '../../../lambdas/core/routing/threading.ts';
import type { RunningService } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { T0 } from '../../support/factories.ts';
import { outboxIdFor, outboxMessageIdUnique } from '../../../lambdas/core/outbound/outbox.ts';

const plus = (ms: number) => new Date(T0.getTime() + ms);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function describeThreading(emulator: string, start: () => Promise<RunningService>, prefix: string): void {
  describe(`threading adapters on ${emulator}`, () => {
    let service: RunningService;
    let tables: Tables;
    let index: DynamoThreadIndex;
    let limiter: DynamoAckLimiter;
    let outbox: DynamoOutboxStore;
    const rawItem = async (pk: string) => (await tables.doc.send(new GetCommand({ TableName: tables.interactions, Key: { pk } }))).Item;

    beforeAll(async () => {
      service = await start();
      tables = await createTables(service.endpoint, prefix);
      index = new DynamoThreadIndex(tables.doc, tables.interactions);
      limiter = new DynamoAckLimiter(tables.doc, tables.interactions);
      outbox = new DynamoOutboxStore(tables.doc, tables.interactions);
    });
    afterAll(async () => {
      tables?.destroy();
      await service?.stop();
    });

    it('records sent and received Message-IDs and looks them up in the order asked', async () => {
      await index.record('<Sent-1@Mail.Example.test>', 'i-rec', 'h1', T0, 'out');
      await index.record('<got-1@customer.test>', 'i-rec', 'h2', T0, 'in');
      const matches = await index.lookup(['<got-1@customer.test>', 'nobody@x', 'sent-1@mail.example.test', '<got-1@customer.test>']);
      expect(matches).toEqual([
        { messageId: 'got-1@customer.test', interactionId: 'i-rec', direction: 'in', at: T0.toISOString() },
        { messageId: 'sent-1@mail.example.test', interactionId: 'i-rec', direction: 'out', at: T0.toISOString() },
      ]);
      expect(await rawItem(messageIdPk('sent-1@mail.example.test'))).toMatchObject({ expiresAt: Math.floor((T0.getTime() + 30 * DAY) / 1000) });
    });

    it('keeps the first writer of a live record and replaces an expired one', async () => {
      const first = await index.record('<w@x>', 'i-w1', 'h', T0, 'in');
      const live = await index.record('<w@x>', 'i-w2', 'h', plus(29 * DAY), 'in');
      const expired = await index.record('<w@x>', 'i-w3', 'h', plus(31 * DAY), 'in');
      expect([first, live, expired]).toEqual(['recorded', 'exists', 'recorded']);
      expect((await index.lookup(['w@x']))[0]?.interactionId).toBe('i-w3');
    });

    it('reads at most MAX_THREAD_LOOKUP_IDS ids, the newest references first', async () => {
      const references = Array.from({ length: 120 }, (_, n) => `<deep-${n}@x>`);
      await Promise.all(references.map((id, n) => index.record(id, `i-deep${n}`, 'h', T0, 'in')));
      const keys = threadKeys({ references, subject: 'Re: deep' });
      const matches = await index.lookup(keys.messageIds);
      expect(matches).toHaveLength(MAX_THREAD_LOOKUP_IDS);
      expect(matches[0]?.interactionId).toBe('i-deep119');
      expect(await index.lookup(references)).toHaveLength(MAX_THREAD_LOOKUP_IDS);
    });

    it('keys an id longer than a partition key allows by its hash', async () => {
      const long = `<${'ü'.repeat(900)}@x.test>`;
      expect(await index.record(long, 'i-long', 'h', T0, 'in')).toBe('recorded');
      expect((await index.lookup([long])).map((m) => m.interactionId)).toEqual(['i-long']);
    });

    it('joins a reply to the interaction whose outgoing Message-ID it answers', async () => {
      const token = referenceTokenFor('i-conv');
      const ours = buildOutgoingMessageId(token, 'u1', 'mail.example.test');
      await index.record(ours, 'i-conv', '', plus(HOUR), 'out');
      const reply = { messageId: '<r@customer.test>', inReplyTo: ours, references: [ours], subject: 'Re: hello' };
      const keys = threadKeys(reply);
      const lookups = { messageIds: await index.lookup(keys.messageIds), tokens: await index.lookupTokens(keys.tokens) };
      expect(decideThread(reply, lookups, { now: plus(2 * DAY) })).toMatchObject({ join: 'i-conv', by: 'in-reply-to' });
      expect(decideThread(reply, lookups, { now: plus(40 * DAY) })).toMatchObject({ new: true });
    });

    it('claims: 10 concurrent claims of one Message-ID and content hash yield exactly one new', async () => {
      const claims = await Promise.all(Array.from({ length: 10 }, (_, n) => index.claimMessageId('<dup@customer.test>', 'hash-a', `i-dup${n}`, T0)));
      const winners = claims.flatMap((c, n) => (c === 'new' ? [`i-dup${n}`] : []));
      expect(winners).toHaveLength(1);
      expect(claims.filter((c) => c !== 'new')).toEqual(Array.from({ length: 9 }, () => ({ existing: winners[0], at: T0.toISOString() })));
    });

    it('claims: a resumed ingest is new again, other content is no duplicate, our own id came back', async () => {
      await index.claimMessageId('<c@customer.test>', 'hash-a', 'i-c1', T0);
      await index.record('<ours@mail.example.test>', 'i-c1', '', T0, 'out');
      expect(await index.claimMessageId('<c@customer.test>', 'hash-a', 'i-c1', plus(1_000))).toBe('new');
      expect(await index.claimMessageId('<C@customer.test>', 'hash-a', 'i-c2', plus(1_000))).toEqual({ existing: 'i-c1', at: T0.toISOString() });
      expect(await index.claimMessageId('<c@customer.test>', 'hash-b', 'i-c3', plus(1_000))).toEqual({ differs: 'i-c1' });
      expect(await index.claimMessageId('<ours@mail.example.test>', 'hash-a', 'i-c4', plus(1_000))).toEqual({ ours: 'i-c1' });
    });

    it('claims: a resend of a second message sharing a Message-ID is its duplicate, not new', async () => {
      // Arrange: two different messages under one Message-ID, each its own interaction
      const first = await index.claimMessageId('<shared@customer.test>', 'hash-1', 'i-s1', T0);
      const second = await index.claimMessageId('<shared@customer.test>', 'hash-2', 'i-s2', plus(1_000));

      // Act: the second one resent, a retried ingest of the second, and a third content
      const resend = await index.claimMessageId('<shared@customer.test>', 'hash-2', 'i-s3', plus(2_000));
      const resumed = await index.claimMessageId('<shared@customer.test>', 'hash-2', 'i-s2', plus(3_000));
      const resendOfFirst = await index.claimMessageId('<shared@customer.test>', 'hash-1', 'i-s4', plus(4_000));
      const third = await index.claimMessageId('<shared@customer.test>', 'hash-3', 'i-s5', plus(5_000));

      // Assess
      expect([first, second]).toEqual(['new', { differs: 'i-s1' }]);
      expect(resend).toEqual({ existing: 'i-s2', at: plus(1_000).toISOString() });
      expect(resumed).toEqual({ differs: 'i-s1' });
      expect(resendOfFirst).toEqual({ existing: 'i-s1', at: T0.toISOString() });
      expect(third).toEqual({ differs: 'i-s1' });
      expect((await index.lookup(['<shared@customer.test>'])).map((m) => m.interactionId)).toEqual(['i-s1']);
    });

    it('claims: a reply claimed for the interaction it joins is a duplicate on its second delivery', async () => {
      const first = await index.claimMessageId('<reply@customer.test>', 'hash-r', 'i-thread', T0, 'i-delivery1');
      const resumed = await index.claimMessageId('<reply@customer.test>', 'hash-r', 'i-thread', plus(1_000), 'i-delivery1');
      const second = await index.claimMessageId('<reply@customer.test>', 'hash-r', 'i-thread', plus(2_000), 'i-delivery2');
      expect([first, resumed, second]).toEqual(['new', 'new', { existing: 'i-thread', at: T0.toISOString() }]);
    });

    it('tokens: recorded, refreshed by their interaction, refused to another one while live', async () => {
      const token = referenceTokenFor('i-tok');
      expect(await index.recordToken(token, 'i-tok', T0, 'Alice@Customer.test')).toBe('recorded');
      expect(await index.recordToken(token, 'i-tok', plus(DAY), 'other@x.test')).toBe('recorded');
      expect(await index.recordToken(token, 'i-clash', plus(2 * DAY))).toBe('collision');
      expect(await index.lookupTokens([token.toLowerCase(), referenceTokenFor('i-none')])).toEqual([
        { token, interactionId: 'i-tok', lastAt: plus(DAY).toISOString(), customer: 'alice@customer.test' },
      ]);
      expect(await index.recordToken(token, 'i-later', plus(40 * DAY))).toBe('recorded');
      expect((await index.lookupTokens([token]))[0]?.interactionId).toBe('i-later');
    });

    it('ack limiter: one acknowledgement per sender per 24 hours', async () => {
      const first = await limiter.tryAcquire('Alice@Customer.test', T0);
      const within = await limiter.tryAcquire('alice@customer.test', plus(DAY - 1_000));
      const other = await limiter.tryAcquire('bob@customer.test', plus(HOUR));
      const after = await limiter.tryAcquire('alice@customer.test', plus(DAY));
      const again = await limiter.tryAcquire('alice@customer.test', plus(DAY + HOUR));
      expect([first, within, other, after, again]).toEqual([true, false, true, true, false]);
      expect(await rawItem('ACK#alice@customer.test')).toMatchObject({ lastAckAt: plus(DAY).getTime(), expiresAt: Math.ceil(plus(2 * DAY).getTime() / 1000) });
    });

    it('ack limiter: a slot taken by an interaction is free again for that interaction only (a retried ingest)', async () => {
      const first = await limiter.tryAcquire('held@customer.test', T0, 'i-held1');
      const retry = await limiter.tryAcquire('held@customer.test', plus(HOUR), 'i-held1');
      const other = await limiter.tryAcquire('held@customer.test', plus(HOUR), 'i-held2');
      const anonymous = await limiter.tryAcquire('held@customer.test', plus(HOUR));
      expect([first, retry, other, anonymous]).toEqual([true, true, false, false]);
    });

    it('ack limiter: of 8 concurrent acknowledgements to one sender exactly one is allowed', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => limiter.tryAcquire('race@customer.test', T0)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('outbox: enqueue is idempotent per interaction and purpose, and get reads the pending record', async () => {
      const id = outboxIdFor('i-ack', 'auto-acknowledgement');
      const messageId = buildOutgoingMessageId(referenceTokenFor('i-ack'), outboxMessageIdUnique(id), 'mail.example.test');
      const record = {
        id,
        interactionId: 'i-ack',
        purpose: 'auto-acknowledgement' as const,
        to: ['alice@customer.test'],
        from: 'support@example.test',
        subject: `Re: Order missing [${referenceTokenFor('i-ack')}]`,
        text: 'We received your message.',
        inReplyTo: '<m1@customer.test>',
        references: ['<m1@customer.test>'],
        messageId,
      };
      const outcomes = await Promise.all(Array.from({ length: 5 }, (_, n) => outbox.enqueue({ ...record, text: `attempt ${n}` }, plus(n * 1_000))));
      expect(outcomes.filter((o) => o === 'enqueued')).toHaveLength(1);
      expect(await outbox.enqueue(record, plus(HOUR))).toBe('exists');
      const stored = await outbox.get(id);
      expect(stored).toMatchObject({ ...record, text: expect.stringMatching(/^attempt \d$/), state: 'pending' });
      expect(stored).not.toHaveProperty('pk');
      expect((await rawItem(outboxPk(id)))?.expiresAt).toBeGreaterThanOrEqual(Math.floor(T0.getTime() / 1000) + OUTBOX_RETENTION_DAYS * 86_400);
      expect(await outbox.get('o-unknown')).toBeUndefined();
    });

    it('outbox: refuses an id not derived from the interaction and purpose', async () => {
      const bad = { id: 'o-made-up', interactionId: 'i-x', purpose: 'auto-acknowledgement' as const, to: [], from: 'a@b', subject: '', text: '', references: [], messageId: '<a@b>' };
      await expect(outbox.enqueue(bad, T0)).rejects.toBeInstanceOf(PermanentError);
    });
  });
}
