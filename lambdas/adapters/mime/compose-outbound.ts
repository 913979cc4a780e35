/**
 * The sender's composer (issue 11): builds the MIME of one outbox record once, streams it into the
 * mail bucket at `outbound/<id>.eml` and answers where, so that every retry sends the same bytes.
 *
 * Headers come only from core (core/outbound/message-headers.ts: addresses parsed, names and
 * subject encoded, Bcc never written); bodies and attachments are read from S3 while they are
 * encoded and uploaded (outbound-mime.ts, s3-stream-upload.ts), so memory stays bounded by the
 * upload's two part buffers whatever the message's size. Over 40 MB encoded the upload is aborted
 * and the record fails with `outbound.message-too-large`; most such messages are refused before
 * anything is read, from the sizes the record carries.
 */
import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { ERROR_REASONS as R } from '../../core/error-reasons.ts';
import { PermanentError, TransientError } from '../../core/errors.ts';
import { MAIL_LIMITS } from '../../core/limits.ts';
import type { BlobRef } from '../../core/message.ts';
import { outboundHeaderLines } from '../../core/outbound/message-headers.ts';
import type { OutboundComposer } from '../../core/outbound/outbound-ports.ts';
import type { OutboxRecord } from '../../core/outbound/outbox.ts';
import { attachmentHeaders, mimeBytes, textPartHeaders, type EmbeddedPart, type LeafPart, type MimePart, type PartSource } from './outbound-mime.ts';
import { PartBufferPool, uploadStream } from './s3-stream-upload.ts';

/** The key of a record's composed message in the mail bucket. */
export function outboundRawKey(outboxId: string): string {
  return `outbound/${outboxId}.eml`;
}

/** Options of {@link S3OutboundComposer}. */
export interface OutboundComposerOptions {
  /** The mail bucket, where `outbound/<id>.eml` goes. */
  readonly bucket: string;
  /** The largest message, encoded. @default MAIL_LIMITS.maxMessageBytes (40 MB, SES's limit) */
  readonly maxMessageBytes?: number;
  /** Part buffers of the upload. @default a pool of 5 MiB buffers per composer */
  readonly pool?: PartBufferPool;
}

/** Composes outbox records into `outbound/<id>.eml` objects in the mail bucket (an {@link OutboundComposer}). */
export class S3OutboundComposer implements OutboundComposer {
  private readonly maxBytes: number;
  private readonly pool: PartBufferPool;

  /** @param s3 a client created once per container */
  constructor(
    private readonly s3: S3Client,
    private readonly options: OutboundComposerOptions,
  ) {
    this.maxBytes = options.maxMessageBytes ?? MAIL_LIMITS.maxMessageBytes;
    this.pool = options.pool ?? new PartBufferPool();
  }

  /**
   * Composes `record` and stores it; resolves with its BlobRef and size in bytes.
   * @throws PermanentError `outbound.address-invalid` / `outbound.record-invalid` (headers, see
   *   message-headers.ts), `outbound.message-too-large` over the limit, `outbound.content-missing`
   *   when a body or attachment object is gone; TransientError `storage-unavailable` when S3 fails
   */
  async compose(record: OutboxRecord): Promise<BlobRef> {
    const headers = outboundHeaderLines(record);
    const root = mimeTree(record);
    const least = leastEncodedBytes(root) + headers.join('\r\n').length;
    if (least > this.maxBytes) throw tooLarge(record.id, least, this.maxBytes);
    const key = outboundRawKey(record.id);
    const source = Readable.from(mimeBytes(root, headers, (blob) => this.open(blob)));
    const limited = source.pipe(new ByteLimit(this.maxBytes, record.id));
    source.on('error', (err) => limited.destroy(err));
    let size: number;
    try {
      size = await uploadStream(this.s3, { bucket: this.options.bucket, key, contentType: 'message/rfc822' }, limited, this.pool);
    } catch (err) {
      source.destroy();
      if (err instanceof PermanentError || err instanceof TransientError) throw err;
      throw new TransientError('storage-unavailable', `could not store ${key}: ${(err as Error).message}`, { cause: err });
    }
    return { bucket: this.options.bucket, key, size };
  }

