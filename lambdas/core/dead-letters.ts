/**
 * Dead letters (ARCHITECTURE.md decision 11: whatever exhausts its retries is listed, alarmed and
 * redrivable). An inbound record that failed {@link MAX_RECEIVE_COUNT}-many times lands in the
 * DLQ; the recorder turns it into a durable {@link DeadLetter} with its reason, so SQS's 14-day
 * retention no longer decides how long an operator has to look at it.
 *
 * Pure: the model, the reason of a failure, and the recorder's steps over core's ports.
 */
import { createHash } from 'node:crypto';
import { PostroomError } from './errors.ts';
import type { Page } from './ports.ts';
import { interactionIdFor } from './ingest.ts';

/**
 * SQS bodies up to this many bytes are kept inline on the dead-letter item; larger ones go to
 * storage (claim check, decision 3). Why 4 KB: an SES notification with a long header list can
 * reach tens of KB, and DynamoDB items must stay far below 400 KB and cheap to list.
 */
export const MAX_INLINE_BODY_BYTES = 4_096;
/** A failure's message is cut to this many characters: enough to act on, too short to carry mail. */
export const MAX_REASON_CHARS = 500;

/** `dead` until an operator redrives it; then `redriven` (kept as history). */
export type DeadLetterState = 'dead' | 'redriven';
export const DEAD_LETTER_STATES: readonly DeadLetterState[] = ['dead', 'redriven'];

/** Why a record failed: a stable code (PostroomError codes, `malformed-event`, `unexpected`) and a short message. */
export interface FailureReason {
  readonly code: string;
  readonly message: string;
  /** Failed attempts recorded on the ingest ledger, when known. */
  readonly attempts?: number;
  /** When the last attempt failed, ISO 8601, when known. */
  readonly at?: string;
}

/** A record of the inbound queue that exhausted its retries. */
export interface DeadLetter {
  readonly id: string;
  readonly state: DeadLetterState;
  /** When the recorder took it from the DLQ. */
  readonly deadLetteredAt: string;
  /** The SQS message id (kept when SQS moves a message to its DLQ): the recorder's idempotency key. */
  readonly sqsMessageId: string;
  /** SQS's receive count when the recorder got it (inbound receives plus the DLQ's own). */
  readonly receiveCount: number;
  /** When the message was first sent to the inbound queue, when known. */
  readonly sentAt?: string;
  /** The transport identity (decision 4), when the body is an inbound notification. */
  readonly transportKey?: string;
  /** The interaction this message becomes once ingested, derived from the transport key. */
  readonly interactionId?: string;
  readonly reason: FailureReason;
  /** The original SQS body when it is at most {@link MAX_INLINE_BODY_BYTES}. */
  readonly body?: string;
  /** Where the original SQS body is stored when it is larger (claim check). */
  readonly bodyObject?: string;
  readonly bodyBytes: number;
  readonly redrivenAt?: string;
}

/** The stored dead letters. */
export interface DeadLetterStore {
  /** Conditional put keyed on the id: `exists` when the recorder already recorded it. */
  create(deadLetter: DeadLetter): Promise<'created' | 'exists'>;
  get(id: string): Promise<DeadLetter | undefined>;
  /** Dead letters in one state, newest first. */
  list(state: DeadLetterState, limit: number, cursor?: string): Promise<Page<DeadLetter>>;
  /** Conditional `dead` -> `redriven`; `undefined` when it was not `dead` any more. */
  markRedriven(id: string, at: Date): Promise<DeadLetter | undefined>;
}

/** What dead letters need from the ingest ledger item `M#<transportKey>`. */
export interface DeadLetterLedger {
  /** The failure the routing Lambda recorded last for `key`, if any. */
  lastFailure(key: string): Promise<FailureReason | undefined>;
  /** Sets `deadLetteredAt`, so the reconciler leaves the message to its dead letter. */
  markDeadLettered(key: string, at: Date): Promise<void>;
  /** Removes `deadLetteredAt` before a redrive. */
  clearDeadLettered(key: string): Promise<void>;
}

