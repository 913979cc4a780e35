/**
 * One stream into one S3 object with bounded memory: a single PutObject for anything smaller than
 * a part, otherwise a multipart upload (S3 API: CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload, AbortMultipartUpload) with one part in flight while the next one fills.
 *
 * Why not `@aws-sdk/lib-storage`'s `Upload`: it gathers a part by concatenating the source's small
 * chunks into fresh buffers and keeps `queueSize` parts in flight plus the one being gathered; for
 * a 38 MB message that was most of the adapter's peak memory. Here a part is copied into one of two
 * preallocated buffers that alternate, so an upload holds at most two part buffers however large
 * the attachment is, and the source is not read while a full part waits for its predecessor.
 */
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';

/**
 * Bytes per multipart-upload part: S3's minimum for every part but the last. The smallest part
 * keeps the most memory free (two buffers = 10 MiB per attachment being stored); at 40 MB per
 * message that is 8 parts, far below S3's 10,000-part cap.
 */
export const UPLOAD_PART_BYTES = 5 * 1024 * 1024;

/**
 * Part buffers kept for reuse by the uploads of one message: one being filled and one in flight.
 * Why a pool: a message with several large attachments reuses the same 10 MiB instead of making
 * the garbage collector reclaim 10 MiB per attachment.
 */
export class PartBufferPool {
  private readonly free: Buffer[] = [];

  /** @param partBytes size of each buffer; defaults to {@link UPLOAD_PART_BYTES} */
  constructor(readonly partBytes = UPLOAD_PART_BYTES) {}

  /** A buffer of `partBytes`; its content is undefined (pages are only committed once written). */
  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.partBytes);
  }

  /** Hands a buffer back once nothing (no request body in flight) reads it any more. */
  give(buffer: Buffer): void {
    if (this.free.length < 2 && !this.free.includes(buffer)) this.free.push(buffer);
  }
}

/** Where the stream goes. */
export interface UploadTarget {
  readonly bucket: string;
  readonly key: string;
  readonly contentType: string;
  /** User metadata stored with the object (x-amz-meta-*; S3 caps it at 2 KB). @default none */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * Streams `source` into `target` and resolves with the number of bytes stored.
 *
 * Backpressure: the source is read with `for await`, and while a full part waits for the part
 * before it to finish uploading the loop does not pull, so the source (and the MIME parser behind
 * it) pauses. On any failure (source error, S3 error, `signal` aborted) a started multipart upload
 * is aborted, after the part in flight has settled, so no object and no orphaned parts remain; the
 * original error is rethrown.
 * @param s3 a client created once per container
 * @param target bucket, key and content type of the new object
 * @param source the bytes; read to its end
 * @param pool where part buffers come from and go back to
 * @param signal aborts requests in flight and the upload
 */
export async function uploadStream(
  s3: S3Client,
  target: UploadTarget,
  source: Readable,
  pool: PartBufferPool,
  signal?: AbortSignal,
): Promise<number> {
  const { bucket: Bucket, key: Key } = target;
  const partBytes = pool.partBytes;
  const parts: CompletedPart[] = [];
  let filling = pool.take();
  let spare: Buffer | undefined;
  let filled = 0;
  let size = 0;
  let uploadId: string | undefined;
  let inFlight: Promise<void> | undefined;

  /** Uploads `buffer` as the next part; the buffer returns to `spare` once the request is done. */
  const sendPart = (buffer: Buffer, length: number): Promise<void> => {
    const PartNumber = parts.length + 1;
    parts.push({ PartNumber });
    const body = buffer.subarray(0, length);
    return s3
      .send(new UploadPartCommand({ Bucket, Key, UploadId: uploadId, PartNumber, Body: body, ChecksumAlgorithm: 'CRC32' }), { abortSignal: signal })
      .then((out) => {
        if (!out.ETag) throw new Error(`UploadPart ${PartNumber} of ${Key} returned no ETag`);
        parts[PartNumber - 1] = { PartNumber, ETag: out.ETag, ...(out.ChecksumCRC32 && { ChecksumCRC32: out.ChecksumCRC32 }) };
      })
      .finally(() => {
        spare = buffer;
      });
  };

  /** Waits for the part in flight (at most one) and rethrows its failure. */
  const settleInFlight = async (): Promise<void> => {
    const pending = inFlight;
    inFlight = undefined;
    await pending;
  };

  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      signal?.throwIfAborted();
      size += chunk.length;
      for (let offset = 0; offset < chunk.length; ) {
        const copied = chunk.copy(filling, filled, offset);
        filled += copied;
        offset += copied;
        if (filled < partBytes) continue;
        if (uploadId === undefined) uploadId = await createUpload(s3, target, signal);
        await settleInFlight();
        const full = filling;
        filling = spare ?? pool.take();
        spare = undefined;
        inFlight = sendPart(full, filled);
        // Never an unhandled rejection: the failure is rethrown by the next settleInFlight().
        inFlight.catch(() => undefined);
        filled = 0;
      }
    }
    signal?.throwIfAborted();
    if (uploadId === undefined) {
      await s3.send(
        new PutObjectCommand({ Bucket, Key, Body: filling.subarray(0, filled), ContentType: target.contentType, ...(target.metadata && { Metadata: { ...target.metadata } }) }),
        { abortSignal: signal },
      );
      return size;
    }
    await settleInFlight();
    if (filled > 0) {
      inFlight = sendPart(filling, filled);
      await settleInFlight();
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId: uploadId, MultipartUpload: { Parts: parts } }), {
      abortSignal: signal,
    });
    return size;
  } catch (err) {
    await inFlight?.catch(() => undefined);
    if (uploadId !== undefined) {
      // Best effort: the original error is what the caller must see; S3 lifecycle rules clean up the rest.
      await s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId })).catch(() => undefined);
    }
    throw err;
  } finally {
    pool.give(filling);
    if (spare && spare !== filling) pool.give(spare);
  }
}

async function createUpload(s3: S3Client, target: UploadTarget, signal?: AbortSignal): Promise<string> {
  const out = await s3.send(
    new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, ContentType: target.contentType, ChecksumAlgorithm: 'CRC32', ...(target.metadata && { Metadata: { ...target.metadata } }) }),
    { abortSignal: signal },
  );
  if (!out.UploadId) throw new Error(`CreateMultipartUpload of ${target.key} returned no UploadId`);
  return out.UploadId;
}
