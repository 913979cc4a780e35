import { describe, expect, it } from 'vitest';
import { redriveAll, redriveDeadLetter, type RedriveDeps } from '../../../lambdas/core/dead-letter-redrive.ts';
import {
  MAX_INLINE_BODY_BYTES,
  MAX_REASON_CHARS,
  UNRECORDED_REASON,
  deadLetterIdFor,
  failureOf,
  recordDeadLetter,
  type DeadLetter,
  type DeadLetterState,
  type FailureReason,
} from '../../../lambdas/core/dead-letters.ts';
import { ConflictError, NotFoundError, PermanentError, TransientError } from '../../../lambdas/core/errors.ts';
import { interactionIdFor } from '../../../lambdas/core/ingest.ts';

/** In-memory ports that record every call, so the order of the steps is observable. */
function world() {
  const calls: string[] = [];
  const items = new Map<string, DeadLetter>();
  const ledger = new Map<string, { failure?: FailureReason; deadLetteredAt?: string }>();
  const objects = new Map<string, string>();
  const sent: string[] = [];
  let failSend: Error | undefined;
  const deps: RedriveDeps = {
    now: () => new Date('2026-11-26T10:00:00Z'),
    store: {
      async create(d) {
        calls.push(`create ${d.id}`);
        if (items.has(d.id)) return 'exists';
        items.set(d.id, d);
        return 'created';
      },
      async get(id) {
        return items.get(id);
      },
      async list(state: DeadLetterState, limit) {
        return { items: [...items.values()].filter((d) => d.state === state).slice(0, limit) };
      },
      async markRedriven(id, at) {
        calls.push(`markRedriven ${id}`);
        const d = items.get(id);
        if (d?.state !== 'dead') return undefined;
        const next = { ...d, state: 'redriven' as const, redrivenAt: at.toISOString() };
        items.set(id, next);
        return next;
      },
    },
    ledger: {
      async lastFailure(key) {
        return ledger.get(key)?.failure;
      },
      async markDeadLettered(key, at) {
        calls.push(`markDeadLettered ${key}`);
        ledger.set(key, { ...ledger.get(key), deadLetteredAt: at.toISOString() });
      },
      async clearDeadLettered(key) {
        calls.push(`clearDeadLettered ${key}`);
        const { deadLetteredAt: _, ...rest } = ledger.get(key) ?? {};
        ledger.set(key, rest);
      },
    },
    bodies: {
      async put(id, body) {
        objects.set(`dead-letters/${id}.json`, body);
        return `dead-letters/${id}.json`;
      },
      async get(key) {
        return objects.get(key)!;
      },
    },
    requeue: {
      async send(body) {
        calls.push('send');
        if (failSend) throw failSend;
        sent.push(body);
      },
    },
  };
  return { deps, calls, items, ledger, objects, sent, failSendWith: (e: Error | undefined) => (failSend = e) };
}

const body = JSON.stringify({ notificationType: 'Received', mail: { messageId: 'abc' } });

describe('failureOf', () => {
  it('keeps the code of a Postroom error and a one-line message cut to the limit', () => {
    const reason = failureOf(new TransientError('storage-unavailable', `DynamoDB failed:\n${'x'.repeat(2000)}`));
    expect(reason.code).toBe('storage-unavailable');
    expect(reason.message).not.toContain('\n');
    expect(reason.message).toHaveLength(MAX_REASON_CHARS);
  });

  it('names anything else unexpected, with its class', () => {
    expect(failureOf(new TypeError('x is undefined'))).toEqual({ code: 'unexpected', message: 'TypeError: x is undefined' });
  });
});

