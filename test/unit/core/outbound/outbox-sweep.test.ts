/**
 * The outbox sweep: stale pending records are announced again (not those in a recent backoff, not
 * held ones), expired leases become uncertain, live leases and fresh records are left alone.
 */
import { describe, expect, it } from 'vitest';
import { outboxIdForRequest, type NewOutboxRecord } from '../../../../lambdas/core/outbound/outbox.ts';
import { sweepOutbox } from '../../../../lambdas/core/outbound/outbox-sweep.ts';
import { MemoryOutbox, RecordingNotifier } from '../../../support/memory-outbox.ts';

const T0 = new Date('2026-11-26T12:00:00.000Z');
const min = (n: number) => new Date(T0.getTime() + n * 60_000);

function record(n: number): NewOutboxRecord {
  const id = outboxIdForRequest('agent-1', `sweep-${n}`);
  return { id, purpose: 'new', to: [{ address: 'c@customer.test' }], from: { address: 's@example.test' }, subject: 's', text: 't', references: [], messageId: `<${id}@example.test>` };
}

describe('sweepOutbox', () => {
  it('re-notifies stale pending records and marks expired leases uncertain', async () => {
    const outbox = new MemoryOutbox();
    const notifier = new RecordingNotifier();
    const [lost, fresh, backoff, held, crashed, live] = [1, 2, 3, 4, 5, 6].map(record);
    await outbox.enqueue(lost!, T0);
    await outbox.enqueue(fresh!, min(8));
    await outbox.enqueue(backoff!, T0);
    await outbox.beginSending(backoff!.id, min(7), 60_000);
    await outbox.release(backoff!.id, { reason: 'smtp-temporary', detail: '421', at: min(7).toISOString() }, min(7));
    await outbox.enqueue(held!, T0);
    await outbox.hold(held!.id, 'srv-1', { reason: 'auth', detail: '535', at: T0.toISOString() }, T0);
    await outbox.enqueue(crashed!, T0);
    await outbox.beginSending(crashed!.id, min(1), 5 * 60_000);
    await outbox.enqueue(live!, T0);
    await outbox.beginSending(live!.id, min(9), 5 * 60_000);

    const report = await sweepOutbox(outbox, notifier, min(10));

    expect(report).toEqual({ renotified: 1, uncertain: 1 });
    expect(notifier.notified).toEqual([{ ids: [lost!.id] }]);
    expect((await outbox.get(crashed!.id))?.state).toBe('uncertain');
    expect((await outbox.get(live!.id))?.state).toBe('sending');
  });
});
