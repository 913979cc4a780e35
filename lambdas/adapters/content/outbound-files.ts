/**
 * The files of outgoing mail by claim check (decision 3): attachments are uploaded by the client
 * straight to S3 (`uploads/<uploadId>`, a presigned PUT with the declared type, size and name
 * signed in), and bodies too large for the outbox record go to `outbound/<id>/text|html`. The
 * API never carries a 40 MB attachment through its Lambda (responses and requests are capped at 6 MB).
 */
import { randomUUID } from 'node:crypto';
import type { BlobRef } from '../../core/message.ts';
import { isMissingObject, sdkError } from '../aws/sdk-errors.ts';
import { refusalOf, type SignedS3 } from '../aws/signed-request.ts';
import { contentDisposition } from './mail-content.ts';

/** What the client declares before uploading. */
export interface UploadRequest {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
}

/** Where and how to upload: a PUT of exactly `size` bytes to `url` with `headers`. */
export interface UploadTicket {
  readonly uploadId: string;
  readonly url: string;
  readonly method: 'PUT';
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: string;
}

/** An uploaded file as S3 holds it (its real size, not the declared one). */
export interface UploadedFile {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly blob: BlobRef;
}

/** The outgoing mail's files: uploads and large bodies. */
export interface OutboundFiles {
  presignUpload(upload: UploadRequest): Promise<UploadTicket>;
  /** The upload, or undefined when nothing was uploaded under this id (or it expired). */
  uploaded(uploadId: string): Promise<UploadedFile | undefined>;
  /** Stores a body of outbox record `outboxId` at `outbound/<id>/<part>`. */
  putBody(outboxId: string, part: 'text' | 'html', body: string): Promise<BlobRef>;
}

/**
 * How long an upload URL works. Fifteen minutes: a 40 MB upload on a slow line takes minutes,
 * and a leaked URL only lets someone upload one file that no send references.
 */
export const UPLOAD_URL_SECONDS = 900;

/** The S3 key of an upload. */
export const uploadKey = (uploadId: string): string => `uploads/${uploadId}`;

/** Upload ids the API hands out: `u-` and 32 hex digits; anything else is never looked up. */
export const UPLOAD_ID = /^u-[0-9a-f]{32}$/;

/** {@link OutboundFiles} on the mail bucket through signed calls (no S3 SDK client in the API bundle). */
export class S3OutboundFiles implements OutboundFiles {
  constructor(
    private readonly s3: SignedS3,
    private readonly bucket: string,
    private readonly now: () => Date = () => new Date(),
    private readonly expiresSeconds = UPLOAD_URL_SECONDS,
  ) {}

  async presignUpload(upload: UploadRequest): Promise<UploadTicket> {
    const uploadId = `u-${randomUUID().replaceAll('-', '')}`;
    const headers = { 'content-type': upload.contentType, 'content-length': String(upload.size), 'content-disposition': contentDisposition(upload.filename) };
    const now = this.now();
    const url = await this.s3.presignPut(this.bucket, uploadKey(uploadId), headers, this.expiresSeconds, now);
    return { uploadId, url, method: 'PUT', headers, expiresAt: new Date(now.getTime() + this.expiresSeconds * 1000).toISOString() };
  }

  async uploaded(uploadId: string): Promise<UploadedFile | undefined> {
    if (!UPLOAD_ID.test(uploadId)) return undefined;
    const key = uploadKey(uploadId);
    let res: Response;
    try {
      res = await this.s3.head(this.bucket, key);
    } catch (err) {
      throw sdkError(err, 'storage', `reading ${key}`);
    }
    if (res.status === 404) return undefined;
    if (!res.ok) {
      const refusal = await refusalOf(res, 'S3 HeadObject');
      if (isMissingObject(refusal)) return undefined;
      throw sdkError(refusal, 'storage', `reading ${key}`);
    }
    const size = Number(res.headers.get('content-length') ?? 0);
    return {
      filename: filenameOf(res.headers.get('content-disposition')) ?? uploadId,
      contentType: res.headers.get('content-type') ?? 'application/octet-stream',
      size,
      blob: { bucket: this.bucket, key, size },
    };
  }

  async putBody(outboxId: string, part: 'text' | 'html', body: string): Promise<BlobRef> {
    const key = `outbound/${outboxId}/${part}`;
    const contentType = part === 'html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8';
    let res: Response;
    try {
      res = await this.s3.put(this.bucket, key, body, contentType);
    } catch (err) {
      throw sdkError(err, 'storage', `writing ${key}`);
    }
    if (!res.ok) throw sdkError(await refusalOf(res, 'S3 PutObject'), 'storage', `writing ${key}`);
    return { bucket: this.bucket, key, size: Buffer.byteLength(body) };
  }
}

/** The file name of a Content-Disposition that {@link contentDisposition} wrote (its UTF-8 form first). */
export function filenameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star);
    } catch {
      // A malformed escape: the ASCII form below still names the file.
    }
  }
  return /filename="([^"]*)"/i.exec(disposition)?.[1];
}
