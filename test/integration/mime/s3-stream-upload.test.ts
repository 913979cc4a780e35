import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { PartBufferPool, UPLOAD_PART_BYTES, uploadStream } from '../../../lambdas/adapters/mime/s3-stream-upload.ts';
import { outcomeOf } from '../../unit/adapters/mime/mail-fixtures.ts';
import { startLocalS3, type LocalS3 } from './fauxqs-s3.ts';
import { sha256Hex } from '../../support/bytes.ts';


/** Deterministic bytes that do not compress to nothing, so a wrong offset shows in the hash. */
function bytesOf(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) out[i] = (x = (x * 1664525 + 1013904223) >>> 0) >>> 24;
  return out;
}

/** Yields `bytes` in uneven chunks (like a MIME decoder does), so parts never align with chunks. */
function* chunksOf(bytes: Buffer, size = 65_521): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('uploadStream on fauxqs S3', () => {
  let local: LocalS3;
  /** Every S3 operation the uploader sent, by command name, with the UploadIds it was given. */
  const sent: string[] = [];
  const uploadIds: string[] = [];

  beforeAll(async () => {
    local = await startLocalS3();
    local.s3.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(context.commandName ?? '?');
        const result = await next(args);
        const id = (result.output as { UploadId?: string }).UploadId;
        if (context.commandName === 'CreateMultipartUploadCommand' && id) uploadIds.push(id);
        return result;
      },
      { step: 'initialize', name: 'recordCommands' },
    );
  });
  afterAll(async () => {
    await local?.stop();
  });

  it('stores a stream of three and a bit parts as one object with the exact bytes', async () => {
    // Prepare
    sent.length = 0;
    const bytes = bytesOf(3 * UPLOAD_PART_BYTES + 12_345, 7);

    // Act
    const size = await uploadStream(
      local.s3,
      { bucket: local.partsBucket, key: 'up/multi', contentType: 'application/pdf' },
      Readable.from(chunksOf(bytes)),
      new PartBufferPool(),
    );

    // Assess
    expect(size).toBe(bytes.length);
    expect(sha256Hex(await local.get(local.partsBucket, 'up/multi'))).toBe(sha256Hex(bytes));
    expect(sent.filter((c) => c === 'UploadPartCommand')).toHaveLength(4);
    expect(sent).toContain('CompleteMultipartUploadCommand');
  });

  it('stores a stream smaller than a part with a single PutObject', async () => {
    // Prepare
    sent.length = 0;
    const bytes = bytesOf(100_000, 8);

    // Act
    const size = await uploadStream(
      local.s3,
      { bucket: local.partsBucket, key: 'up/small', contentType: 'text/csv' },
      Readable.from(chunksOf(bytes, 4_096)),
      new PartBufferPool(),
    );

    // Assess
    expect(sent).toEqual(['PutObjectCommand']);
    expect(size).toBe(bytes.length);
    expect(sha256Hex(await local.get(local.partsBucket, 'up/small'))).toBe(sha256Hex(bytes));
  });

  it('reuses two part buffers however many parts there are', async () => {
    // Prepare: a pool that counts the buffers it hands out
    const pool = new PartBufferPool();
    let created = 0;
    const take = pool.take.bind(pool);
    const free = (pool as unknown as { free: Buffer[] }).free;
    pool.take = () => {
      if (free.length === 0) created += 1;
      return take();
    };

    // Act
    await uploadStream(local.s3, { bucket: local.partsBucket, key: 'up/pool', contentType: 'application/octet-stream' }, Readable.from(chunksOf(bytesOf(5 * UPLOAD_PART_BYTES, 9))), pool);

    // Assess
    expect(created).toBe(2);
  });

  it('aborts the multipart upload when the source fails midway, leaving no object behind', async () => {
    // Prepare: a source that fails after two full parts
    uploadIds.length = 0;
    sent.length = 0;
    const bytes = bytesOf(2 * UPLOAD_PART_BYTES + 1_000, 10);
    const failing = Readable.from(
      (function* () {
        yield* chunksOf(bytes);
        throw new Error('decoder broke');
      })(),
    );

    // Act
    const { error } = await outcomeOf(
      uploadStream(local.s3, { bucket: local.partsBucket, key: 'up/failed', contentType: 'application/pdf' }, failing, new PartBufferPool()),
    );

    // Assess
    expect((error as Error).message).toBe('decoder broke');
    expect(sent).toContain('AbortMultipartUploadCommand');
    expect(sent).not.toContain('CompleteMultipartUploadCommand');
    const head = await outcomeOf(local.s3.send(new HeadObjectCommand({ Bucket: local.partsBucket, Key: 'up/failed' })));
    expect((head.error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(404);
    // The upload is gone: S3 refuses another part for it.
    const late = await outcomeOf(
      local.s3.send(new UploadPartCommand({ Bucket: local.partsBucket, Key: 'up/failed', UploadId: uploadIds[0], PartNumber: 9, Body: 'x' })),
    );
    expect((late.error as { name?: string }).name).toBe('NoSuchUpload');
  });

  it('stops and aborts when its signal is aborted', async () => {
    // Prepare: a source that never ends, aborted once the first part is on its way
    sent.length = 0;
    const controller = new AbortController();
    const endless = Readable.from(
      (async function* () {
        for (let i = 0; ; i++) {
          if (i === 100) controller.abort();
          yield bytesOf(65_536, i);
        }
      })(),
    );

    // Act
    const { error } = await outcomeOf(
      uploadStream(local.s3, { bucket: local.partsBucket, key: 'up/aborted', contentType: 'application/pdf' }, endless, new PartBufferPool(), controller.signal),
    );

    // Assess
    expect((error as Error).name).toBe('AbortError');
    expect(sent).toContain('AbortMultipartUploadCommand');
    const head = await outcomeOf(local.s3.send(new HeadObjectCommand({ Bucket: local.partsBucket, Key: 'up/aborted' })));
    expect(head.error).toBeDefined();
  });
});
