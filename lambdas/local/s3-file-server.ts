/**
 * The local runtime's S3: a small HTTP server on 127.0.0.1 speaking the part of S3's REST API
 * (path-style) that Postroom and the AWS SDK v3 client use, backed by files (s3-file-store.ts).
 *
 * Operations: ListBuckets, CreateBucket, HeadBucket, PutObject, GetObject (with Range), HeadObject,
 * DeleteObject, ListObjectsV2 / ListObjects, CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload, AbortMultipartUpload; presigned GET URLs work because signatures are
 * not checked (loopback only, fixed local credentials), and so do presigned PUTs (attachment uploads). Anything else answers 501 NotImplemented.
 * The reads are answered in s3-object-reads.ts, answers and errors written by s3-response.ts.
 * CORS only for the console's uploads (s3-cors.ts, allowBrowserUploads); other pages get no CORS headers.
 * An object is on disk, fsynced, before the 200 that acknowledges it; bodies are streamed both
 * ways, so memory does not grow with object sizes.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { answerPreflight, corsRequest, responseCorsHeaders, type BrowserUploads } from './s3-cors.ts';
import { S3Failure, S3FileStore } from './s3-file-store.ts';
import { S3MultipartStore } from './s3-multipart-store.ts';
import { serveList, serveObject } from './s3-object-reads.ts';
import { announcedBytes, body, objectHeaders, type S3Request } from './s3-request.ts';
import { end, sendError, xml } from './s3-response.ts';
import { serveOnLoopback } from './services.ts';
import { completeMultipartXml, initiateMultipartXml, listBucketsXml, parseCompleteMultipart } from './s3-xml.ts';

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

async function handle(req: IncomingMessage, res: ServerResponse, store: S3FileStore, uploads: S3MultipartStore, browser: BrowserUploads | undefined): Promise<void> {
  const requestId = randomUUID();
  res.setHeader('x-amz-request-id', requestId);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  // Not `new URL()`: it would resolve `..` segments, and `a/../b` is a key like any other.
  const path = q === -1 ? url : url.slice(0, q);
  try {
    const slash = path.indexOf('/', 1);
    const r: S3Request = {
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

async function route(r: S3Request, store: S3FileStore, uploads: S3MultipartStore): Promise<void> {
  const { req, res, bucket, key, query } = r;
  const method = req.method ?? 'GET';
  if (bucket === '') {
    if (method === 'GET') return xml(res, 200, listBucketsXml(await store.listBuckets()));
  } else if (key === '') {
    if (method === 'PUT') return (await store.createBucket(bucket), end(res, 200, { Location: `/${bucket}` }));
    if (method === 'HEAD') return (await store.bucketDir(bucket), end(res, 200));
    if (method === 'GET' && [...query.keys()].every((k) => LIST_PARAMS.has(k))) return serveList(r, store);
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
    return serveObject(r, store, method === 'HEAD');
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
