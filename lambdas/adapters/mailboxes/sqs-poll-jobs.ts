/**
 * {@link PollJobQueue} on SQS: jobs go to the FIFO poll-job queue (message group = server id, so
 * one mailbox is never polled twice at once; deduplication id = server id and slot, so two
 * dispatches of one slot make one job), ticks to the standard tick queue with DelaySeconds.
 *
 * Why ticks and not delayed jobs: SQS FIFO queues reject a per-message DelaySeconds, so the POP3
 * slots at 20 and 40 s are delayed tick messages on a standard queue whose consumer (the
 * dispatcher) enqueues that slot's jobs when the tick arrives.
 */
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import { TransientError } from '../../core/errors.ts';
import { dedupeIdOf, pollNowJob, type PollJob, type PollTick } from '../../core/mailboxes/dispatch.ts';
import type { PollJobQueue } from '../../core/mailboxes/dispatch-polls.ts';
import type { MailServer } from '../../core/mailboxes/server.ts';
import { sdkError } from '../aws/sdk-errors.ts';

/** SendMessageBatch takes at most 10 entries per call (SQS quotas). */
export const MAX_SEND_BATCH_ENTRIES = 10;
/** SQS's largest DelaySeconds (15 minutes); a tick is never further ahead than 40 s. */
const MAX_DELAY_SECONDS = 900;

export class SqsPollJobQueue implements PollJobQueue {
  /**
   * @param sqs the client
   * @param jobQueueUrl the FIFO poll-job queue
   * @param tickQueueUrl the tick queue; @default none (then scheduleTicks refuses: only the dispatcher schedules ticks)
   */
  constructor(
    private readonly sqs: SQSClient,
    private readonly jobQueueUrl: string,
    private readonly tickQueueUrl?: string,
  ) {}

  /** Sends `jobs` in batches of 10; entries SQS refused are sent once more, then it throws TransientError `queue-unavailable`. */
  async enqueue(jobs: readonly PollJob[]): Promise<void> {
    const entries = jobs.map((job, i) => ({
      Id: String(i),
      MessageBody: JSON.stringify(job),
      MessageGroupId: job.serverId,
      MessageDeduplicationId: dedupeIdOf(job),
    }));
    await this.sendAll(this.jobQueueUrl, entries, 'poll job');
  }

  /** Sends each tick delayed until its slot (0 when the slot has come; at most 15 minutes). */
  async scheduleTicks(ticks: readonly PollTick[], now: Date): Promise<void> {
    if (!this.tickQueueUrl) throw new Error('SqsPollJobQueue: no tick queue given');
    const entries = ticks.map((tick, i) => ({
      Id: String(i),
      MessageBody: JSON.stringify(tick),
      DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round((Date.parse(tick.slotAt) - now.getTime()) / 1000))),
    }));
    await this.sendAll(this.tickQueueUrl, entries, 'poll tick');
  }

  /**
   * Enqueues an immediate poll of `serverId` (the registry's onSaved hook: SRV-6, a saved server
   * is in use within 30 s). Its deduplication id carries the current time, so it is never taken
   * for a scheduled slot.
   * @param now @default new Date()
   */
  async pollNow(serverId: string, now: Date = new Date()): Promise<void> {
    await this.enqueue([pollNowJob(serverId, now)]);
  }

  private async sendAll(queueUrl: string, entries: SendMessageBatchRequestEntry[], what: string): Promise<void> {
    for (let i = 0; i < entries.length; i += MAX_SEND_BATCH_ENTRIES) {
      let batch = entries.slice(i, i + MAX_SEND_BATCH_ENTRIES);
      for (let attempt = 0; attempt < 2 && batch.length > 0; attempt += 1) batch = await this.send(queueUrl, batch);
      if (batch.length > 0) throw new TransientError('queue-unavailable', `SQS refused ${batch.length} ${what}(s)`);
    }
  }

  /** The entries SQS did not accept. */
  private async send(queueUrl: string, entries: SendMessageBatchRequestEntry[]): Promise<SendMessageBatchRequestEntry[]> {
    try {
      const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      const failed = new Set((out.Failed ?? []).map((f) => f.Id));
      return entries.filter((e) => failed.has(e.Id));
    } catch (err) {
      throw sdkError(err, 'queue', `SQS SendMessageBatch to ${queueUrl}`);
    }
  }
}

/**
 * The registry's `onSaved(server)` hook: an immediate poll of an enabled inbound server; nothing
 * for others (a disabled server is not polled, an SMTP server never).
 */
export function pollNowOnSave(queue: Pick<SqsPollJobQueue, 'pollNow'>): (server: MailServer) => Promise<void> {
  return async (server) => {
    if (server.enabled && server.type !== 'smtp') await queue.pollNow(server.id);
  };
}
