/**
 * The local runtime's S3: a small HTTP server on 127.0.0.1 speaking the part of S3's REST API
 * (path-style) that Postroom and the AWS SDK v3 client use, backed by files (s3-file-store.ts).
 *
 * Operations: ListBuckets, CreateBucket, HeadBucket, PutObject, GetObject (with Range), HeadObject,
 * DeleteObject, ListObjectsV2 / ListObjects, CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload, AbortMultipartUpload; presigned GET URLs work because signatures are
 * not checked (loopback only, fixed local credentials), and so do presigned PUTs (attachment uploads). Anything else answers 501 NotImplemented.
 * CORS only for the console's uploads (s3-cors.ts, allowBrowserUploads); other pages get no CORS headers.
 * An object is on disk, fsynced, before the 200 that acknowledges it; bodies are streamed both
 * ways, so memory does not grow with object sizes.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { answerPreflight, corsRequest, responseCorsHeaders, type BrowserUploads } from './s3-cors.ts';
import { S3Failure, S3FileStore } from './s3-file-store.ts';
import { listObjects, MAX_LIST_KEYS } from './s3-object-listing.ts';
import { S3MultipartStore } from './s3-multipart-store.ts';
import { announcedBytes, body, objectHeaders, parseRange } from './s3-request.ts';
import { serveOnLoopback } from './services.ts';
import { completeMultipartXml, errorXml, initiateMultipartXml, listBucketsXml, listXml, parseCompleteMultipart } from './s3-xml.ts';

/** A CompleteMultipartUpload document for 10,000 parts is about 1 MB; anything larger is abuse. */
const MAX_XML_BODY_BYTES = 2 * 1024 * 1024;

export interface S3FileServerOptions {
  /** Folder that holds buckets, objects, uploads and temp files; created when missing. */
  readonly root: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  /** Buckets created at start (idempotent). @default [] */
  readonly buckets?: readonly string[];
  /** fsync before answering; off only for a folder deleted at stop. @default true */
  readonly durable?: boolean;
}

export interface S3FileServer {
  /** Base URL on 127.0.0.1 for `endpoint` / `AWS_ENDPOINT_URL_S3` (path-style). */
  readonly endpoint: string;
  readonly store: S3FileStore;
  /** Lets pages of `origins` (the console's) PUT `uploads/` keys of `bucket` (CORS); replaces an earlier call. @default none */
  allowBrowserUploads(bucket: string, origins: Iterable<string>): void;
  stop(): Promise<void>;
}

/** Starts the server on 127.0.0.1; resolves once it listens. */
export async function startS3FileServer(options: S3FileServerOptions): Promise<S3FileServer> {
  const store = new S3FileStore(options.root, options.durable ?? true);
  await store.open();
  for (const bucket of options.buckets ?? []) await store.createBucket(bucket);
  const uploads = new S3MultipartStore(store);
  // Set once the API listens (its origins name its port), after this server started.
  let browser: BrowserUploads | undefined;
  const server = createServer((req, res) => {
    void handle(req, res, store, uploads, browser);
  });
  return {
    ...(await serveOnLoopback(server, options.port)),
    store,
    allowBrowserUploads: (bucket, origins) => void (browser = { bucket, origins: new Set(origins) }),
  };
}

interface Request {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly bucket: string;
  readonly key: string;
  readonly query: URLSearchParams;
}

