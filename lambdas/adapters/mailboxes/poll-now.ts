/**
 * The registry's `onSaved` hook in the admin API Lambda: an immediate poll job for a saved server
 * (SRV-6: a new or changed server is in use within 30 s), sent with the signed SQS call the API
 * already uses, so its bundle carries no SQS SDK client.
 */
import { dedupeIdOf, pollNowJob } from '../../core/mailboxes/dispatch.ts';
import type { MailServer } from '../../core/mailboxes/server.ts';
import { signedSqs } from '../aws-clients.ts';
import type { SignedSqs } from '../aws/signed-request.ts';
import { pollNowQueueUrl } from './polling-env.ts';

/** Sends one poll-now job for `serverId` to the FIFO poll-job queue at `queueUrl`. @param now @default new Date() */
export async function sendPollNow(sqs: SignedSqs, queueUrl: string, serverId: string, now: Date = new Date()): Promise<void> {
  const job = pollNowJob(serverId, now);
  await sqs.call(queueUrl, 'SendMessage', { MessageBody: JSON.stringify(job), MessageGroupId: job.serverId, MessageDeduplicationId: dedupeIdOf(job) });
}

/**
 * `{ onSaved }` for the registry when POLL_JOB_QUEUE_URL is set (MailboxPolling.grantPollNow sets
 * it), else `{}`: saved servers are then polled at the next scheduled slot. Only enabled inbound
 * servers are polled (the registry calls the hook for those only).
 */
export function pollNowOnSavedFromEnv(source: NodeJS.ProcessEnv = process.env): { onSaved?: (server: MailServer) => Promise<void> } {
  const queueUrl = pollNowQueueUrl(source);
  if (!queueUrl) return {};
  return { onSaved: (server) => sendPollNow(signedSqs(), queueUrl, server.id) };
}
