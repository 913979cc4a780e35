/**
 * The production {@link PartSink}: decoded attachments and long bodies go to S3 beside the raw
 * message (ARCHITECTURE.md decision 3, claim check), streamed, never buffered whole.
 */
import type { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { BlobRef } from '../../core/message.ts';
import { attachmentKey, bodyKey, type BodyKind, type PartInfo, type PartSink } from './part-sink.ts';
import { storageError } from './s3-errors.ts';

/**
 * Bytes buffered per multipart-upload part. S3's minimum is 5 MiB; a bigger part means fewer
 * requests but more memory held per attachment in flight.
 */
export const UPLOAD_PART_BYTES = 5 * 1024 * 1024;
/**
 * Parts uploaded in parallel per attachment. Two keep the network busy while the next part is
 * filled; the memory held is UPLOAD_QUEUE_SIZE × UPLOAD_PART_BYTES = 10 MiB, far below the 40 MB a
 * message may be, which is what keeps a Lambda with little memory able to take the largest mail.
 */
export const UPLOAD_QUEUE_SIZE = 2;

/** A MIME type S3 will echo back safely; anything else (hostile, malformed) is stored as binary. */
const SAFE_CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

/**
 * Streams parts of one message into `bucket` under `prefix`.
 * Why a sink per message: the prefix and the set of in-flight uploads belong to one parse, so
 * {@link S3PartSink.abort} cancels exactly that message's uploads and nothing else.
 */
export class S3PartSink implements PartSink {
  private readonly inFlight = new Set<Upload>();
  private aborted = false;

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
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: content, ContentType: safeContentType(part.contentType) },
      partSize: UPLOAD_PART_BYTES,
      queueSize: UPLOAD_QUEUE_SIZE,
      leavePartsOnError: false,
    });
    if (this.aborted) {
      content.destroy();
      throw storageError(new Error('aborted'), `storing ${key}`);
    }
    this.inFlight.add(upload);
    try {
      await upload.done();
    } catch (err) {
      content.destroy();
      throw storageError(err, `storing ${key}`);
    } finally {
      this.inFlight.delete(upload);
    }
    // The parser knows the decoded size and checksum; it completes this reference.
    return { bucket: this.bucket, key };
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
      throw storageError(err, `storing ${key}`);
    }
    return { bucket: this.bucket, key, size: bytes.length };
  }

  async abort(): Promise<void> {
    this.aborted = true;
    const uploads = [...this.inFlight];
    this.inFlight.clear();
    await Promise.allSettled(uploads.map((u) => u.abort()));
  }
}

function safeContentType(value: string): string {
  return SAFE_CONTENT_TYPE.test(value) ? value.toLowerCase() : 'application/octet-stream';
}