/** Storage of large bodies (claim check). */
export interface DeadLetterBodies {
  /** Stores `body` for dead letter `id` (idempotent: same id, same object); returns its key. */
  put(id: string, body: string): Promise<string>;
  get(key: string): Promise<string>;
}

/** The inbound queue, as redrive sends to it. */
export interface InboundRequeue {
  send(body: string): Promise<void>;
}

/** What the recorder got from the DLQ; the handler fills it from the SQS record. */
export interface DeadLetterInput {
  readonly sqsMessageId: string;
  readonly body: string;
  readonly receiveCount: number;
  readonly sentAt?: string;
  /** Set when the body is an inbound notification. */
  readonly transportKey?: string;
  /** Set when it is not: why it could not be parsed. */
  readonly parseError?: FailureReason;
}

export interface RecorderDeps {
  readonly store: DeadLetterStore;
  readonly ledger: DeadLetterLedger;
  readonly bodies: DeadLetterBodies;
  readonly now: () => Date;
}

/** The reason when none was recorded: the routing Lambda crashed, timed out or could not record. */
export const UNRECORDED_REASON: FailureReason = {
  code: 'unrecorded',
  message: 'no failure was recorded: the routing Lambda may have timed out or crashed (see its logs)',
};

/**
 * The reason of a failed attempt, safe to store and show: the error's stable code (or
 * `unexpected`), and its message with control characters removed, cut to {@link MAX_REASON_CHARS}.
 * Why only the message: stacks and causes can carry SDK internals and request data.
 */
export function failureOf(err: unknown): FailureReason {
  const code = err instanceof PostroomError ? err.code : 'unexpected';
  const text = err instanceof PostroomError ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { code, message: shortText(text) };
}

/** `text` on one line without control characters, at most {@link MAX_REASON_CHARS} characters. */
export function shortText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS - 1)}…` : line;
}

/** The dead letter id of an SQS message: stable under redelivery, URL-safe, not the raw SQS id. */
export function deadLetterIdFor(sqsMessageId: string): string {
  return `dl-${createHash('sha256').update(sqsMessageId).digest('hex').slice(0, 24)}`;
}

/**
 * Records one DLQ message as a dead letter, idempotently: the reason comes from the ledger's last
 * failure (or the parse error), a large body goes to storage first, the item is put
 * conditionally, and the ledger item gets `deadLetteredAt`, unless the dead letter was already
 * redriven (a late redelivery must not re-flag a message that is back in the inbound queue).
 * The caller deletes the DLQ message only after this resolves: the item is the record from then on.
 */
export async function recordDeadLetter(input: DeadLetterInput, deps: RecorderDeps): Promise<'created' | 'exists'> {
  const id = deadLetterIdFor(input.sqsMessageId);
  const key = input.transportKey;
  const reason = key !== undefined ? ((await deps.ledger.lastFailure(key)) ?? UNRECORDED_REASON) : (input.parseError ?? UNRECORDED_REASON);
  const bytes = new TextEncoder().encode(input.body).length;
  const stored = bytes > MAX_INLINE_BODY_BYTES ? { bodyObject: await deps.bodies.put(id, input.body) } : { body: input.body };
  const now = deps.now();
  const deadLetter: DeadLetter = {
    id,
    state: 'dead',
    deadLetteredAt: now.toISOString(),
    sqsMessageId: input.sqsMessageId,
    receiveCount: input.receiveCount,
    ...(input.sentAt !== undefined && { sentAt: input.sentAt }),
    ...(key !== undefined && { transportKey: key, interactionId: interactionIdFor(key) }),
    reason,
    ...stored,
    bodyBytes: bytes,
  };
  const created = await deps.store.create(deadLetter);
  if (created === 'exists' && (await deps.store.get(id))?.state !== 'dead') return created;
  if (key !== undefined) await deps.ledger.markDeadLettered(key, now);
  return created;
}
