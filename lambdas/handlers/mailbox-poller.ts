/**
 * Mailbox poller Lambda (issue 10 items 5 and 6): one poll job at a time from the FIFO poll-job
 * queue (batch size 1; message group = server id, so one mailbox is never polled twice at once).
 * Polls within the invocation's time, records the server's health and announces transitions.
 * A failing server is a recorded outcome, not a failed record; only a failure to load or record
 * (the registry unreachable) fails the record, which SQS retries (ReportBatchItemFailures).
 * Emits MessagesFetched and MailServerPollErrors.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { parsePollJob } from '../core/mailboxes/dispatch.ts';
import { runPollJob, type PollJobDeps } from '../core/mailboxes/poll-job.ts';
import { MAIL_POLLING_METRICS as M } from '../../contract/mail-polling.ts';
import { emfLine } from '../adapters/metrics/emf.ts';
import { pollerDeps } from '../adapters/mailboxes/polling-deps.ts';
import { pollerEnv } from '../adapters/mailboxes/polling-env.ts';

/**
 * How long before the invocation's timeout a poll must have stopped: above the poll's hang grace
 * (POLL_HANG_GRACE_MS, 15 s), leaving time to publish events and write the health.
 */
export const POLL_STOP_BEFORE_TIMEOUT_MS = 30_000;

const logger = new Logger({ serviceName: 'postroom-mailbox-poller' });

/** Where EMF lines go: stdout in Lambda (CloudWatch Logs extracts the metrics). */
const toStdout = (line: string): void => void process.stdout.write(`${line}\n`);

/** The poller over `deps`; `emit` takes each EMF line, @default stdout. */
export function pollerHandler(deps: PollJobDeps, emit: (emfLine: string) => void = toStdout) {
  return (event: SQSEvent, context: Context) => {
    async function pollRecord(record: SQSRecord): Promise<void> {
      const job = parsePollJob(record.body);
      // Not ours to retry: a malformed job would fail the same way each time.
      if (!job) return void logger.error('not a poll job; dropped', { sqsMessageId: record.messageId });
      const deadline = new Date(Date.now() + context.getRemainingTimeInMillis() - POLL_STOP_BEFORE_TIMEOUT_MS);
      const report = await runPollJob(job, deadline, deps);
      if (report.outcome === 'skipped') return void logger.info('poll skipped', { ...job, why: report.why });
      const { health, events, eventError } = report;
      const detail = { ...job, fetched: report.fetched, state: health.state, reason: health.lastErrorReason, backlog: health.backlog, events: events.map((e) => e.kind) };
      if (report.outcome === 'failed') logger.warn('poll failed', { ...detail, error: health.lastError, ...(report.errorDetail && { detail: report.errorDetail }) });
      else logger.info('polled', detail);
      if (eventError) logger.error('mail server events not published', { ...job, eventError });
      emit(emfLine(M.pollerService, { [M.messagesFetched]: report.fetched, [M.pollErrors]: report.outcome === 'failed' ? 1 : 0 }));
    }
    return processPartialResponse(event, pollRecord, new BatchProcessor(EventType.SQS), { context });
  };
}

export const handler = pollerHandler(pollerDeps(pollerEnv()));
