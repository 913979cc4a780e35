/**
 * The local runtime's file-backed S3 against the real AWS SDK v3 client: what Postroom's code and
 * the SDK send (plain and aws-chunked bodies, multipart through our own uploadStream, presigned GET)
 * round-trips, keys of any shape map to files inside the root, and objects outlive the server.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartBufferPool, uploadStream } from '../../../lambdas/adapters/mime/s3-stream-upload.ts';
import { startS3FileServer, type S3FileServer } from '../../../lambdas/local/s3-file-server.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { bytesOf, sha256Hex } from '../../support/bytes.ts';

const Bucket = 'test-bucket';
let root: string;
let server: S3FileServer;
let s3: S3Client;

function bytes(n: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

async function read(Key: string, Range?: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket, Key, ...(Range && { Range }) }));
  return bytesOf(out.Body);
}

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'postroom-s3-'));
  server = await startS3FileServer({ root });
  s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: server.endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket }));
});

afterAll(async () => {
  s3?.destroy();
  await server?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('file-backed local S3 with the AWS SDK v3 client', () => {
  it('stores a buffer and a stream (aws-chunked), with content type and user metadata', async () => {
    const body = bytes(300_000);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a/buffer', Body: body, ContentType: 'message/rfc822', Metadata: { origin: 'smtp' } }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a/stream', Body: Readable.from([body.subarray(0, 1000), body.subarray(1000)]), ContentLength: body.length }));

    expect(sha256Hex(await read('a/buffer'))).toBe(sha256Hex(body));
    expect(sha256Hex(await read('a/stream'))).toBe(sha256Hex(body));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'a/buffer' }));
    expect(head).toMatchObject({ ContentType: 'message/rfc822', ContentLength: body.length, Metadata: { origin: 'smtp' } });
    expect(head.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    await expect(s3.send(new HeadBucketCommand({ Bucket }))).resolves.toBeDefined();
  });

  it('serves byte ranges', async () => {
    const body = bytes(10_000, 7);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'ranged', Body: body }));

    expect((await read('ranged', 'bytes=100-199')).equals(body.subarray(100, 200))).toBe(true);
    expect((await read('ranged', 'bytes=9990-')).equals(body.subarray(9990))).toBe(true);
    expect((await read('ranged', 'bytes=-5')).equals(body.subarray(-5))).toBe(true);
    const out = await s3.send(new GetObjectCommand({ Bucket, Key: 'ranged', Range: 'bytes=0-9' }));
    expect(out.ContentRange).toBe('bytes 0-9/10000');
    await expect(read('ranged', 'bytes=20000-')).rejects.toMatchObject({ name: 'InvalidRange' });
  });

  it('answers NoSuchKey, NotFound and NoSuchBucket as S3 does', async () => {
    await expect(read('missing')).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    await expect(s3.send(new HeadObjectCommand({ Bucket, Key: 'missing' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('lists keys sorted, by prefix and delimiter, page by page', async () => {
    const keys = ['l/b', 'l/a', 'l/c/1', 'l/c/2', 'l/d', 'l/e', 'm/x'];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));

    const seen: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'l/', MaxKeys: 2, ContinuationToken }));
      expect(page.KeyCount).toBeLessThanOrEqual(2);
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
    expect(seen).toEqual(['l/a', 'l/b', 'l/c/1', 'l/c/2', 'l/d', 'l/e']);

    const grouped = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'l/', Delimiter: '/', MaxKeys: 3 }));
    expect(grouped.Contents?.map((c) => c.Key)).toEqual(['l/a', 'l/b']);
    expect(grouped.CommonPrefixes?.map((c) => c.Prefix)).toEqual(['l/c/']);
    expect(grouped.IsTruncated).toBe(true);
    const rest = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'l/', Delimiter: '/', ContinuationToken: grouped.NextContinuationToken }));
    expect(rest.Contents?.map((c) => c.Key)).toEqual(['l/d', 'l/e']);
    expect(rest.CommonPrefixes ?? []).toEqual([]);

    const after = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'l/', StartAfter: 'l/c/2' }));
    expect(after.Contents?.map((c) => [c.Key, c.Size])).toEqual([['l/d', 3], ['l/e', 3]]);
    expect(after.Contents?.[0]?.LastModified).toBeInstanceOf(Date);
  });

  it('stores a multipart upload from uploadStream and refuses a short middle part', async () => {
    const body = bytes(6 * 1024 * 1024 + 1000, 3);
    const size = await uploadStream(s3, { bucket: Bucket, key: 'mp/big', contentType: 'application/pdf' }, Readable.from([body]), new PartBufferPool());

    expect(size).toBe(body.length);
    expect(sha256Hex(await read('mp/big'))).toBe(sha256Hex(body));
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'mp/big' }))).ContentType).toBe('application/pdf');

    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'mp/small' }));
    const p1 = await s3.send(new UploadPartCommand({ Bucket, Key: 'mp/small', UploadId, PartNumber: 1, Body: bytes(10) }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket, Key: 'mp/small', UploadId, PartNumber: 2, Body: bytes(10) }));
    await expect(
      s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'mp/small', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } })),
    ).rejects.toMatchObject({ name: 'EntityTooSmall' });
    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'mp/small', UploadId }));
    await expect(s3.send(new UploadPartCommand({ Bucket, Key: 'mp/small', UploadId, PartNumber: 3, Body: bytes(10) }))).rejects.toMatchObject({ name: 'NoSuchUpload' });
    await expect(read('mp/small')).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('refuses an object over 5 GiB before reading its body', async () => {
    const { request } = await import('node:http');
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.endpoint}/${Bucket}/huge`, { method: 'PUT', headers: { 'Content-Length': String(6 * 1024 ** 3) } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.write(Buffer.alloc(1024));
    });

    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>EntityTooLarge</Code>');
    await expect(read('huge')).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('deletes objects (and is quiet about missing ones)', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'del/me', Body: 'x' }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'del/me' }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'del/never' }));

    await expect(read('del/me')).rejects.toMatchObject({ name: 'NoSuchKey' });
    expect((await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'del/' }))).KeyCount).toBe(0);
  });

  it('serves presigned GET URLs, with response header overrides', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'p/report.pdf', Body: 'pdf bytes', ContentType: 'application/pdf' }));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: 'p/report.pdf', ResponseContentDisposition: 'attachment; filename="report.pdf"' }), { expiresIn: 60 });

    const res = await fetch(url);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="report.pdf"');
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(await res.text()).toBe('pdf bytes');
  });

  it('keeps keys of any shape, each in its own file inside the bucket folder', async () => {
    const keys = ['../../escape', 'a/../b', '/lead', 'a//b', '.', '..', '.hidden', 'trail.', 'CON', 'Upper', 'upper', 'ünï 𝄞 ?#%+', 'x'.repeat(900), 'a', 'a/b'];
    for (const [i, Key] of keys.entries()) await s3.send(new PutObjectCommand({ Bucket, Key, Body: `body ${i}` }));

    for (const [i, Key] of keys.entries()) expect((await read(Key)).toString()).toBe(`body ${i}`);
    const listed: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken }));
      listed.push(...(page.Contents ?? []).map((c) => c.Key!));
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
    for (const Key of keys) expect(listed).toContain(Key);
    for (const file of await files(root)) expect(relative(root, file).startsWith('..')).toBe(false);
  });

  it('keeps objects across a restart on the same folder', async () => {
    const body = bytes(2 * 1024 * 1024, 9);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'kept/object', Body: body, ContentType: 'image/png' }));
    await server.stop();

    server = await startS3FileServer({ root, port: Number(new URL(server.endpoint).port) });

    expect(sha256Hex(await read('kept/object'))).toBe(sha256Hex(body));
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'kept/object' }))).ContentType).toBe('image/png');
  });
});
