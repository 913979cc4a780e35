/**
 * The auto-acknowledgement of a routed mail (routing issue; issue 11 item 2 sends it): one outbox
 * record per interaction, at most one per sender per day, announced to the sender.
 */
import type { IngestDeps } from '../ingest-ports.ts';
import type { TrailEntry } from '../interaction.ts';
import type { InboundMessage } from '../message.ts';
import { headerSafeMessageId, replyReferences } from '../outbound/headers.ts';
import { outboxIdFor, outboxMessageIdUnique } from '../outbound/outbox.ts';
import type { AutoAckRequest } from './decide-route.ts';
import { buildOutgoingMessageId } from './reference-token.ts';
import { normalizeMessageId } from './threading.ts';

/**
 * Puts the acknowledgement in the outbox once per interaction and once per sender per day. Every
 * crash point is repaired by redelivery: the outbox record and its Message-ID derive from the
 * interaction id; the limiter is taken in the interaction's name (a retry finds it held by itself
 * and goes on); the Message-ID a reply threads by is recorded on every pass, also when the outbox
 * record was written before a crash. The trail line is the same on the first pass and on a retry.
 */
export async function acknowledge(
  id: string,
  message: InboundMessage,
  ack: AutoAckRequest,
  reference: string,
  now: Date,
  deps: IngestDeps,
): Promise<TrailEntry> {
  const r = deps.routing;
  const outboxId = outboxIdFor(id, 'auto-acknowledgement');
  const entry = (detail: string): TrailEntry => ({ at: now.toISOString(), step: 'auto-ack', detail });
  const domain = ack.from.slice(ack.from.lastIndexOf('@') + 1);
  let messageId = buildOutgoingMessageId(reference as Parameters<typeof buildOutgoingMessageId>[0], outboxMessageIdUnique(outboxId), domain);
  const stored = await r.outbox.get(outboxId);
  if (stored) {
    messageId = stored.messageId;
  } else {
    if (!(await r.ackLimiter.tryAcquire(ack.to, now, id))) return entry(`not sent: ${ack.to} was acknowledged less than 24 hours ago`);
    const inReplyTo = headerSafeMessageId(message.messageId);
    await r.outbox.enqueue(
      {
        id: outboxId,
        interactionId: id,
        purpose: 'auto-acknowledgement',
        to: [ack.to],
        // The address route's from name goes with its from address (issue 11 item 2).
        from: ack.fromName ? { address: ack.from, name: ack.fromName } : ack.from,
        subject: ack.subject,
        text: ack.body,
        references: replyReferences(message.references, inReplyTo),
        messageId,
        ...(inReplyTo && { inReplyTo }),
      },
      now,
    );
  }
  // A customer answering the acknowledgement joins by In-Reply-To, not only by the token.
  await r.threads.record(normalizeMessageId(messageId)!, id, '', now, 'out');
  // On every pass, also when the record was stored before a crash: that crash may have come
  // before this notice; a notice for a record sent already is a no-op in the sender.
  await r.notifier?.notify([outboxId]);
  return entry(`enqueued ${outboxId} to ${ack.to}: "${ack.subject}"`);
}
