/**
 * The ports of threading, probable-duplicate detection, the auto-acknowledgement limiter and the
 * outbox (decisions 4 and 8). Core defines them; the DynamoDB adapters implement them, each method
 * being one conditional write or one bounded read (decision 7).
 */
import { createHash } from 'node:crypto';

/** Which way a message went: received from a customer, or sent by us. */
export type MessageDirection = 'in' | 'out';

/** A Message-ID we know, as the thread index returns it. */
export interface MessageIdMatch {
  /** Normalized (see `normalizeMessageId` in threading.ts). */
  readonly messageId: string;
  readonly interactionId: string;
  readonly direction: MessageDirection;
  /** ISO time the message was received or sent; threading applies its window to it. */
  readonly at: string;
}

/** A reference token we issued, as the thread index returns it. */
export interface TokenMatch {
  readonly token: string;
  readonly interactionId: string;
  /** ISO time of the interaction's latest activity; the thread window counts from here. */
  readonly lastAt: string;
  /** Lower-case address of the customer the conversation is with, when known. */
  readonly customer?: string;
}

/**
 * What a claim of an inbound Message-ID found (ARCHITECTURE.md decision 4):
 * - `'new'`: no live record; this message now owns the Message-ID
 * - `{ existing }`: the same Message-ID with the same content hash: a probable duplicate
 * - `{ differs }`: the same Message-ID with another content hash: a different message that reuses
 *   the id (broken mailers, forgery); it is not a duplicate
 * - `{ ours }`: the Message-ID is one we sent: our own message came back to one of our addresses
 */
export type MessageIdClaim =
  | 'new'
  | { readonly existing: string }
  | { readonly differs: string }
  | { readonly ours: string };

/** The threading and probable-duplicate index, keyed by normalized Message-ID and token. */
export interface ThreadIndex {
  /** Records a sent or received Message-ID; `exists` when a live record already holds it. */
  record(
    messageId: string,
    interactionId: string,
    contentHash: string,
    at: Date,
    direction: MessageDirection,
  ): Promise<'recorded' | 'exists'>;
  /** The live records of these Message-IDs (bounded count: the caller's first ones are read). */
  lookup(messageIds: readonly string[]): Promise<readonly MessageIdMatch[]>;
  /**
   * Claims an inbound Message-ID for the interaction the message belongs to (its own, or the one
   * it threads onto), or says who holds it. `claimant` identifies the ingesting message (its own
   * interaction id; default `interactionId`): a claim already made by the same claimant is 'new'
   * again, because that is a retried ingest of the same message.
   */
  claimMessageId(messageId: string, contentHash: string, interactionId: string, at: Date, claimant?: string): Promise<MessageIdClaim>;
  /**
   * Records (or refreshes) the token of an interaction; `collision` when another interaction's
   * live record holds the same token (the token then keeps pointing to the first one).
   */
  recordToken(token: string, interactionId: string, at: Date, customer?: string): Promise<'recorded' | 'collision'>;
  /** The live records of these tokens. */
  lookupTokens(tokens: readonly string[]): Promise<readonly TokenMatch[]>;
}

/** At most one auto-acknowledgement per sender per window (core rule in loop-guard.ts). */
export interface AckLimiter {
  /**
   * True, and the slot is taken, when `sender` had no acknowledgement in the window before `at`,
   * or when the slot is held by `holder` already. Why a holder: ingest takes the slot before it
   * writes the outbox record; a crash in between is repaired by redelivery only if the retry
   * recognises the slot it took itself (the interaction id) instead of reading it as an
   * acknowledgement sent less than a window ago.
   */
  tryAcquire(sender: string, at: Date, holder?: string): Promise<boolean>;
}

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
  /** Built with `buildOutgoingMessageId`, so the reply threads back by Message-ID and token. */
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
