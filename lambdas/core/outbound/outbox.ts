/**
 * The outbox (ARCHITECTURE.md decision 8): every message Postroom sends is first a record here,
 * with a deterministic id and Message-ID, and the sender moves it pending -> sending -> sent or
 * failed by conditional writes. Routing enqueues acknowledgements; the sender reads them back.
 */
import { createHash } from 'node:crypto';

/** The states decision 8 moves an outbox record through, each by one conditional write. */
export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed';

/** Why an outbox record exists; part of its deterministic id. */
export type OutboxPurpose = 'auto-acknowledgement';

/** One message waiting to be sent (decision 8); the sender Lambda moves its state on. */
export interface OutboxRecord {
  /** Deterministic: {@link outboxIdFor}(interactionId, purpose). */
  readonly id: string;
  readonly interactionId: string;
  readonly purpose: OutboxPurpose;
  readonly to: readonly string[];
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly inReplyTo?: string;
  readonly references: readonly string[];
  /** Built with `buildOutgoingMessageId` (core/routing/reference-token.ts), so the reply threads back by Message-ID and token. */
  readonly messageId: string;
  readonly state: OutboxState;
  readonly createdAt: string;
}

/** The outbox: records are written once (idempotent by id) and read back by the sender. */
export interface OutboxStore {
  /** Conditional put in state `pending`; `exists` when a record with this id was enqueued before. */
  enqueue(record: Omit<OutboxRecord, 'state' | 'createdAt'>, at: Date): Promise<'enqueued' | 'exists'>;
  get(id: string): Promise<OutboxRecord | undefined>;
}

/**
 * The outbox record id of one message an interaction sends for one purpose: `o-` and 20 hex digits
 * of sha256. Why deterministic: a retried ingest computes the same id, so its conditional put finds
 * the first record and the customer never gets two acknowledgements.
 */
export function outboxIdFor(interactionId: string, purpose: OutboxPurpose): string {
  return `o-${createHash('sha256').update(`${interactionId}\n${purpose}`).digest('hex').slice(0, 20)}`;
}

/**
 * The unique part of the Message-ID of an outbox record: 26 hex digits of sha256 of its id. Why
 * derived: a resend carries the very same Message-ID. It is as hard to guess as the interaction
 * id it comes from, which customers never see.
 */
export function outboxMessageIdUnique(outboxId: string): string {
  return createHash('sha256').update(`postroom-outbox-message-id\n${outboxId}`).digest('hex').slice(0, 26);
}
