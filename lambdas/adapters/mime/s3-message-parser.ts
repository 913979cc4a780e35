/**
 * The {@link MessageParser} of the routing Lambda: reads the raw .eml from S3 as a stream and
 * parses it with {@link parseMimeStream}, writing decoded parts back to S3.
 */
import { Readable } from 'node:stream';
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { QuarantineError } from '../../core/errors.ts';
import { MAIL_LIMITS, type MailLimits } from '../../core/limits.ts';
import type { BlobRef, ParsedMail } from '../../core/message.ts';
import type { MessageParser } from '../../core/ports.ts';
import { sdkError } from '../aws/sdk-errors.ts';
import { parseMimeStream } from './parse-mime-stream.ts';
import { rawReadError } from './raw-read-error.ts';
import { S3PartSink } from './s3-part-sink.ts';

/**
 * Parses stored raw mail without ever holding a whole message in memory.
 *
 * The size check happens on GetObject's `ContentLength` before a single body byte is read, so an
 * oversized object costs one request; the byte count is checked again while streaming for sources
 * that lie about their length. A missing object is `raw-missing`; throttling, 5xx and network
 * failures are transient so the queue retries.
 */
export class S3MessageParser implements MessageParser {
  /**
   * @param s3 a client created once per container (aws-clients.ts)
   * @param partsBucket where decoded attachments and long bodies are written
   * @param limits defaults to {@link MAIL_LIMITS}
   */
  constructor(
    private readonly s3: S3Client,
    private readonly partsBucket: string,
    private readonly limits: MailLimits = MAIL_LIMITS,
  ) {}

  async parse(raw: BlobRef, partsPrefix: string): Promise<ParsedMail> {
    const what = `s3://${raw.bucket}/${raw.key}`;
    let object: GetObjectCommandOutput;
    try {
      object = await this.s3.send(new GetObjectCommand({ Bucket: raw.bucket, Key: raw.key }));
    } catch (err) {
      throw rawReadError(err, what);
    }
    const body = object.Body;
    if (!(body instanceof Readable)) {
      destroyBody(body);
      throw sdkError(new Error('GetObject returned no readable body'), 'storage', `reading ${what}`);
    }
    if ((object.ContentLength ?? 0) > this.limits.maxMessageBytes) {
      body.destroy();
      throw new QuarantineError('too-large', `${what} is ${object.ContentLength} bytes, limit ${this.limits.maxMessageBytes}`);
    }
    const sink = new S3PartSink(this.s3, this.partsBucket, partsPrefix);
    return parseMimeStream(body, sink, this.limits, (err) => sdkError(err, 'storage', `reading ${what}`));
  }
}

function destroyBody(body: unknown): void {
  (body as { destroy?: () => void } | undefined)?.destroy?.();
}
