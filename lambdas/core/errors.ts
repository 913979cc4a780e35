/**
 * The small error hierarchy of Postroom (STYLE.md habit 6).
 *
 * Adapters turn SDK and protocol exceptions into these. A {@link TransientError} is thrown so that
 * the queue delivers the record again; a {@link PermanentError} is never retried: the message is
 * quarantined (or the record dead-lettered) with the error's reason code.
 */
import type { FieldErrorCode } from './error-codes.ts';
import { CONFLICT_CODES, type ErrorReason } from './error-reasons.ts';
import type { ParsedMail } from './message.ts';

export abstract class PostroomError extends Error {
  /** A stable, machine-readable code, shown to admins and used in metrics. */
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Retrying cannot help: bad input, a violated limit, a missing object. */
export class PermanentError extends PostroomError {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * The deployment is broken (a missing table, a missing permission, bad credentials): no message is
 * at fault, retrying as it is will not help, and fixing the deployment will. Routing lets such an
 * error fail the record, so it retries and ends as a dead letter to redrive after the fix, instead
 * of quarantining every message that arrives meanwhile.
 */
export class DeploymentError extends PermanentError {}

/** Retrying may help: throttling, a timeout, a service that is briefly unavailable. */
export class TransientError extends PostroomError {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A message that Postroom accepted but will not route; it is kept with this reason. `headers` are
 * the root header facts the parser could still read (a mail with too many parts has an intact
 * header block), so the quarantine list shows subject and sender; absent when none could be read.
 */
export class QuarantineError extends PermanentError {
  readonly headers?: QuarantinedHeaders;
  constructor(
    readonly reason: QuarantineReason,
    message: string,
    options?: { cause?: unknown; headers?: QuarantinedHeaders },
  ) {
    super(reason, message, options);
    if (options?.headers) this.headers = options.headers;
  }
}

/** The header facts of a message kept on its quarantined interaction (a subset of ParsedMail). */
export type QuarantinedHeaders = Partial<
  Pick<ParsedMail, 'subject' | 'from' | 'to' | 'cc' | 'replyTo' | 'date' | 'messageId' | 'inReplyTo' | 'references'>
>;

/** An event or record that does not have the shape its source promises. */
export class MalformedEventError extends PermanentError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('malformed-event', message, options);
  }
}

/**
 * A request to the HTTP API that failed validation, with one message per field. `fieldCodes` gives
 * a field its machine code (core/error-codes.ts); a field without one is `invalid` (a broken rule).
 * `fieldReasons` gives a field broken by a rule its specific reason (core/error-reasons.ts), where
 * the code alone says too little.
 */
export class ValidationError extends PermanentError {
  constructor(
    readonly fields: Record<string, string>,
    readonly fieldCodes: Readonly<Record<string, FieldErrorCode>> = {},
    readonly fieldReasons: Readonly<Record<string, ErrorReason>> = {},
  ) {
    super('validation', `invalid request: ${Object.keys(fields).join(', ')}`);
  }
}

/**
 * A well-formed request naming things that exist but do not fit together (an agent that does not
 * serve the interaction's queue): answered 422 with the same field messages as a
 * {@link ValidationError}, so a client tells "fix the value" (400) from "pick another one" (422).
 */
export class UnprocessableError extends ValidationError {}

/**
 * The thing asked for does not exist; `reason` says which kind of thing (`queue.not-found`), the
 * message names it (`queue billing not found`).
 */
export class NotFoundError extends PermanentError {
  constructor(
    readonly reason: ErrorReason,
    what: string,
    id: string,
  ) {
    super('not-found', `${what} ${id} not found`);
  }
}

/** The request conflicts with what is stored: a create of something that exists, a delete of something in use. */
export class ConflictError extends PermanentError {
  /**
   * `reason`: what exactly conflicts (`queue.id-taken`, `flow.in-use`); the API answers it as
   * `error.reason`, and as `issues[].reason` of every field in `fields`. The error's `code` is
   * `conflict`, or the reason's own older code (`flow-in-use`, see CONFLICT_CODES).
   * `fields`: optional per-field messages (e.g. `{ state: 'is claimed, not waiting' }`), answered as 409 `fields`.
   */
  constructor(
    readonly reason: ErrorReason,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(CONFLICT_CODES[reason] ?? 'conflict', message);
  }
}

/**
 * The request carries no credential, or one that does not verify (a bad signature, another issuer
 * or client, an expired token): the API answers 401 `unauthenticated` with `reason`
 * (`auth.token-missing`, `auth.token-invalid`, `auth.token-expired`).
 */
export class UnauthenticatedError extends PermanentError {
  constructor(
    readonly reason: ErrorReason,
    message: string,
  ) {
    super('unauthenticated', message);
  }
}

/**
 * The caller is known but may not do this: a role too weak for the route, an interaction or queue
 * that is not the agent's, another agent named in the body. The API answers 403 `forbidden`.
 */
export class ForbiddenError extends PermanentError {
  constructor(
    readonly reason: ErrorReason,
    message: string,
  ) {
    super('forbidden', message);
  }
}

/**
 * Why a message was set aside instead of routed. Each code is shown to admins as is.
 * - `unparseable`: the MIME could not be parsed at all
 * - `too-large`: the raw message exceeds {@link MailLimits.maxMessageBytes}
 * - `too-deep`: MIME nesting deeper than the limit
 * - `too-many-parts`: more MIME parts than the limit
 * - `header-too-large`: a header block larger than the limit
 * - `no-served-recipient`: no envelope recipient is on a domain this deployment serves
 * - `raw-missing`: the stored raw message is gone (expired, deleted)
 * - `unroutable`: routing failed with an error retrying cannot heal (storage refused a write);
 *   the mail is kept here, with the error, instead of failing every attempt into the DLQ
 */
export const QUARANTINE_REASONS = [
  'unparseable',
  'too-large',
  'too-deep',
  'too-many-parts',
  'header-too-large',
  'no-served-recipient',
  'raw-missing',
  'unroutable',
] as const;

/** One of {@link QUARANTINE_REASONS}. */
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];
