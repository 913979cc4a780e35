/**
 * Mailbox polling in the local runtime (issue 10 item 4; ARCHITECTURE.md decision 9): the same
 * dispatcher and poller handlers as in AWS, on fauxqs. A FIFO poll-job queue (message group =
 * server id: fauxqs, like SQS, hands out no second message of a group while one is in flight, so
 * one mailbox is never polled twice at once) and a tick queue for POP3's 20-s and 40-s slots;
 * the dispatcher runs on a 60-s timer in place of EventBridge Scheduler, and consumes the ticks.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import type { DispatchDeps } from '../core/mailboxes/dispatch-polls.ts';
import type { PollJobDeps } from '../core/mailboxes/poll-job.ts';
import { startEventSource, type SqsHandler } from './event-source.ts';

/** How often the dispatcher runs, as the deployed schedule: every minute. */
export const LOCAL_DISPATCH_INTERVAL_MS = 60_000;
/**
 * Visibility timeout of the local poll-job queue: above a local poll's longest run (the event
 * source's 60-s invocation budget), or a job still polling would become visible again and a
 * second poll of the same mailbox could start.
 */
export const LOCAL_POLL_JOB_VISIBILITY_S = 120;
/** Jobs polled at once: one slow or hanging mailbox must not hold up the others. */
export const LOCAL_POLL_CONCURRENCY = 4;
/** As in the deployed stack (MAILBOX_POLLING_LIMITS.maxReceiveCount): a job or tick that failed this often goes to the DLQ. */
const MAX_RECEIVE_COUNT = 3;

/** The local queue names; CDK generates them in AWS. */
export const LOCAL_POLL_QUEUES = {
  jobs: 'postroom-poll-jobs.fifo',
  jobsDlq: 'postroom-poll-jobs-dlq.fifo',
  ticks: 'postroom-poll-ticks',
  ticksDlq: 'postroom-poll-ticks-dlq',
} as const;

/** The queues the loop created, for the wiring and for tests. */
export interface PollQueues {
  readonly jobUrl: string;
  readonly tickUrl: string;
  readonly jobDlqUrl: string;
}

export interface MailboxLoopOptions {
  readonly fauxqs: FauxqsServer;
  readonly sqs: SQSClient;
  readonly region: string;
  /** The dispatcher's and the poller's wiring for these queues (the runtime: polling-deps.ts with the local environment). */
  readonly wiring: (queues: PollQueues) => Promise<{ readonly dispatcher: DispatchDeps; readonly poller: PollJobDeps }>;
  readonly log: (line: string) => void;
  /** Queues made by {@link createPollQueues} beforehand. @default created here */
  readonly queues?: ReturnType<typeof createPollQueues>;
  /** @default LOCAL_DISPATCH_INTERVAL_MS */
  readonly intervalMs?: number;
  /** @default LOCAL_POLL_CONCURRENCY */
  readonly concurrency?: number;
}

export interface MailboxLoop {
  readonly queues: PollQueues;
  /** One dispatch of the current minute now (what the timer does). */
  dispatchNow(): Promise<void>;
  /** Stops the timer and the consumers, and waits for polls in progress. */
  stop(): Promise<void>;
}

/**
 * Creates the poll-job queue (FIFO, with a FIFO DLQ) and the tick queue (with a DLQ) on fauxqs;
 * before the API starts, so its poll-now hook knows the job queue.
 */
export function createPollQueues(fauxqs: FauxqsServer): PollQueues & { readonly jobArn: string; readonly tickArn: string } {
  const q = LOCAL_POLL_QUEUES;
  const redrive = (arn: string) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: MAX_RECEIVE_COUNT });
  const jobsDlq = fauxqs.createQueue(q.jobsDlq, { attributes: { FifoQueue: 'true', MessageRetentionPeriod: '1209600' } });
  const jobs = fauxqs.createQueue(q.jobs, {
    attributes: { FifoQueue: 'true', VisibilityTimeout: String(LOCAL_POLL_JOB_VISIBILITY_S), RedrivePolicy: redrive(jobsDlq.queueArn) },
  });
  const ticksDlq = fauxqs.createQueue(q.ticksDlq, { attributes: { MessageRetentionPeriod: '1209600' } });
  const ticks = fauxqs.createQueue(q.ticks, { attributes: { VisibilityTimeout: '30', RedrivePolicy: redrive(ticksDlq.queueArn) } });
  return { jobUrl: jobs.queueUrl, jobArn: jobs.queueArn, tickUrl: ticks.queueUrl, tickArn: ticks.queueArn, jobDlqUrl: jobsDlq.queueUrl };
}

