/**
 * The HTTP rules every request to the API keeps, deployed (Lambda) and local alike: bodies are JSON
 * (`Content-Type: application/json`, else 415) and small (at most {@link API_BODY_LIMIT_BYTES},
 * else 413, refused before more than that is read), and a known path asked with the wrong method
 * answers 405 with `Allow` (an unknown path stays 404). Why 415: a web page can send `text/plain`
 * or form bodies to any URL without a CORS preflight, but not `application/json`; refusing every
 * other type is what keeps a page from forging requests to the local API. No CORS headers are sent.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { TrieRouter } from 'hono/router/trie-router';
import { API_ERROR_CODES } from '../../core/error-codes.ts';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import { errorBody, routeNotFound } from './errors.ts';

/**
 * The largest request body the API reads: 1 MiB. Why: the largest body it takes is a flow, and a
 * stored flow must fit one DynamoDB item (FLOW_MAX_ITEM_BYTES, under 400 KB); API Gateway's own
 * cap (10 MB) is far above what any request needs.
 */
export const API_BODY_LIMIT_BYTES = 1024 * 1024;

/** Methods that never carry a body here; every other method's body must be JSON. */
const BODYLESS_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `application/json`, with parameters (`; charset=utf-8`) or without. */
function isJson(contentType: string): boolean {
  return contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** True when the request says it has a body (HTTP/1.1: a non-zero Content-Length or a Transfer-Encoding). */
function hasBody(headers: Headers): boolean {
  if (headers.has('transfer-encoding')) return true;
  const length = headers.get('content-length');
  return length !== null && length.trim() !== '0';
}

/**
 * Middleware: 415 for a body, or any declared Content-Type, that is not JSON; 413 for a body over
 * `maxBytes` (a declared Content-Length over it is refused unread; a streamed body is counted and
 * refused at the first byte past it). A request without a body and without a Content-Type passes,
 * so `POST /agents/:id/next` needs no body.
 */
export function jsonRequestRules(maxBytes: number = API_BODY_LIMIT_BYTES): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      c.json(errorBody(API_ERROR_CODES.payloadTooLarge, ERROR_REASONS.requestTooLarge, `the body is larger than ${maxBytes} bytes`), 413, { connection: 'close' }),
  });
  return async (c, next) => {
    if (BODYLESS_METHODS.has(c.req.method)) return next();
    const contentType = c.req.header('content-type');
    if ((contentType !== undefined || hasBody(c.req.raw.headers)) && !isJson(contentType ?? '')) {
      return c.json(errorBody(API_ERROR_CODES.unsupportedMediaType, ERROR_REASONS.requestNotJson, 'the body must be JSON, sent as Content-Type: application/json'), 415, {
        connection: 'close',
      });
    }
    return limit(c, next);
  };
}

/**
 * The not-found handler of `app`: 405 with `Allow` when the path is served for other methods, else
 * the 404 of {@link routeNotFound}. Call it after every route is added; the path table is built on
 * the first miss.
 */
export function methodNotAllowed(app: Hono): (c: Context) => Response {
  let paths: TrieRouter<string> | undefined;
  return (c) => {
    if (!paths) {
      paths = new TrieRouter<string>();
      for (const route of app.routes) if (route.method !== 'ALL') paths.add('ANY', route.path, route.method);
    }
    const allowed = new Set(paths.match('ANY', c.req.path)[0].map(([method]) => method));
    if (allowed.size === 0) return routeNotFound(c);
    if (allowed.has('GET')) allowed.add('HEAD');
    const allow = [...allowed].sort().join(', ');
    return c.json(errorBody(API_ERROR_CODES.methodNotAllowed, ERROR_REASONS.routeMethodNotAllowed, `${c.req.method} is not allowed on ${c.req.path}; use ${allow}`), 405, { allow });
  };
}
