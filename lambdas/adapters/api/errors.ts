/**
 * How the API reports failure: always JSON `{ error: { code, reason, message, fields?, issues? } }`,
 * with a status that tells the client whether to fix the request (400/404), retry (503) or report a
 * bug (500). `code` is the family of the failure (core/error-codes.ts's API_ERROR_CODES, the codes
 * clients read since the first release); `reason` says exactly what went wrong as
 * `<entity>.<problem>` (core/error-reasons.ts), which is what the CLI and the console key their
 * text on. `fields` maps each field path to its message, and `issues` lists the same fields as
 * `{ path, code, reason?, message }` with a stable field code (FIELD_ERROR_CODES) and, for a broken
 * rule the code says too little about, the rule's reason.
 * Unexpected errors are logged in full and answered with a generic message: a stack trace or a
 * serialized SDK error can leak table names, account ids and internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { API_ERROR_CODES, FIELD_ERROR_CODES, type ApiErrorCode, type FieldErrorCode } from '../../core/error-codes.ts';
import { ERROR_REASONS, type ErrorReason } from '../../core/error-reasons.ts';
import { ConflictError, ForbiddenError, NotFoundError, TransientError, UnauthenticatedError, UnprocessableError, ValidationError } from '../../core/errors.ts';
import type { FieldIssue } from './validation.ts';

/** Where the API writes what it does not show callers; a Lambda's console goes to CloudWatch. */
export type ApiLog = (message: string, details: Record<string, unknown>) => void;

/** The default {@link ApiLog}: one JSON line on stderr, which Lambda ships to CloudWatch. */
export const consoleLog: ApiLog = (message, details) =>
  console.error(JSON.stringify({ level: 'ERROR', message, ...details }));

/** How the fields of an error body are coded; see {@link errorBody}. */
export interface FieldCoding {
  /** Each field's code. @default `fallback` */
  readonly codes?: Readonly<Record<string, FieldErrorCode>>;
  /** The code of a field without one in `codes`. @default 'invalid' (a broken rule) */
  readonly fallback?: FieldErrorCode;
  /** Each field's reason. @default `reason`, else no reason (the code says enough) */
  readonly reasons?: Readonly<Record<string, ErrorReason>>;
  /** The reason of a field without one in `reasons` (a 409's fields share the conflict's). @default none */
  readonly reason?: ErrorReason;
}

/** The error body; `coding` says how `fields` become `issues`. */
export function errorBody(
  code: ApiErrorCode,
  reason: ErrorReason,
  message: string,
  fields?: Readonly<Record<string, string>>,
  coding: FieldCoding = {},
) {
  if (!fields) return { error: { code, reason, message } };
  const issues: FieldIssue[] = Object.entries(fields).map(([path, text]) => {
    const fieldReason = coding.reasons?.[path] ?? coding.reason;
    const fieldCode = coding.codes?.[path] ?? coding.fallback ?? FIELD_ERROR_CODES.invalid;
    return { path, code: fieldCode, ...(fieldReason !== undefined && { reason: fieldReason }), message: text };
  });
  return { error: { code, reason, message, fields, issues } };
}

/** Maps a thrown error to its response; see the module comment for the rules. */
export function errorResponse(err: Error, c: Context, log: ApiLog): Response {
  if (err instanceof ValidationError) {
    const coding = { codes: err.fieldCodes, reasons: err.fieldReasons };
    return c.json(errorBody(API_ERROR_CODES.validation, ERROR_REASONS.requestInvalid, err.message, err.fields, coding), err instanceof UnprocessableError ? 422 : 400);
  }
  if (err instanceof UnauthenticatedError) {
    // RFC 6750 3: a 401 names the scheme the client should authenticate with.
    return c.json(errorBody(API_ERROR_CODES.unauthenticated, err.reason, err.message), 401, { 'www-authenticate': 'Bearer' });
  }
  if (err instanceof ForbiddenError) return c.json(errorBody(API_ERROR_CODES.forbidden, err.reason, err.message), 403);
  if (err instanceof NotFoundError) return c.json(errorBody(API_ERROR_CODES.notFound, err.reason, err.message), 404);
  if (err instanceof ConflictError) {
    const coding = { fallback: FIELD_ERROR_CODES.conflict, reason: err.reason };
    return c.json(errorBody(conflictCode(err.code), err.reason, err.message, err.fields, coding), 409);
  }
  if (err instanceof TransientError) {
    log('transient failure', { code: err.code, reason: err.message, path: c.req.path });
    return c.json(errorBody(API_ERROR_CODES.unavailable, ERROR_REASONS.serverUnavailable, 'the service is briefly unavailable, please retry'), 503);
  }
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's own exceptions carry framework text; the status says enough.
    return c.json(errorBody(API_ERROR_CODES.badRequest, ERROR_REASONS.requestMalformed, 'bad request'), err.status as ContentfulStatusCode);
  }
  log('unexpected failure', { name: err.name, reason: err.message, stack: err.stack, path: c.req.path });
  return c.json(errorBody(API_ERROR_CODES.internal, ERROR_REASONS.serverInternal, 'internal error'), 500);
}

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(API_ERROR_CODES));

/** A conflict's own code (`flow-in-use`, ...; core's CONFLICT_CODES) when it is a listed code, else `conflict`. */
function conflictCode(code: string): ApiErrorCode {
  return KNOWN_CODES.has(code) ? (code as ApiErrorCode) : API_ERROR_CODES.conflict;
}

/** The answer for a path no route serves. */
export function routeNotFound(c: Context): Response {
  return c.json(errorBody(API_ERROR_CODES.notFound, ERROR_REASONS.routeNotFound, `no route for ${c.req.method} ${c.req.path}`), 404);
}
