/**
 * Sends the polled-receipt records of one poll with SendMessageBatch (SQS API: up to 10 entries
 * and 256 KiB per call) instead of one SendMessage each: a poll stores 16 messages at a time, and
 * per message the SDK's request pipeline (signing, middleware, endpoint resolution) cost more CPU
 * than the record itself. The batch call itself is hand-signed (aws/sqs-signed-batch.ts).
 *
 * The promise of each {@link SqsSendBatcher.send} settles only when SQS accepted that very entry,
 * so the poller's order (store -> enqueue -> \Seen/DELE -> cursor) holds per message: an entry
 * that failed inside a successful batch is sent again on its own with SendMessage, and rejects
 * with that call's classified error when it fails again; a failed batch call rejects every entry.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sdkError } from '../aws/sdk-errors.ts';
import { signedBatchOf } from '../aws/sqs-signed-batch.ts';

/** Bounds of one batch. */
export const SQS_SEND_BATCH_LIMITS = {
  /** Entries per SendMessageBatch: the SQS API's maximum. */
  maxEntries: 10,
  /** Body bytes per SendMessageBatch: the SQS API's limit for the sum of a batch's messages (256 KiB). */
  maxBatchBytes: 256 * 1024,
  /**
   * Milliseconds a partial batch waits for more entries before it is sent: long enough for the
   * stores in flight to finish into the same batch, short against a store (several ms each).
   */
  lingerMs: 5,
} as const;

interface Pending {
  readonly body: string;
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** Batches SendMessage calls to one queue; one instance per poll. */
export class SqsSendBatcher {
  private pending: Pending[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** Resolves once SQS accepted `body`; rejects with a classified `queue-…` error otherwise. */
  send(body: string): Promise<void> {
    const bytes = Buffer.byteLength(body);
    if (this.pending.length > 0 && this.pendingBytes + bytes > SQS_SEND_BATCH_LIMITS.maxBatchBytes) this.flush();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ body, bytes, resolve, reject });
      this.pendingBytes += bytes;
      if (this.pending.length >= SQS_SEND_BATCH_LIMITS.maxEntries) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), SQS_SEND_BATCH_LIMITS.lingerMs);
    });
  }

  /** Sends what is pending now (its promises settle when that batch is answered). */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (batch.length > 0) void this.sendBatch(batch);
  }

  private async sendBatch(batch: readonly Pending[]): Promise<void> {
    let failed: ReadonlySet<string>;
    try {
      failed = await signedBatchOf(this.sqs).send(this.queueUrl, batch.map((p, i) => ({ Id: String(i), MessageBody: p.body })));
    } catch (err) {
      for (const p of batch) p.reject(err); // classified by the signed call
      return;
    }
    await Promise.all(batch.map((p, i) => (failed.has(String(i)) ? this.sendOne(p) : p.resolve())));
  }

  /** One entry the batch did not take, once more on its own: its error is the one SendMessage gives. */
  private async sendOne(p: Pending): Promise<void> {
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: p.body }));
      p.resolve();
    } catch (err) {
      p.reject(sdkError(err, 'queue', 'SQS SendMessage'));
    }
  }
}
