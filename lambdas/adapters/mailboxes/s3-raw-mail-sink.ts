/**
 * {@link RawMailSink} on S3 and SQS: a polled message is streamed into the mail bucket under
 * `polled/` (keyed by its transport identity, the receipt in the object's user metadata), then its
 * polled-receipt record is sent to the inbound queue (claim check, decision 3), in batches of up
 * to 10 (sqs-send-batcher.ts).
 */
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { BlobRef, ReceiptInfo } from '../../core/message.ts';
import { PolledMailTooLargeError, type PolledReceipt, type RawMailContent, type RawMailSink } from '../../core/mailboxes/poll-ports.ts';
import { signedPutOf, type S3SignedPut } from '../aws/s3-signed-put.ts';
import { sdkError } from '../aws/sdk-errors.ts';
import { PartBufferPool, uploadStream, type UploadTarget } from '../mime/s3-stream-upload.ts';
import { SqsSendBatcher } from './sqs-send-batcher.ts';
import { polledObjectKey, polledRecordBody, RECEIPT_METADATA, receiptMetadata } from './polled-record.ts';

export interface S3RawMailSinkOptions {
  /** The mail bucket. */
  readonly bucket: string;
  /** The inbound queue the routing Lambda reads. */
  readonly queueUrl: string;
}

/** Bounds of the polled-mail sink. */
export const RAW_MAIL_SINK_LIMITS = {
  /**
   * Mail up to this size is gathered and stored with one PutObject from its own bytes; larger mail
   * streams through the part buffers. Why: the streaming path takes a 5 MiB part buffer per store,
   * and with 16 stores in flight most of them were fresh allocations for 2 KB messages (the pollers
   * hold small mail, up to 1 MiB, in memory already, so gathering adds no more than they hold).
   * The same bound picks the hand-signed PUT (s3-signed-put.ts, an eighth of the SDK's CPU per
   * call): a body it sends is held whole and hashed for its signature, which is cheap up to here.
   */
  maxGatheredBytes: 1024 * 1024,
} as const;

/** Stores and enqueues polled mail; one instance per poll (its part buffers are reused across messages). */
export class S3RawMailSink implements RawMailSink {
  private readonly pool = new PartBufferPool();
  private readonly batcher: SqsSendBatcher;
  private readonly smallPut: S3SignedPut;

  constructor(
    private readonly s3: S3Client,
    sqs: SQSClient,
    private readonly options: S3RawMailSinkOptions,
  ) {
    this.batcher = new SqsSendBatcher(sqs, options.queueUrl);
    this.smallPut = signedPutOf(s3);
  }

  /** Streams the message to `polled/...`; rejects with PolledMailTooLargeError past `maxBytes` (nothing is left stored). */
  async store(receipt: PolledReceipt, content: RawMailContent, maxBytes: number, tooLarge?: { readonly bytes: number }): Promise<BlobRef> {
    const key = polledObjectKey(receipt.transport);
    const target = { bucket: this.options.bucket, key, contentType: 'message/rfc822', metadata: { [RECEIPT_METADATA]: receiptMetadata(receipt, tooLarge?.bytes) } };
    let size: number;
    try {
      size = await this.put(target, capped(content, maxBytes)[Symbol.asyncIterator]());
    } catch (err) {
      // A source failure (the mailbox connection) is the mailbox's error, not storage's.
      if (err instanceof PolledMailTooLargeError || (err as { $metadata?: unknown } | undefined)?.$metadata === undefined) throw err;
      throw sdkError(err, 'storage', 'S3 upload of polled mail');
    }
    return { bucket: this.options.bucket, key, size: tooLarge?.bytes ?? size };
  }

  /** Small mail with one hand-signed PutObject of its bytes (its errors classified there), anything larger streamed (uploadStream). */
  private async put(target: UploadTarget, chunks: AsyncIterator<Buffer>): Promise<number> {
    const gathered: Buffer[] = [];
    let bytes = 0;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      gathered.push(next.value);
      bytes += next.value.byteLength;
      if (bytes > RAW_MAIL_SINK_LIMITS.maxGatheredBytes) return uploadStream(this.s3, target, Readable.from(replay(gathered, chunks)), this.pool);
    }
    const body = gathered.length === 1 ? gathered[0]! : Buffer.concat(gathered, bytes);
    await this.smallPut.put({ bucket: target.bucket, key: target.key, body, contentType: target.contentType, ...(target.metadata && { metadata: target.metadata }) });
    return bytes;
  }

  /** Sends the polled-receipt record, batched with the other stores in flight (resolves when SQS took this one). */
  async enqueue(receipt: ReceiptInfo): Promise<void> {
    await this.batcher.send(polledRecordBody(receipt));
  }
}

/** The chunks read already, then the rest of `rest`. */
async function* replay(gathered: readonly Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* gathered;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** The bytes of `content`, failing with PolledMailTooLargeError once more than `maxBytes` came. */
async function* capped(content: RawMailContent, maxBytes: number): AsyncGenerator<Buffer> {
  let bytes = 0;
  for await (const chunk of content) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) throw new PolledMailTooLargeError(maxBytes);
    // uploadStream copies Buffers; core hands plain Uint8Arrays (a view, not a copy).
    yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}