/** Creates the queues unless given, starts the poller and tick consumers, runs a first dispatch and starts the timer. */
export async function startMailboxLoop(o: MailboxLoopOptions): Promise<MailboxLoop> {
  const created = o.queues ?? createPollQueues(o.fauxqs);
  const queues: PollQueues = { jobUrl: created.jobUrl, tickUrl: created.tickUrl, jobDlqUrl: created.jobDlqUrl };
  const wiring = await o.wiring(queues);
  const { dispatcherHandler } = await import('../handlers/mailbox-dispatcher.ts');
  const { pollerHandler } = await import('../handlers/mailbox-poller.ts');
  // No CloudWatch locally: the metric lines would only clutter the runtime's output.
  const noMetrics = () => undefined;
  const dispatch = dispatcherHandler(wiring.dispatcher, () => new Date(), noMetrics);

  const pollerSource = startEventSource({
    sqs: o.sqs,
    queueUrl: created.jobUrl,
    queueArn: created.jobArn,
    region: o.region,
    handler: pollerHandler(wiring.poller, noMetrics) as SqsHandler,
    // Batch size 1, as the deployed mapping: a job waits for no other server's poll.
    batchSize: 1,
    concurrency: o.concurrency ?? LOCAL_POLL_CONCURRENCY,
    onError: (err) => o.log(`mailbox poller: ${err.message}`),
  });
  const tickSource = startEventSource({
    sqs: o.sqs,
    queueUrl: created.tickUrl,
    queueArn: created.tickArn,
    region: o.region,
    handler: dispatch as SqsHandler,
    concurrency: 1,
    onError: (err) => o.log(`mailbox ticks: ${err.message}`),
  });

  let running: Promise<unknown> = Promise.resolve();
  // A failure that repeats every minute (the config table unreadable) is said once, not every minute.
  let lastError: string | undefined;
  const dispatchNow = (): Promise<void> => {
    const run = running.then(async () => {
      await dispatch({ kind: 'schedule', scheduledTime: new Date().toISOString() }, localContext());
    });
    running = run.then(
      () => (lastError = undefined),
      (err: Error) => {
        if (err.message !== lastError) o.log(`mailbox dispatcher: ${err.message}`);
        lastError = err.message;
      },
    );
    return run;
  };
  void dispatchNow().catch(() => undefined);
  // On the minute, like the Scheduler: POP3's 20-s and 40-s ticks count from the start of the
  // dispatch's minute, so a timer running late in its minute made them due at once, and the poll
  // just started covered them (POP3 was polled once a minute, not every 20 s).
  const interval = o.intervalMs ?? LOCAL_DISPATCH_INTERVAL_MS;
  let timer: NodeJS.Timeout | undefined;
  const aligned = setTimeout(() => {
    void dispatchNow().catch(() => undefined);
    timer = setInterval(() => void dispatchNow().catch(() => undefined), interval);
    timer.unref();
  }, interval - (Date.now() % interval));
  aligned.unref();

  return {
    queues,
    dispatchNow,
    async stop() {
      clearTimeout(aligned);
      clearInterval(timer);
      await running;
      await tickSource.stop();
      await pollerSource.stop();
    },
  };
}

/** The context a timer-invoked dispatch gets (it uses none of it but the type). */
function localContext(): import('aws-lambda').Context {
  return { functionName: 'postroom-mailbox-dispatcher-local', awsRequestId: crypto.randomUUID(), getRemainingTimeInMillis: () => 60_000 } as import('aws-lambda').Context;
}
