/**
 * One notice of the outbound queue through the sender's core (sendOutbox), and what the queue does
 * next: delete it (sent, failed, held, uncertain, nothing to do), or keep it hidden for a while
 * (ChangeMessageVisibility) and report it failed so SQS delivers it again: transient failures back
 * off 30 s doubling to 15 min; rate-limit waits and another sender's live lease wait exactly as
 * long as needed. On the last receive before the DLQ a pending record fails `retries-exhausted`,
 * while a wait is handed on to a fresh notice (a wait is no failure and must not use up receives).
 */
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { giveUpOn, sendOutbox, type SendOutboxDeps, type SendOutcome } from '../../core/outbound/send-outbox.ts';
import type { OutboundNotifier } from '../../core/outbound/outbound-ports.ts';
import { sdkError } from '../aws/sdk-errors.ts';
import { outboxIdOfNotice, OUTBOUND_NOTIFY_LIMITS } from './notifier.ts';

export const SENDER_RETRY_LIMITS = {
  /** The first backoff after a transient failure: a throttled provider or a 4xx usually recovers within seconds to a minute. */
  firstBackoffSeconds: 30,
  /** The longest backoff (15 min), doubled up to from the first; SES and SMTP outages past that are the DLQ's to keep. */
  maxBackoffSeconds: 900,
} as const;

/** The queue's side of one receive. */
export interface SenderQueue {
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>;
}

/** What one notice is processed with. */
export interface SenderRun {
  readonly deps: SendOutboxDeps;
  readonly queue: SenderQueue;
  /** Carries a wait past the last receive (a fresh notice). */
  readonly notifier: OutboundNotifier;
  /** The outbound queue's maxReceiveCount: the receive with this count is the last before the DLQ. */
  readonly maxReceiveCount: number;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/** One SQS record as the sender reads it. */
export interface NoticeRecord {
  readonly body: string;
  readonly receiptHandle: string;
  readonly attributes: { readonly ApproximateReceiveCount?: string };
}

/** The item failed on purpose: SQS delivers it again after the visibility set here. */
export class RetryLater extends Error {
  constructor(readonly outboxId: string, readonly seconds: number, readonly why: string) {
    super(`outbox record ${outboxId}: ${why}; again in ${seconds} s`);
    this.name = 'RetryLater';
  }
}

/** The backoff after the `receiveCount`-th receive failed transiently: 30 s, 60 s, ... at most 15 min. */
export function backoffSeconds(receiveCount: number): number {
  const n = Math.max(1, receiveCount);
  return Math.min(SENDER_RETRY_LIMITS.firstBackoffSeconds * 2 ** Math.min(n - 1, 10), SENDER_RETRY_LIMITS.maxBackoffSeconds);
}

/**
 * Processes one notice; resolves when the message is to be deleted.
 * @throws RetryLater (visibility changed) or the error of the attempt (the queue's own visibility), so the item is reported failed
 */
export async function processNotice(record: NoticeRecord, run: SenderRun): Promise<SendOutcome> {
  const clock = run.clock ?? (() => new Date());
  const id = outboxIdOfNotice(record.body);
  const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1') || 1;
  const last = receiveCount >= run.maxReceiveCount;
  let outcome: SendOutcome;
  try {
    outcome = await sendOutbox(id, { clock, ...run.deps }, clock());
  } catch (err) {
    // Rethrown also after giving up: the DLQ keeps the notice beside the failed record.
    if (last) await giveUpOn(id, run.deps.outbox, clock(), `the outbound queue gave up: ${(err as Error).message}`);
    else await run.queue.changeVisibility(record.receiptHandle, backoffSeconds(receiveCount));
    throw err;
  }
  switch (outcome.kind) {
    case 'retry':
      if (last) {
        await giveUpOn(id, run.deps.outbox, clock(), `the outbound queue gave up; last error ${outcome.failure.reason}: ${outcome.failure.detail}`);
        return outcome;
      }
      return hide(record, run, id, backoffSeconds(receiveCount), `${outcome.failure.reason} (${outcome.failure.detail})`);
    case 'rate-limited':
    case 'busy': {
      const seconds = Math.max(1, Math.ceil(outcome.waitMs / 1000));
      if (last) {
        await run.notifier.notify([id], Math.min(seconds, OUTBOUND_NOTIFY_LIMITS.maxDelaySeconds));
        return outcome;
      }
      return hide(record, run, id, seconds, outcome.kind);
    }
    default:
      return outcome;
  }
}

async function hide(record: NoticeRecord, run: SenderRun, id: string, seconds: number, why: string): Promise<never> {
  await run.queue.changeVisibility(record.receiptHandle, seconds);
  throw new RetryLater(id, seconds, why);
}

/** {@link SenderQueue} on the outbound queue through the SDK client. */
export function sqsSenderQueue(sqs: SQSClient, queueUrl: string): SenderQueue {
  return {
    async changeVisibility(receiptHandle, seconds) {
      try {
        await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
      } catch (err) {
        throw sdkError(err, 'queue', 'SQS ChangeMessageVisibility');
      }
    },
  };
}
