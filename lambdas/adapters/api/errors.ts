/**
 * How the API reports failure: always JSON `{ error: { code, message, fields?, issues? } }`, with a
 * status that tells the client whether to fix the request (400/404), retry (503) or report a bug
 * (500). `code` is one of core/error-codes.ts's API_ERROR_CODES; `fields` maps each field path to
 * its message, and `issues` lists the same fields as `{ path, code, message }` with a stable field
 * code (FIELD_ERROR_CODES), so clients can say it in the user's language.
 * Unexpected errors are logged in full and answered with a generic message: a stack trace or a
 * serialized SDK error can leak table names, account ids and internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { API_ERROR_CODES, FIELD_ERROR_CODES, type ApiErrorCode, type FieldErrorCode } from '../../core/error-codes.ts';
import { ConflictError, NotFoundError, TransientError, ValidationError } from '../../core/errors.ts';
import type { FieldIssue } from './validation.ts';

/** Where the API writes what it does not show callers; a Lambda's console goes to CloudWatch. */
export type ApiLog = (message: string, details: Record<string, unknown>) => void;

/** The default {@link ApiLog}: one JSON line on stderr, which Lambda ships to CloudWatch. */
export const consoleLog: ApiLog = (message, details) =>
  console.error(JSON.stringify({ level: 'ERROR', message, ...details }));

/**
 * The error body. `fieldCodes` gives each field its code; a field without one gets `fallback`
 * (`invalid` for a broken rule, `conflict` for a 409).
 */
export function errorBody(
  code: ApiErrorCode,
  message: string,
  fields?: Readonly<Record<string, string>>,
  fieldCodes: Readonly<Record<string, FieldErrorCode>> = {},
  fallback: FieldErrorCode = FIELD_ERROR_CODES.invalid,
) {
  if (!fields) return { error: { code, message } };
  const issues: FieldIssue[] = Object.entries(fields).map(([path, text]) => ({ path, code: fieldCodes[path] ?? fallback, message: text }));
  return { error: { code, message, fields, issues } };
}

/** Maps a thrown error to its response; see the module comment for the rules. */
export function errorResponse(err: Error, c: Context, log: ApiLog): Response {
  if (err instanceof ValidationError) return c.json(errorBody(API_ERROR_CODES.validation, err.message, err.fields, err.fieldCodes), 400);
  if (err instanceof NotFoundError) return c.json(errorBody(API_ERROR_CODES.notFound, err.message), 404);
  if (err instanceof ConflictError) return c.json(errorBody(conflictCode(err.code), err.message, err.fields, {}, FIELD_ERROR_CODES.conflict), 409);
  if (err instanceof TransientError) {
    log('transient failure', { code: err.code, reason: err.message, path: c.req.path });
    return c.json(errorBody(API_ERROR_CODES.unavailable, 'the service is briefly unavailable, please retry'), 503);
  }
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's own exceptions carry framework text; the status says enough.
    return c.json(errorBody(API_ERROR_CODES.badRequest, 'bad request'), err.status as ContentfulStatusCode);
  }
  log('unexpected failure', { name: err.name, reason: err.message, stack: err.stack, path: c.req.path });
  return c.json(errorBody(API_ERROR_CODES.internal, 'internal error'), 500);
}

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(API_ERROR_CODES));

/** A conflict's precise code (`flow-in-use`, ...) when it is one of the listed codes, else `conflict`. */
function conflictCode(code: string): ApiErrorCode {
  return KNOWN_CODES.has(code) ? (code as ApiErrorCode) : API_ERROR_CODES.conflict;
}

/** The answer for a path no route serves. */
export function routeNotFound(c: Context): Response {
  return c.json(errorBody(API_ERROR_CODES.notFound, `no route for ${c.req.method} ${c.req.path}`), 404);
}
