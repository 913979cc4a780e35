/**
 * The local S3 stand-in's reads: ListObjects(V2) and GetObject/HeadObject, answered from the file
 * store (s3-file-store.ts) and its listing (s3-object-listing.ts); s3-file-server.ts routes to them.
 */
import { pipeline } from 'node:stream/promises';
import { S3Failure, type S3FileStore } from './s3-file-store.ts';
import { listObjects, MAX_LIST_KEYS } from './s3-object-listing.ts';
import { parseRange, type S3Request } from './s3-request.ts';
import { xml } from './s3-response.ts';
import { listXml } from './s3-xml.ts';

/**
 * Answers ListObjectsV2 (`list-type=2`) or ListObjects: up to `max-keys` (default MAX_LIST_KEYS)
 * keys after `start-after`/`marker` or the continuation token, grouped by `delimiter` when given.
 */
export async function serveList({ res, bucket, query }: S3Request, store: S3FileStore): Promise<void> {
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

/**
 * Answers GetObject or (with `head`) HeadObject: the stored headers, `response-*` overrides of the
 * query, one Range (206) or the whole object, streamed from disk.
 */
export async function serveObject({ req, res, bucket, key, query }: S3Request, store: S3FileStore, head: boolean): Promise<void> {
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