async function handle(req: IncomingMessage, res: ServerResponse, store: S3FileStore, uploads: S3MultipartStore, browser: BrowserUploads | undefined): Promise<void> {
  const requestId = randomUUID();
  res.setHeader('x-amz-request-id', requestId);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  // Not `new URL()`: it would resolve `..` segments, and `a/../b` is a key like any other.
  const path = q === -1 ? url : url.slice(0, q);
  try {
    const slash = path.indexOf('/', 1);
    const r: Request = {
      req,
      res,
      bucket: decode(slash === -1 ? path.slice(1) : path.slice(1, slash)),
      key: slash === -1 ? '' : decode(path.slice(slash + 1)),
      query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
    };
    const cors = corsRequest(req, r.bucket, r.key);
    if (cors.method === 'OPTIONS') return answerPreflight(res, browser, cors);
    // Before the answer, so an admitted upload's error (400, 403) is readable by the page too.
    for (const [name, value] of Object.entries(responseCorsHeaders(browser, cors))) res.setHeader(name, value);
    await route(r, store, uploads);
  } catch (err) {
    const failure =
      err instanceof S3Failure ? err : new S3Failure('InternalError', 500, 'We encountered an internal error. Please try again.');
    if (!(err instanceof S3Failure)) process.emitWarning(`local S3: ${(err as Error).message}`);
    await sendError(req, res, failure, path, requestId);
  }
}

async function route(r: Request, store: S3FileStore, uploads: S3MultipartStore): Promise<void> {
  const { req, res, bucket, key, query } = r;
  const method = req.method ?? 'GET';
  if (bucket === '') {
    if (method === 'GET') return xml(res, 200, listBucketsXml(await store.listBuckets()));
  } else if (key === '') {
    if (method === 'PUT') return (await store.createBucket(bucket), end(res, 200, { Location: `/${bucket}` }));
    if (method === 'HEAD') return (await store.bucketDir(bucket), end(res, 200));
    if (method === 'GET' && [...query.keys()].every((k) => LIST_PARAMS.has(k))) return list(r, store);
  } else if (method === 'PUT' && query.has('uploadId')) {
    const etag = await uploads.putPart(bucket, key, query.get('uploadId')!, Number(query.get('partNumber')), body(req), announcedBytes(req));
    return end(res, 200, { ETag: etag });
  } else if (method === 'PUT' && !req.headers['x-amz-copy-source'] && [...query.keys()].every((k) => k === 'x-id' || PRESIGN_PARAMS.test(k))) {
    const md5 = req.headers['content-md5'];
    const stored = await store.putObject(bucket, key, body(req), objectHeaders(req), {
      ...(announcedBytes(req) !== undefined && { bytes: announcedBytes(req)! }),
      ...(typeof md5 === 'string' && { md5: Buffer.from(md5, 'base64') }),
    });
    return end(res, 200, { ETag: stored.etag });
  } else if (method === 'GET' || method === 'HEAD') {
    return getObject(r, store, method === 'HEAD');
  } else if (method === 'DELETE') {
    if (query.has('uploadId')) await uploads.abort(bucket, key, query.get('uploadId')!);
    else await store.deleteObject(bucket, key);
    return end(res, 204);
  } else if (method === 'POST' && query.has('uploads')) {
    return xml(res, 200, initiateMultipartXml(bucket, key, await uploads.create(bucket, key, objectHeaders(req))));
  } else if (method === 'POST' && query.has('uploadId')) {
    const parts = await readXml(req).then(parseCompleteMultipart, (err: unknown) => {
      throw err instanceof S3Failure ? err : new S3Failure('MalformedXML', 400, 'The XML you provided was not well-formed.');
    });
    const stored = await uploads.complete(bucket, key, query.get('uploadId')!, parts);
    return xml(res, 200, completeMultipartXml(`/${bucket}/${encodeURI(key)}`, bucket, stored));
  }
  throw new S3Failure('NotImplemented', 501, 'A header or query you provided implies functionality that is not implemented.');
}

/** The query of a presigned PUT (an upload of an attachment, issue 11): its signature, not checked here. */
const PRESIGN_PARAMS = /^X-Amz-(Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Content-Sha256|Security-Token)$/;

/** Query parameters of ListObjects(V2); presence of any other (`?location`, `?policy`) is not a list. */
const LIST_PARAMS = new Set(['list-type', 'prefix', 'delimiter', 'max-keys', 'continuation-token', 'start-after', 'marker', 'encoding-type', 'fetch-owner', 'x-id']);

