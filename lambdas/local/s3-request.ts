/**
 * What the local S3 stand-in reads from a request besides its path: the object's bytes (decoding
 * aws-chunked), their announced length, the headers stored with an object, and a Range.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { awsChunkedDecoder, isAwsChunked } from './aws-chunked-decoder.ts';
import { MAX_PUT_BYTES, S3Failure, type ObjectHeaders } from './s3-file-store.ts';

/** RFC 9110 byte range (one); undefined means "the whole object" (no or an unparsable header). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(size - Number(m[2]), 0);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end || (m[1] === '' && Number(m[2]) === 0)) {
    throw new S3Failure('InvalidRange', 416, 'The requested range is not satisfiable');
  }
  return { start, end };
}

/** The request's object bytes: decoded when the SDK sent them aws-chunked. */
export function body(req: IncomingMessage): Readable {
  if (!isAwsChunked(req.headers as Record<string, string>)) return req;
  const decoder = awsChunkedDecoder();
  // pipe() does not carry a client that went away on to the decoder; without this it would wait forever.
  req.once('close', () => {
    if (!req.complete) decoder.destroy(new Error('the client closed the connection before the body ended'));
  });
  return req.pipe(decoder);
}

/** The number of object bytes the client announced, if it did. */
export function announcedBytes(req: IncomingMessage): number | undefined {
  const decoded = req.headers['x-amz-decoded-content-length'];
  const raw = isAwsChunked(req.headers as Record<string, string>) ? decoded : req.headers['content-length'];
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) return undefined;
  const bytes = Number(raw);
  if (bytes > MAX_PUT_BYTES) throw new S3Failure('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size');
  return bytes;
}

/** Content-Type and the other stored headers, and `x-amz-meta-*` user metadata (S3 lower-cases names). */
export function objectHeaders(req: IncomingMessage): ObjectHeaders {
  const h = req.headers;
  const str = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(h)) {
    if (name.startsWith('x-amz-meta-') && typeof value === 'string') metadata[name.slice('x-amz-meta-'.length)] = value;
  }
  // aws-chunked is how the body travelled, not how the object is encoded.
  const encoding = str(h['content-encoding'])
    ?.split(',')
    .map((e) => e.trim())
    .filter((e) => e && e !== 'aws-chunked')
    .join(', ');
  const headers: Record<string, unknown> = {
    contentType: str(h['content-type']),
    contentDisposition: str(h['content-disposition']),
    contentEncoding: encoding || undefined,
    contentLanguage: str(h['content-language']),
    cacheControl: str(h['cache-control']),
  };
  for (const name of Object.keys(headers)) if (headers[name] === undefined) delete headers[name];
  return { ...(headers as Omit<ObjectHeaders, 'metadata'>), metadata };
}

/** A request as the stand-in routes it: its bucket and key decoded from the path, and its query. */
export interface S3Request {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly bucket: string;
  readonly key: string;
  readonly query: URLSearchParams;
}