  private async open(blob: BlobRef): Promise<Readable> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: blob.bucket, Key: blob.key }));
      return out.Body as Readable;
    } catch (err) {
      if (err instanceof NoSuchKey) throw new PermanentError(R.outboundContentMissing, `${blob.key} is no longer stored`, { cause: err });
      throw new TransientError('storage-unavailable', `could not read ${blob.key}: ${(err as Error).message}`, { cause: err });
    }
  }
}

/**
 * The part tree of a record: the text body, the HTML body (multipart/alternative when both), then
 * the attachments (multipart/mixed). A body held in S3 (`textBlob`) wins over the inline preview.
 * Boundaries derive from the record id (the same record composes to the same bytes).
 */
export function mimeTree(record: OutboxRecord): MimePart {
  const text = bodySource(record.text, record.textBlob);
  const html = bodySource(record.html, record.htmlBlob);
  const bodies: LeafPart[] = [];
  if (text || !html) bodies.push({ kind: 'leaf', headers: textPartHeaders('plain'), source: text ?? { kind: 'inline', text: '' }, text: true });
  if (html) bodies.push({ kind: 'leaf', headers: textPartHeaders('html'), source: html, text: true });
  const body: MimePart = bodies.length === 1 ? bodies[0]! : { kind: 'multipart', subtype: 'alternative', boundary: boundary(record.id, 'alt'), parts: bodies };
  const attachments = (record.attachments ?? []).map((a): LeafPart | EmbeddedPart => {
    const source = { kind: 'blob', blob: a.blob.size === undefined ? { ...a.blob, size: a.size } : a.blob } as const;
    // A forward's original (compose-request.ts) stays a message: RFC 2046 5.2.1 forbids base64 for it.
    if (a.contentType.trim().toLowerCase() === 'message/rfc822') return { kind: 'message', filename: a.filename, source };
    return { kind: 'leaf', headers: attachmentHeaders(a.filename, a.contentType), source };
  });
  if (attachments.length === 0) return body;
  return { kind: 'multipart', subtype: 'mixed', boundary: boundary(record.id, 'mixed'), parts: [body, ...attachments] };
}

function bodySource(text: string | undefined, blob: BlobRef | undefined): PartSource | undefined {
  if (blob) return { kind: 'blob', blob };
  return text === undefined || text === '' ? undefined : { kind: 'inline', text };
}

/**
 * `----=_pr_<hex>`: `=_` never occurs in base64, so no body line can look like the boundary; an
 * embedded message is checked against it (outbound-mime.ts).
 */
function boundary(id: string, role: string): string {
  return `----=_pr_${role}_${createHash('sha256').update(`${id}\n${role}`).digest('hex').slice(0, 24)}`;
}

/**
 * The encoded size of the bodies whose sizes are known (a lower bound of the message's size):
 * base64's, but an embedded message's own (it is written as it is).
 */
function leastEncodedBytes(part: MimePart): number {
  if (part.kind === 'multipart') return part.parts.reduce((sum, p) => sum + leastEncodedBytes(p), 0);
  const bytes = part.source.kind === 'inline' ? Buffer.byteLength(part.source.text, 'utf8') : (part.source.blob.size ?? 0);
  if (part.kind === 'message') return bytes;
  const chars = Math.ceil(bytes / 3) * 4;
  return chars + 2 * Math.max(0, Math.ceil(chars / 76) - 1);
}

function tooLarge(id: string, bytes: number, max: number): PermanentError {
  return new PermanentError(R.outboundMessageTooLarge, `outbox record ${id}: the message is at least ${bytes} bytes encoded, more than ${max}`);
}

/** Passes bytes on until more than `max` went through, then fails the stream with message-too-large. */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(
    private readonly max: number,
    private readonly id: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) done(tooLarge(this.id, this.seen, this.max));
    else done(null, chunk);
  }
}
