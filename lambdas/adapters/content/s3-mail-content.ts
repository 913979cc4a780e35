/**
 * {@link MailContent} on S3: presigned GET URLs when deployed, streamed objects locally.
 */
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NotFoundError, PermanentError, TransientError, type PostroomError } from '../../core/errors.ts';
import type { BlobRef } from '../../core/message.ts';
import { contentDisposition, type BoundedText, type ContentLink, type DownloadInfo, type MailContent } from './mail-content.ts';

/**
 * How long a presigned URL works. Five minutes: long enough to start a 40 MB download, short enough
 * that a URL copied into a ticket or a log is useless soon after.
 */
export const PRESIGNED_URL_SECONDS = 300;

/**
 * The S3 implementation. Why one class for both modes: reading bounded text is the same in both,
 * and the mode is a deployment fact (env `CONTENT_DELIVERY`), not a different store.
 * @param s3 a client created once per container
 * @param mode 'presign' (deployed; default) or 'stream' (local runtime)
 * @param expiresSeconds presigned URL lifetime; default {@link PRESIGNED_URL_SECONDS}
 */
export class S3MailContent implements MailContent {
  constructor(
    private readonly s3: S3Client,
    readonly mode: 'presign' | 'stream' = 'presign',
    private readonly expiresSeconds = PRESIGNED_URL_SECONDS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async link(blob: BlobRef, download: DownloadInfo): Promise<ContentLink | undefined> {
    if (this.mode !== 'presign') return undefined;
    const command = new GetObjectCommand({
      Bucket: blob.bucket,
      Key: blob.key,
      ResponseContentDisposition: contentDisposition(download.filename),
      ResponseContentType: download.contentType,
    });
    const url = await getSignedUrl(this.s3, command, { expiresIn: this.expiresSeconds });
    return { url, expiresAt: new Date(this.now().getTime() + this.expiresSeconds * 1000).toISOString() };
  }

  async stream(blob: BlobRef): Promise<{ body: ReadableStream<Uint8Array>; size?: number }> {
    const object = await this.get(blob);
    const body = object.Body;
    if (!body) throw storageError(new Error('GetObject returned no body'), `reading ${blob.key}`);
    return { body: body.transformToWebStream() as ReadableStream<Uint8Array>, ...(object.ContentLength !== undefined && { size: object.ContentLength }) };
  }

  async readText(blob: BlobRef, maxBytes: number): Promise<BoundedText> {
    // One byte more than allowed tells "exactly maxBytes" from "longer".
    const object = await this.get(blob, `bytes=0-${maxBytes}`);
    const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
    const truncated = bytes.length > maxBytes;
    // stream: true keeps a character split by the cut out of the text instead of turning it into U+FFFD.
    const text = new TextDecoder('utf-8').decode(bytes.subarray(0, maxBytes), { stream: truncated });
    return { text, truncated };
  }

  private async get(blob: BlobRef, range?: string): Promise<GetObjectCommandOutput> {
    try {
      return await this.s3.send(new GetObjectCommand({ Bucket: blob.bucket, Key: blob.key, ...(range && { Range: range }) }));
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) throw new NotFoundError('stored mail object', blob.key);
      throw storageError(err, `reading ${blob.key}`);
    }
  }
}

/**
 * A failed S3 read as a Postroom error: throttling, 5xx, 403 and network failures are transient
 * (the API answers 503, retry), any other 4xx permanent. Kept here rather than shared with the
 * MIME adapter's s3-errors.ts so the API bundle carries no MIME adapter module.
 */
function storageError(err: unknown, doing: string): PostroomError {
  const e = (err ?? {}) as { name?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const message = err instanceof Error ? err.message : String(err);
  if (status === undefined || status === 403 || status === 408 || status === 429 || status >= 500 || e.$fault === 'server' || /SlowDown|Throttl/.test(e.name ?? '')) {
    return new TransientError('storage-unavailable', `${doing} failed: ${message}`, { cause: err });
  }
  return new PermanentError('storage-rejected', `${doing} was rejected (${status}): ${message}`, { cause: err });
}
