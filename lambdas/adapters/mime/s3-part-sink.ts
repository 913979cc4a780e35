/**
 * The production {@link PartSink}: decoded attachments and long bodies go to S3 beside the raw
 * message (ARCHITECTURE.md decision 3, claim check), streamed, never buffered whole.
 */
import type { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BlobRef } from '../../core/message.ts';
import { sdkError } from '../aws/sdk-errors.ts';
import { attachmentKey, bodyKey, type BodyKind, type PartInfo, type PartSink } from './part-sink.ts';
import { PartBufferPool, uploadStream } from './s3-stream-upload.ts';

export { UPLOAD_PART_BYTES } from './s3-stream-upload.ts';

/** A MIME type S3 will echo back safely; anything else (hostile, malformed) is stored as binary. */
const SAFE_CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

/**
 * Streams parts of one message into `bucket` under `prefix`.
 * Why a sink per message: the prefix, the part buffers and the uploads in flight belong to one
 * parse, so {@link S3PartSink.abort} cancels exactly that message's uploads and nothing else, and
 * the buffers are reused by the message's attachments, then collected with the sink.
 */
export class S3PartSink implements PartSink {
  private readonly controller = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly buffers = new PartBufferPool();

  /**
   * @param s3 a client created once per container
   * @param bucket where parts are written
   * @param prefix the message's parts prefix, ending in `/`
   */
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  async storeAttachment(part: PartInfo, content: Readable): Promise<BlobRef> {
    const key = attachmentKey(this.prefix, part.index);
    if (this.controller.signal.aborted) {
      content.destroy();
      throw sdkError(new Error('aborted'), 'storage', `storing ${key}`);
    }
    const target = { bucket: this.bucket, key, contentType: safeContentType(part.contentType) };
    const upload = uploadStream(this.s3, target, content, this.buffers, this.controller.signal);
    this.inFlight.add(upload);
    try {
      const size = await upload;
      // The parser knows the decoded checksum; it completes this reference.
      return { bucket: this.bucket, key, size };
    } catch (err) {
      content.destroy();
      throw sdkError(err, 'storage', `storing ${key}`);
    } finally {
      this.inFlight.delete(upload);
    }
  }

  async storeBody(kind: BodyKind, body: string): Promise<BlobRef> {
    const key = bodyKey(this.prefix, kind);
    const bytes = Buffer.from(body, 'utf8');
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentType: kind === 'text' ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8',
        }),
      );
    } catch (err) {
      throw sdkError(err, 'storage', `storing ${key}`);
    }
    return { bucket: this.bucket, key, size: bytes.length };
  }

  async abort(): Promise<void> {
    this.controller.abort();
    // Each upload aborts its own multipart upload on the way out; wait until they all have.
    await Promise.allSettled([...this.inFlight]);
  }
}

function safeContentType(value: string): string {
  return SAFE_CONTENT_TYPE.test(value) ? value.toLowerCase() : 'application/octet-stream';
}