async function list({ res, bucket, query }: Request, store: S3FileStore): Promise<void> {
  const v2 = query.get('list-type') === '2';
  const maxKeys = query.has('max-keys') ? Number(query.get('max-keys')) : MAX_LIST_KEYS;
  if (!Number.isInteger(maxKeys) || maxKeys < 0) throw new S3Failure('InvalidArgument', 400, 'Provided max-keys not an integer or within integer range');
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') || undefined;
  const startAfter = (v2 ? query.get('start-after') : query.get('marker')) ?? undefined;
  const token = v2 ? (query.get('continuation-token') ?? undefined) : undefined;
  const page = await listObjects(store, bucket, {
    prefix,
    maxKeys,
    ...(delimiter !== undefined && { delimiter }),
    ...(startAfter !== undefined && { startAfter }),
    ...(token !== undefined && { continuationToken: token }),
  });
  const encode = query.get('encoding-type') === 'url';
  const body = listXml({
    bucket,
    page,
    prefix,
    ...(delimiter !== undefined && { delimiter }),
    maxKeys,
    encode,
    v2: v2 ? { ...(token !== undefined && { continuationToken: token }), ...(startAfter !== undefined && { startAfter }) } : undefined,
    ...(startAfter !== undefined && { marker: startAfter }),
  });
  return xml(res, 200, body);
}

async function getObject({ req, res, bucket, key, query }: Request, store: S3FileStore, head: boolean): Promise<void> {
  const object = await store.headObject(bucket, key);
  if (!object) throw new S3Failure('NoSuchKey', 404, 'The specified key does not exist.');
  const range = parseRange(req.headers.range, object.size);
  const headers: Record<string, string | number> = {
    'Content-Type': query.get('response-content-type') ?? object.contentType ?? 'binary/octet-stream',
    'Content-Length': range ? range.end - range.start + 1 : object.size,
    ETag: object.etag,
    'Last-Modified': object.lastModified.toUTCString(),
    'Accept-Ranges': 'bytes',
    ...(range && { 'Content-Range': `bytes ${range.start}-${range.end}/${object.size}` }),
  };
  const optional: [string, string | undefined, string][] = [
    ['Content-Disposition', object.contentDisposition, 'response-content-disposition'],
    ['Content-Encoding', object.contentEncoding, 'response-content-encoding'],
    ['Content-Language', object.contentLanguage, 'response-content-language'],
    ['Cache-Control', object.cacheControl, 'response-cache-control'],
  ];
  for (const [name, stored, override] of optional) {
    const value = query.get(override) ?? stored;
    if (value !== undefined) headers[name] = value;
  }
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  res.writeHead(range ? 206 : 200, headers);
  if (head || object.size === 0) return void res.end();
  // A client that goes away mid-download ends the pipeline; nothing to answer then.
  await pipeline(store.openObject(object, range), res).catch(() => undefined);
}

async function readXml(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body(req) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_XML_BODY_BYTES) throw new S3Failure('MaxMessageLengthExceeded', 400, 'Your request was too big.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new S3Failure('InvalidURI', 400, "Couldn't parse the specified URI.");
  }
}

function end(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}

function xml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers with S3's error document, after discarding what is left of the request body. */
async function sendError(req: IncomingMessage, res: ServerResponse, failure: S3Failure, resource: string, requestId: string): Promise<void> {
  if (res.headersSent || (!req.complete && req.destroyed)) return void res.destroy();
  if (!req.complete && failure.code === 'EntityTooLarge') {
    // Gigabytes are not worth reading to throw away: answer and close the connection.
    res.setHeader('Connection', 'close');
  } else if (!req.complete) {
    // Discarded, not buffered: the client can read the answer instead of seeing a reset.
    req.unpipe();
    req.resume();
    await new Promise((resolve) => {
      req.once('end', resolve);
      req.once('error', resolve);
      req.once('close', resolve);
    });
  }
  if (req.method === 'HEAD') return end(res, failure.status);
  xml(res, failure.status, errorXml(failure.code, failure.message, resource, requestId));
}
