/**
 * {@link MailContent} on S3: presigned GET URLs when deployed, streamed objects locally.
 */
import { isMissingObject, sdkError } from '../aws/sdk-errors.ts';
import { refusalOf, type SignedS3 } from '../aws/signed-request.ts';
import { NotFoundError } from '../../core/errors.ts';
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
 * @param s3 signed S3 reads and presigning (adapters/aws/signed-request.ts: no S3 SDK client in the API bundle)
 * @param mode 'presign' (deployed; default) or 'stream' (local runtime)
 * @param expiresSeconds presigned URL lifetime; default {@link PRESIGNED_URL_SECONDS}
 */
export class S3MailContent implements MailContent {
  constructor(
    private readonly s3: SignedS3,
    readonly mode: 'presign' | 'stream' = 'presign',
    private readonly expiresSeconds = PRESIGNED_URL_SECONDS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async link(blob: BlobRef, download: DownloadInfo): Promise<ContentLink | undefined> {
    if (this.mode !== 'presign') return undefined;
    const query = { 'response-content-disposition': contentDisposition(download.filename), 'response-content-type': download.contentType };
    const url = await this.s3.presignGet(blob.bucket, blob.key, query, this.expiresSeconds, this.now());
    return { url, expiresAt: new Date(this.now().getTime() + this.expiresSeconds * 1000).toISOString() };
  }

  async stream(blob: BlobRef): Promise<{ body: ReadableStream<Uint8Array>; size?: number }> {
    const object = await this.get(blob);
    if (!object.body) throw sdkError(new Error('GetObject returned no body'), 'storage', `reading ${blob.key}`);
    const length = object.headers.get('content-length');
    return { body: object.body, ...(length !== null && { size: Number(length) }) };
  }

  async readText(blob: BlobRef, maxBytes: number): Promise<BoundedText> {
    // One byte more than allowed tells "exactly maxBytes" from "longer".
    const object = await this.get(blob, `bytes=0-${maxBytes}`);
    const bytes = new Uint8Array(await object.arrayBuffer());
    const truncated = bytes.length > maxBytes;
    // stream: true keeps a character split by the cut out of the text instead of turning it into U+FFFD.
    const text = new TextDecoder('utf-8').decode(bytes.subarray(0, maxBytes), { stream: truncated });
    return { text, truncated };
  }

  private async get(blob: BlobRef, range?: string): Promise<Response> {
    let res: Response;
    try {
      res = await this.s3.get(blob.bucket, blob.key, range);
    } catch (err) {
      throw sdkError(err, 'storage', `reading ${blob.key}`);
    }
    if (res.ok) return res;
    const refusal = await refusalOf(res, 'S3 GetObject');
    // An empty object asked for bytes=0-n answers 416: it is simply empty.
    if (res.status === 416) return new Response(new Uint8Array(), { status: 200, headers: { 'content-length': '0' } });
    if (isMissingObject(refusal)) throw new NotFoundError('stored mail object', blob.key);
    throw sdkError(refusal, 'storage', `reading ${blob.key}`);
  }
}
