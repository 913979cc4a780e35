/**
 * How the API reports failure: always JSON `{ error: { code, message, fields? } }`, with a status
 * that tells the client whether to fix the request (400/404), retry (503) or report a bug (500).
 * Unexpected errors are logged in full and answered with a generic message: a stack trace or a
 * serialized SDK error can leak table names, account ids and internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ConflictError, NotFoundError, TransientError, ValidationError } from '../../core/errors.ts';

/** Where the API writes what it does not show callers; a Lambda's console goes to CloudWatch. */
export type ApiLog = (message: string, details: Record<string, unknown>) => void;

/** The default {@link ApiLog}: one JSON line on stderr, which Lambda ships to CloudWatch. */
export const consoleLog: ApiLog = (message, details) =>
  console.error(JSON.stringify({ level: 'ERROR', message, ...details }));

function body(code: string, message: string, fields?: Record<string, string>) {
  return { error: { code, message, ...(fields && { fields }) } };
}

/** Maps a thrown error to its response; see the module comment for the rules. */
export function errorResponse(err: Error, c: Context, log: ApiLog): Response {
  if (err instanceof ValidationError) return c.json(body(err.code, err.message, err.fields), 400);
  if (err instanceof NotFoundError) return c.json(body(err.code, err.message), 404);
  if (err instanceof ConflictError) return c.json(body(err.code, err.message, err.fields), 409);
  if (err instanceof TransientError) {
    log('transient failure', { code: err.code, reason: err.message, path: c.req.path });
    return c.json(body('unavailable', 'the service is briefly unavailable, please retry'), 503);
  }
  if (err instanceof HTTPException && err.status < 500) {
    return c.json(body('bad-request', err.message || 'bad request'), err.status as ContentfulStatusCode);
  }
  log('unexpected failure', { name: err.name, reason: err.message, stack: err.stack, path: c.req.path });
  return c.json(body('internal', 'internal error'), 500);
}

/** The answer for a path no route serves. */
export function routeNotFound(c: Context): Response {
  return c.json(body('not-found', `no route for ${c.req.method} ${c.req.path}`), 404);
}
