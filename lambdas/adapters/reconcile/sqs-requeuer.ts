/**
 * {@link RawMessageRequeuer} on SQS: reads the head of each stored message (SES's header block and
 * the envelope recorded beside it, if any), turns it into a recovery record and sends the batch to
 * the inbound queue with SendMessageBatch.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ServedDomains } from '../../core/domains/domain.ts';
import { MalformedEventError, PostroomError } from '../../core/errors.ts';
import { MAX_REQUEUE_BATCH, type RawMessageRequeuer, type RequeueFailure, type StoredRawMessage } from '../../core/reconcile/ports.ts';
import { sdkError } from '../aws/sdk-errors.ts';
import { rawReadError } from '../mime/raw-read-error.ts';
import { POLLED_MAIL_PREFIX } from '../../../contract/mail-bucket.ts';
import { polledRecordBody, RECEIPT_METADATA, receiptOfMetadata } from '../mailboxes/polled-record.ts';
import { recoveryRecordBody } from '../ses/recovery-record.ts';
import { STORED_HEADER_READ_BYTES, storedReceiptOf, type StoredReceiptOptions } from '../ses/stored-receipt.ts';

/** User metadata (x-amz-meta-postroom-recipients) with the envelope recipients, comma-separated. */
export const RECIPIENTS_METADATA = 'postroom-recipients';

export interface SqsRequeuerOptions extends Omit<StoredReceiptOptions, 'domains'> {
  readonly bucket: string;
  readonly queueUrl: string;
  /** The served domains, read when a stored message's recipients come from its To/Cc headers. */
  readonly servedDomains: ServedDomains;
}

export class SqsRawMessageRequeuer implements RawMessageRequeuer {
  constructor(
    private readonly s3: S3Client,
    private readonly sqs: SQSClient,
    private readonly options: SqsRequeuerOptions,
  ) {}

  /** Sends up to 10 recovery records; a message whose head cannot be read or sent is a failure. */
  async requeue(messages: readonly StoredRawMessage[]): Promise<readonly RequeueFailure[]> {
    if (messages.length > MAX_REQUEUE_BATCH) throw new RangeError(`at most ${MAX_REQUEUE_BATCH} messages per requeue`);
    const failures: RequeueFailure[] = [];
    const entries: { Id: string; MessageBody: string; key: string }[] = [];
    await Promise.all(
      messages.map(async (m, i) => {
        try {
          entries.push({ Id: String(i), MessageBody: await this.recordOf(m), key: m.key });
        } catch (err) {
          failures.push(failureOf(m.key, err));
        }
      }),
    );
    if (entries.length === 0) return failures;
    try {
      const sent = await this.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: entries.map(({ Id, MessageBody }) => ({ Id, MessageBody })) }),
      );
      for (const f of sent.Failed ?? []) {
        const key = entries.find((e) => e.Id === f.Id)?.key ?? `#${f.Id}`;
        failures.push({ key, code: f.Code ?? 'send-failed', detail: f.Message ?? 'SendMessageBatch entry failed' });
      }
    } catch (err) {
      const failure = sdkError(err, 'queue', 'SQS SendMessageBatch');
      failures.push(...entries.map((e) => failureOf(e.key, failure)));
    }
    return failures;
  }

  private async recordOf(m: StoredRawMessage): Promise<string> {
    let head: Buffer;
    let metadata: Record<string, string> | undefined;
    try {
      const object = await this.s3.send(
        // A range on an empty object is a 416; an empty object has no head to read anyway.
        new GetObjectCommand({ Bucket: this.options.bucket, Key: m.key, ...(m.size > 0 && { Range: `bytes=0-${STORED_HEADER_READ_BYTES - 1}` }) }),
      );
      head = Buffer.from(await object.Body!.transformToByteArray()).subarray(0, STORED_HEADER_READ_BYTES);
      metadata = object.Metadata;
    } catch (err) {
      throw rawReadError(err, `raw message ${m.key}`);
    }
    // A poller's object carries its whole receipt (server, routing plan, backfill) in its metadata.
    const polled = metadata?.[RECEIPT_METADATA];
    if (m.key.startsWith(POLLED_MAIL_PREFIX)) {
      if (polled === undefined) throw new MalformedEventError(`polled message ${m.key} has no ${RECEIPT_METADATA} metadata`);
      return polledRecordBody(receiptOfMetadata(polled, { bucket: this.options.bucket, key: m.key, size: m.size }));
    }
    const recorded = metadata?.[RECIPIENTS_METADATA]?.split(',').filter(Boolean);
    const { servedDomains, authServId } = this.options;
    const receipt = storedReceiptOf(
      { bucket: this.options.bucket, key: m.key, size: m.size, lastModified: m.lastModified, head, ...(recorded?.length && { recordedRecipients: recorded }) },
      // Read only when the fallback may need them; a failed read fails this message's requeue, not the batch.
      { domains: recorded?.length ? [] : await servedDomains.list(), ...(authServId !== undefined && { authServId }) },
    );
    return recoveryRecordBody(receipt);
  }
}

function failureOf(key: string, err: unknown, fallback = 'unexpected'): RequeueFailure {
  return { key, code: err instanceof PostroomError ? err.code : fallback, detail: err instanceof Error ? err.message : String(err) };
}
