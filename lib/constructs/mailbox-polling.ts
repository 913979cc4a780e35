/**
 * Mailbox polling (issue 10 items 4 and 6): an EventBridge Scheduler schedule invokes the
 * dispatcher every minute; the dispatcher enqueues one poll job per enabled inbound server on a
 * FIFO queue whose message group is the server id (one mailbox is never polled twice at once);
 * the poller takes one job at a time, polls, records health and announces transitions.
 *
 * Deviation from the issue's "POP3 jobs at 0, 20 and 40 s (SQS DelaySeconds)": SQS FIFO queues
 * reject a per-message DelaySeconds. So the dispatcher sends the 0-s jobs to the FIFO queue and,
 * for POP3, two "tick" messages with DelaySeconds 20 and 40 to a standard tick queue whose
 * consumer is the dispatcher itself, which then enqueues those slots' jobs. Deduplication id =
 * server id + slot time, so overlapping dispatches (a Scheduler retry, a tick delivered twice)
 * never enqueue a slot twice.
 */
import { ArnFormat, Aws, Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import { Grant, PolicyStatement, Role, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput, type IScheduleTarget } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../contract/environment.ts';
import { MAIL_SERVER_SECRET_PATTERN } from '../../contract/mail-polling.ts';
import { grantObjectPrefix } from './acknowledgements.ts';
import type { IMailStore } from './mail-store.ts';
import { MailboxPollingAlarms } from './mailbox-polling-alarms.ts';
import { PostroomFunction, handlerEntry, type IPostroomFunction } from './postroom-function.ts';
import { tableEnvironment } from './table-environment.ts';

/**
 * Sizing. Poller: 5 minutes per job, so a 50,000-message mailbox drains over several polls, each
 * stopping 30 s before the timeout; 512 MB for TLS and streaming to S3. Its queue's visibility
 * timeout is 1 minute above the timeout: a job is never visible again (a second poll of the same
 * mailbox) while its poll may still run. Dispatcher: a list and a few batched sends, 30 s.
 */
export const MAILBOX_POLLING_LIMITS = {
  pollerTimeout: Duration.minutes(5),
  pollerMemorySize: 512,
  jobVisibilityTimeout: Duration.minutes(6),
  dispatcherTimeout: Duration.seconds(30),
  tickVisibilityTimeout: Duration.minutes(1),
  /**
   * Pollers at once (the event source's maximum concurrency, 2-1000). Why this and not reserved
   * concurrency: a throttled FIFO receive counts toward maxReceiveCount and would move jobs to the
   * DLQ; the mapping's maximum concurrency just receives fewer. 20 servers polled at once keeps
   * a 20-s POP3 cadence for hundreds of quick mailboxes without crowding the account's Lambdas.
   */
  maxConcurrentPolls: 20,
  /** A job that failed 3 times is the registry or S3 failing, not the mail server: it goes to the DLQ and alarms. */
  maxReceiveCount: 3,
} as const;

/** What polling reads, writes and tells. */
export interface MailboxPollingProps {
  /** The config table: mail servers (listed, health written) and the IMAP cursors. */
  readonly configTable: ITable;
  /** The interactions table: the POP3 UIDL seen-set. */
  readonly interactionsTable: ITable;
  /** The mail bucket; fetched mail goes under `polled/`. */
  readonly mailStore: IMailStore;
  /** The inbound queue the routing Lambda consumes; polled mail is enqueued there. */
  readonly inboundQueue: IQueue;
  /** Where Mail Server Failing / Needs Reauth / Recovered go. @default - the account's default event bus */
  readonly eventBus?: IEventBus;
  /** @default MAILBOX_POLLING_LIMITS.maxConcurrentPolls (20) */
  readonly maxConcurrentPolls?: number;
  /** Retention of the functions' log groups. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The schedule (rate 1 minute, retried twice within a minute), the FIFO poll-job queue and the
 * tick queue (each with a DLQ kept 14 days; SQS-managed encryption, TLS only), the dispatcher
 * (30 s) and the poller (5 min, batch size 1, at most 20 at once), their least-privilege grants,
 * and the alarms of {@link MailboxPollingAlarms}. `grantPollNow` lets another function (the API)
 * ask for an immediate poll.
 */
export class MailboxPolling extends Construct {
  readonly dispatcher: PostroomFunction;
  readonly poller: PostroomFunction;
  readonly jobQueue: Queue;
  readonly jobDeadLetterQueue: Queue;
  readonly tickQueue: Queue;
  readonly tickDeadLetterQueue: Queue;
  readonly schedule: Schedule;
  readonly eventBus: IEventBus;
  readonly alarms: MailboxPollingAlarms;

  constructor(scope: Construct, id: string, props: MailboxPollingProps) {
    super(scope, id);
    const L = MAILBOX_POLLING_LIMITS;
    const log = props.logRetention !== undefined ? { logRetention: props.logRetention } : {};
    this.eventBus = props.eventBus ?? EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    const secure = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;
    this.jobDeadLetterQueue = new Queue(this, 'JobDeadLetterQueue', { ...secure, fifo: true, retentionPeriod: Duration.days(14) });
    this.jobQueue = new Queue(this, 'JobQueue', {
      ...secure,
      fifo: true,
      visibilityTimeout: L.jobVisibilityTimeout,
      deadLetterQueue: { queue: this.jobDeadLetterQueue, maxReceiveCount: L.maxReceiveCount },
    });
    this.tickDeadLetterQueue = new Queue(this, 'TickDeadLetterQueue', { ...secure, retentionPeriod: Duration.days(14) });
    this.tickQueue = new Queue(this, 'TickQueue', {
      ...secure,
      visibilityTimeout: L.tickVisibilityTimeout,
      deadLetterQueue: { queue: this.tickDeadLetterQueue, maxReceiveCount: L.maxReceiveCount },
    });

    this.dispatcher = new PostroomFunction(this, 'Dispatcher', {
      entry: handlerEntry('mailbox-dispatcher'),
      description: 'Postroom mailbox dispatcher: enqueues a poll job per enabled inbound server',
      timeout: L.dispatcherTimeout,
      ...log,
      environment: {
        ...tableEnvironment({ config: props.configTable }),
        [ENV.pollJobQueueUrl]: this.jobQueue.queueUrl,
        [ENV.pollTickQueueUrl]: this.tickQueue.queueUrl,
        [ENV.eventBus]: this.eventBus.eventBusName,
      },
    });
    // Listing the mail servers is a scan of the config table's SRV# items; the hourly OAuth2
    // housekeeping marks a server whose grant was refused as needs-reauth (a health update).
    Grant.addToPrincipal({ grantee: this.dispatcher, actions: ['dynamodb:Scan', 'dynamodb:UpdateItem'], resourceArns: [props.configTable.tableArn] });
    // The housekeeping refreshes idle refresh tokens (read, put back) and announces expiring client secrets.
    grantObjectPrefix(
      { grantee: this.dispatcher, actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], resourceArns: [this.mailServerSecretsArn()] },
      'Each mail server has its own secret, named postroom/mail-servers/<id> when it is saved; the dispatcher refreshes idle OAuth2 tokens in those and no other secret.',
    );
    this.eventBus.grantPutEventsTo(this.dispatcher);
    this.jobQueue.grantSendMessages(this.dispatcher);
    this.tickQueue.grantSendMessages(this.dispatcher);
    this.dispatcher.function.addEventSource(new SqsEventSource(this.tickQueue, { batchSize: 10, reportBatchItemFailures: true }));

    this.poller = new PostroomFunction(this, 'Poller', {
      entry: handlerEntry('mailbox-poller'),
      description: 'Postroom mailbox poller: fetches one mailbox, stores and enqueues its mail',
      timeout: L.pollerTimeout,
      memorySize: L.pollerMemorySize,
      ...log,
      environment: {
        ...tableEnvironment({ config: props.configTable, interactions: props.interactionsTable }),
        ...props.mailStore.environment(),
        [ENV.inboundQueueUrl]: props.inboundQueue.queueUrl,
        [ENV.eventBus]: this.eventBus.eventBusName,
      },
    });
    this.grantPollerAccess(props);
    this.poller.function.addEventSource(
      new SqsEventSource(this.jobQueue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: props.maxConcurrentPolls ?? L.maxConcurrentPolls }),
    );

    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Dispatches the Postroom mailbox polls every minute',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      target: this.scheduleTarget(),
    });
    this.alarms = new MailboxPollingAlarms(this, 'Alarms', {
      jobDeadLetterQueue: this.jobDeadLetterQueue,
      tickDeadLetterQueue: this.tickDeadLetterQueue,
      dispatcher: this.dispatcher.function,
    });
  }

  /**
   * The schedule's target: the dispatcher, invoked by a role of its own that may invoke exactly
   * that function (aws-scheduler-targets' LambdaInvoke would also grant every version, `:*`). The
   * input carries the scheduled time, the same on a retry, which makes the slots and so the
   * deduplication ids. Retried twice within a minute; a later minute dispatches anyway.
   */
  private scheduleTarget(): IScheduleTarget {
    const role = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: 'Lets EventBridge Scheduler invoke the Postroom mailbox dispatcher',
    });
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.dispatcher.function.functionArn] }));
    const input = ScheduleTargetInput.fromObject({ kind: 'schedule', scheduledTime: ContextAttribute.scheduledTime });
    const retryPolicy = { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 60 };
    return { bind: () => ({ arn: this.dispatcher.function.functionArn, role, input, retryPolicy }) };
  }

  /**
   * Lets `fn` ask for an immediate poll (the registry's onSaved hook, SRV-6): send to the poll-job
   * queue, whose URL it gets as POLL_JOB_QUEUE_URL (set here, the one place).
   */
  grantPollNow(fn: IPostroomFunction): void {
    fn.addEnvironment(ENV.pollJobQueueUrl, this.jobQueue.queueUrl);
    this.jobQueue.grantSendMessages(fn);
  }

  /** The poller's rights: its items of both tables, `polled/*` writes, the inbound queue, the servers' secrets, the bus. */
  private grantPollerAccess(props: MailboxPollingProps): void {
    const poller: IGrantable = this.poller;
    // Servers (get, health update), IMAP cursors and backfill markers (get, conditional put).
    Grant.addToPrincipal({ grantee: poller, actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resourceArns: [props.configTable.tableArn] });
    // The POP3 UIDL seen-set: batch-read, put.
    Grant.addToPrincipal({ grantee: poller, actions: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'], resourceArns: [props.interactionsTable.tableArn] });
    props.mailStore.grantWritePolled(poller);
    props.inboundQueue.grantSendMessages(poller);
    // Read a server's password or tokens; put a refreshed OAuth2 token (never create or delete: the registry does).
    grantObjectPrefix(
      { grantee: poller, actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], resourceArns: [this.mailServerSecretsArn()] },
      'Each mail server has its own secret, named postroom/mail-servers/<id> when it is saved; the poller may read and refresh those and no other secret.',
    );
    this.eventBus.grantPutEventsTo(poller);
  }

  /** The ARN pattern of every mail server's secret (`postroom/mail-servers/*`). */
  private mailServerSecretsArn(): string {
    return Stack.of(this).formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: MAIL_SERVER_SECRET_PATTERN, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
}
