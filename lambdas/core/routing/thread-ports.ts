/**
 * The ports of threading, probable-duplicate detection and the auto-acknowledgement limiter
 * (decision 4; the outbox is core/outbound/outbox.ts). Core defines them; the DynamoDB adapters
 * implement them, each method being one conditional write or one bounded read (decision 7).
 */

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
  | { readonly existing: string; /** ISO time the first copy claimed the Message-ID. */ readonly at?: string }
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
