/**
 * Mailbox dispatcher Lambda (issue 10 item 4): invoked every minute by an EventBridge Scheduler
 * schedule, it enqueues that minute's poll jobs and schedules the POP3 ticks; invoked by the tick
 * queue, it enqueues the tick's slot. Emits MailServersFailing (a gauge, once a minute: the
 * alarm's metric) and PollJobsEnqueued. It never waits for a poll.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parsePollTick } from '../core/mailboxes/dispatch.ts';
import { dispatchMinute, dispatchTick, type DispatchDeps, type DispatchReport } from '../core/mailboxes/dispatch-polls.ts';
import { MAIL_POLLING_METRICS as M } from '../../contract/mail-polling.ts';
import { emfLine } from '../adapters/metrics/emf.ts';
import { dispatcherDeps } from '../adapters/mailboxes/polling-deps.ts';
import { dispatcherEnv } from '../adapters/mailboxes/polling-env.ts';

/** What the schedule sends (lib/constructs/mailbox-polling.ts; the local loop sends the same). */
export interface ScheduleEvent {
  readonly kind: 'schedule';
  /** The Scheduler's `<aws.scheduler.scheduled-time>`: the same on a retry, so the same dedupe ids. */
  readonly scheduledTime?: string;
}

const logger = new Logger({ serviceName: 'postroom-mailbox-dispatcher' });

/** Where EMF lines go: stdout in Lambda (CloudWatch Logs extracts the metrics). */
const toStdout = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * The dispatcher over `deps`.
 * @param now @default () => new Date()
 * @param emit takes each EMF line; @default stdout
 */
export function dispatcherHandler(deps: DispatchDeps, now: () => Date = () => new Date(), emit: (emfLine: string) => void = toStdout) {
  async function tickRecord(record: SQSRecord): Promise<void> {
    const tick = parsePollTick(record.body);
    // Not ours to retry: a malformed tick would fail the same way each time.
    if (!tick) return void logger.error('not a poll tick; dropped', { sqsMessageId: record.messageId });
    emit(metricsLine(await dispatchTick(deps, tick, now()), false));
  }
  return async (event: ScheduleEvent | SQSEvent, context: Context): Promise<DispatchReport | SQSBatchResponse> => {
    if ('Records' in event) return processPartialResponse(event, tickRecord, new BatchProcessor(EventType.SQS), { context });
    const at = now();
    const scheduled = event.scheduledTime && !Number.isNaN(Date.parse(event.scheduledTime)) ? new Date(event.scheduledTime) : at;
    const report = await dispatchMinute(deps, scheduled, at);
    logger.info('dispatched', { ...report });
    emit(metricsLine(report, true));
    return report;
  };
}

/** The run's EMF line; the failing gauge only from the minute's run, so it has one datapoint a minute. */
function metricsLine(r: DispatchReport, gauge: boolean): string {
  const values: Record<string, number> = gauge ? { [M.jobsEnqueued]: r.jobs, [M.serversFailing]: r.failing } : { [M.jobsEnqueued]: r.jobs };
  return emfLine(M.dispatcherService, values);
}

export const handler = dispatcherHandler(dispatcherDeps(dispatcherEnv()));
