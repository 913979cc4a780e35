/**
 * CORS of the local S3 (s3-file-server.ts) for the console's attachment uploads (issue 12): the
 * composer PUTs a file to a presigned URL of the mail bucket, on this server's port, from a page of
 * the API's origin. As deployed (lib/constructs/mail-store.ts, BROWSER_CORS_RULE for the console's
 * origin only), only the console's origins are admitted, and here only for PUTs of `uploads/` keys
 * of the mail bucket: any other origin, method, header or key gets no CORS headers, so a browser
 * refuses the page's request (a request without `Origin`, the SDK's or the CLI's, is not CORS at all).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorXml } from './s3-xml.ts';

/** The keys a page may PUT (outbound-files.ts `uploadKey`): attachments, nothing else in the bucket. */
export const BROWSER_UPLOAD_PREFIX = 'uploads/';

/** How long a browser may reuse a preflight answer: as the deployed rule's MaxAgeSeconds. */
export const CORS_MAX_AGE_SECONDS = 3600;

/**
 * Headers a presigned upload sends (outbound-files.ts `presignUpload`): content-type and
 * content-disposition; content-length is set by the browser itself. As the deployed AllowedHeaders.
 */
const ALLOWED_HEADERS: ReadonlySet<string> = new Set(['content-type', 'content-disposition']);

/** Who may upload from a browser: one bucket, pages of these origins. */
export interface BrowserUploads {
  readonly bucket: string;
  readonly origins: ReadonlySet<string>;
}

/** What a request asks for, as far as CORS cares. */
export interface CorsRequest {
  readonly method: string;
  readonly bucket: string;
  readonly key: string;
  readonly origin: string | undefined;
  /** `Access-Control-Request-Method` of a preflight. */
  readonly requestMethod?: string | undefined;
  /** `Access-Control-Request-Headers` of a preflight (comma-separated). */
  readonly requestHeaders?: string | undefined;
}

/**
 * The answer to a preflight (OPTIONS): its headers when `uploads` admits the request, else
 * undefined (the server answers 403 without CORS headers, as S3 does). @default uploads none
 */
export function preflightHeaders(uploads: BrowserUploads | undefined, r: CorsRequest): Record<string, string> | undefined {
  if (!admits(uploads, r) || r.requestMethod !== 'PUT') return undefined;
  const asked = (r.requestHeaders ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  if (!asked.every((h) => ALLOWED_HEADERS.has(h))) return undefined;
  return {
    'Access-Control-Allow-Origin': r.origin!,
    'Access-Control-Allow-Methods': 'PUT',
    'Access-Control-Allow-Headers': [...ALLOWED_HEADERS].join(', '),
    'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
    Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
  };
}

/**
 * The CORS headers of an actual request: for an admitted PUT the origin and the exposed ETag
 * (so a page may read it, as S3's ExposeHeaders), else none. @default uploads none
 */
export function responseCorsHeaders(uploads: BrowserUploads | undefined, r: CorsRequest): Record<string, string> {
  if (r.method !== 'PUT' || !admits(uploads, r)) return {};
  return { 'Access-Control-Allow-Origin': r.origin!, 'Access-Control-Expose-Headers': 'ETag', Vary: 'Origin' };
}

function admits(uploads: BrowserUploads | undefined, r: CorsRequest): boolean {
  return (
    uploads !== undefined &&
    r.origin !== undefined &&
    uploads.origins.has(r.origin) &&
    r.bucket === uploads.bucket &&
    r.key.startsWith(BROWSER_UPLOAD_PREFIX) &&
    r.key.length > BROWSER_UPLOAD_PREFIX.length
  );
}

/** What `req` asks for, addressed to `key` of `bucket`. */
export function corsRequest(req: IncomingMessage, bucket: string, key: string): CorsRequest {
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  return { method: req.method ?? 'GET', bucket, key, origin: header('origin'), requestMethod: header('access-control-request-method'), requestHeaders: header('access-control-request-headers') };
}

/** Answers a preflight: 200 with its headers, or S3's 403 with no CORS headers (the browser then sends nothing). */
export function answerPreflight(res: ServerResponse, uploads: BrowserUploads | undefined, r: CorsRequest): void {
  const headers = preflightHeaders(uploads, r);
  if (headers) return void res.writeHead(200, headers).end();
  const text = errorXml('AccessForbidden', 'CORSResponse: This CORS request is not allowed.', `/${r.bucket}/${r.key}`, String(res.getHeader('x-amz-request-id') ?? ''));
  res.writeHead(403, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(text) }).end(text);
}