describe('recordDeadLetter', () => {
  it('records the ledger failure as the reason, keeps a small body inline and flags the ledger', async () => {
    const w = world();
    const failure = { code: 'storage-rejected', message: 'DynamoDB GetItem failed', attempts: 5, at: '2026-11-26T09:59:00Z' };
    w.ledger.set('ses:abc', { failure });
    const result = await recordDeadLetter({ sqsMessageId: 'm-1', body, receiveCount: 6, transportKey: 'ses:abc' }, w.deps);
    expect(result).toBe('created');
    expect(w.items.get(deadLetterIdFor('m-1'))).toEqual({
      id: deadLetterIdFor('m-1'),
      state: 'dead',
      deadLetteredAt: '2026-11-26T10:00:00.000Z',
      sqsMessageId: 'm-1',
      receiveCount: 6,
      transportKey: 'ses:abc',
      interactionId: interactionIdFor('ses:abc'),
      reason: failure,
      body,
      bodyBytes: body.length,
    });
    expect(w.ledger.get('ses:abc')?.deadLetteredAt).toBe('2026-11-26T10:00:00.000Z');
  });

  it('stores a large body aside (claim check) and says when no reason was recorded', async () => {
    const w = world();
    const large = JSON.stringify({ filler: 'é'.repeat(MAX_INLINE_BODY_BYTES) });
    await recordDeadLetter({ sqsMessageId: 'm-2', body: large, receiveCount: 5, transportKey: 'ses:big' }, w.deps);
    const d = w.items.get(deadLetterIdFor('m-2'))!;
    expect(d.body).toBeUndefined();
    expect(w.objects.get(d.bodyObject!)).toBe(large);
    expect(d.bodyBytes).toBe(Buffer.byteLength(large));
    expect(d.reason).toEqual(UNRECORDED_REASON);
  });

  it('records a malformed body with its parse error and touches no ledger item', async () => {
    const w = world();
    const parseError = { code: 'malformed-event', message: 'record body is not JSON' };
    await recordDeadLetter({ sqsMessageId: 'm-3', body: 'nope', receiveCount: 5, parseError }, w.deps);
    expect(w.items.get(deadLetterIdFor('m-3'))).toMatchObject({ reason: parseError });
    expect(w.items.get(deadLetterIdFor('m-3'))?.transportKey).toBeUndefined();
    expect(w.calls.filter((c) => c.startsWith('markDeadLettered'))).toEqual([]);
  });

  it('is idempotent under redelivery, and does not re-flag a message already redriven', async () => {
    const w = world();
    const input = { sqsMessageId: 'm-4', body, receiveCount: 5, transportKey: 'ses:abc' };
    await recordDeadLetter(input, w.deps);
    expect(await recordDeadLetter(input, w.deps)).toBe('exists');
    expect(w.items.size).toBe(1);
    await redriveDeadLetter(deadLetterIdFor('m-4'), w.deps);
    expect(await recordDeadLetter(input, w.deps)).toBe('exists');
    expect(w.ledger.get('ses:abc')?.deadLetteredAt).toBeUndefined();
  });
});

describe('redriveDeadLetter', () => {
  async function recorded(w: ReturnType<typeof world>, id = 'm-1') {
    await recordDeadLetter({ sqsMessageId: id, body, receiveCount: 5, transportKey: 'ses:abc' }, w.deps);
    w.calls.length = 0;
    return deadLetterIdFor(id);
  }

  it('clears the ledger flag, sends the original body, then marks it redriven, in that order', async () => {
    const w = world();
    const id = await recorded(w);
    const out = await redriveDeadLetter(id, w.deps);
    expect(w.calls).toEqual(['clearDeadLettered ses:abc', 'send', `markRedriven ${id}`]);
    expect(w.sent).toEqual([body]);
    expect(out).toMatchObject({ state: 'redriven', redrivenAt: '2026-11-26T10:00:00.000Z' });
  });

  it('refuses a second redrive without sending anything', async () => {
    const w = world();
    const id = await recorded(w);
    await redriveDeadLetter(id, w.deps);
    const again = redriveDeadLetter(id, w.deps);
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    await expect(again).rejects.toMatchObject({ fields: { state: 'is redriven, not dead' } });
    expect(w.sent).toHaveLength(1);
  });

  it('keeps the dead letter dead and flagged when the send fails', async () => {
    const w = world();
    const id = await recorded(w);
    w.failSendWith(new TransientError('queue-unavailable', 'SQS SendMessage failed'));
    await expect(redriveDeadLetter(id, w.deps)).rejects.toBeInstanceOf(TransientError);
    expect(w.items.get(id)?.state).toBe('dead');
    expect(w.ledger.get('ses:abc')?.deadLetteredAt).toBeDefined();
  });

  it('reads a large body back from storage', async () => {
    const w = world();
    const large = 'x'.repeat(MAX_INLINE_BODY_BYTES + 1);
    await recordDeadLetter({ sqsMessageId: 'm-9', body: large, receiveCount: 5 }, w.deps);
    await redriveDeadLetter(deadLetterIdFor('m-9'), w.deps);
    expect(w.sent).toEqual([large]);
  });

  it('answers not found for an unknown id', async () => {
    await expect(redriveDeadLetter('dl-none', world().deps)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('redriveAll', () => {
  it('redrives every dead one up to the limit and reports failures by code without stopping', async () => {
    const w = world();
    for (const m of ['m-1', 'm-2', 'm-3']) await recordDeadLetter({ sqsMessageId: m, body: `${m}`, receiveCount: 5 }, w.deps);
    const send = w.deps.requeue.send;
    (w.deps as { requeue: RedriveDeps['requeue'] }).requeue = {
      send: (b) => (b === 'm-2' ? Promise.reject(new PermanentError('queue-rejected', 'no')) : send(b)),
    };
    const result = await redriveAll(10, undefined, w.deps);
    expect(result.redriven).toEqual([deadLetterIdFor('m-1'), deadLetterIdFor('m-3')]);
    expect(result.failed).toEqual([{ id: deadLetterIdFor('m-2'), code: 'queue-rejected' }]);
    expect(w.sent.sort()).toEqual(['m-1', 'm-3']);
  });
});
