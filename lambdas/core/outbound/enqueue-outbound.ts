/**
 * Enqueueing a message to send (issue 11): the outbox record first, then the sender's notice. The
 * API's send routes call this; routing's acknowledgements do the same in route-message.ts.
 */
import type { OutboundNotifier } from './outbound-ports.ts';
import type { NewOutboxRecord, OutboxStore } from './outbox.ts';

/**
 * Writes `record` (idempotent by id) and notifies the sender. Why notify also on `exists`: a
 * retried request whose first attempt crashed between the write and the notice would otherwise
 * wait for the sweep; a notice for a record sent already is a no-op in the sender.
 * @returns what the store answered: `enqueued`, or `exists` for a retry of the same request
 * @throws whatever the store or the notifier throws (TransientError: retry the request)
 */
export async function enqueueOutbound(store: OutboxStore, notifier: OutboundNotifier, record: NewOutboxRecord, now: Date): Promise<'enqueued' | 'exists'> {
  const outcome = await store.enqueue(record, now);
  await notifier.notify([record.id]);
  return outcome;
}
