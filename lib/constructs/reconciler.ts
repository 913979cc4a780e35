/**
 * The reconciler (ARCHITECTURE.md decision 11): a scheduled Lambda that finds raw messages stored
 * under `inbound/` without a finished ingest record and puts them back on the inbound queue, so a
 * lost SES notification or a crash between steps cannot lose mail.
 */
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../contract/environment.ts';
import type { IInteractionTables } from './interaction-tables.ts';
import type { IMailStore } from './mail-store.ts';
import { PostroomFunction, handlerEntry } from './postroom-function.ts';

/**
 * Sizing: a run lists 1,000 keys per S3 call and reads 100 ledger items per DynamoDB call; 4
 * minutes (the handler stops listing 30 s before) covers hundreds of thousands of objects and
 * never overlaps the next 5-minute run by much. 512 MB for the network-bound SDK calls.
 */
export const RECONCILER_LIMITS = { timeout: Duration.minutes(4), memorySize: 512 } as const;

/** Where stored mail is, where its ingest status is, where recoveries go, and how often. */
export interface ReconcilerProps {
  /** The bucket whose `inbound/` prefix the reconciler lists and reads. */
  readonly mailStore: IMailStore;
  /** The interactions table, whose ingest ledger (`M#` items) says which messages are done. */
  readonly tables: IInteractionTables;
  /** The inbound queue the routing Lambda consumes; recovery records go there. */
  readonly queue: IQueue;
  /** How often the reconciler runs. @default Schedule.rate(Duration.minutes(5)) */
  readonly schedule?: Schedule;
  /** Retention of the function's log group. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The reconciler Lambda (lambdas/handlers/reconciler.ts; 4 min, 512 MB) on an EventBridge rule,
 * every 5 minutes by default. It may list `inbound/` and read objects there (SES's header block),
 * batch-read the interactions table and send to the inbound queue; nothing more. Its environment
 * is set here and only here.
 */
export class Reconciler extends Construct {
  /** The reconciler function. */
  readonly handler: PostroomFunction;
  /** The EventBridge schedule that invokes it (no retries: the next run is the retry). */
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ReconcilerProps) {
    super(scope, id);
    this.handler = new PostroomFunction(this, 'Handler', {
      entry: handlerEntry('reconciler'),
      description: 'Postroom reconciler: re-enqueues stored mail without a finished ingest',
      timeout: RECONCILER_LIMITS.timeout,
      memorySize: RECONCILER_LIMITS.memorySize,
      ...(props.logRetention !== undefined && { logRetention: props.logRetention }),
      environment: {
        ...props.tables.environment('interactions'),
        ...props.mailStore.environment(),
        ...props.tables.environment('config'),
        [ENV.inboundQueueUrl]: props.queue.queueUrl,
      },
    });
    props.mailStore.grantListRaw(this.handler);
    props.mailStore.grantReadRaw(this.handler);
    // Polled mail is stored under polled/ with its receipt beside it; the reconciler checks it too.
    props.mailStore.grantListPolled(this.handler);
    props.mailStore.grantReadPolled(this.handler);
    props.tables.grantIngestStatusRead(this.handler);
    // The served domains, for the To/Cc fallback when a message does not name its envelope recipient.
    props.tables.grantServedDomainsRead(this.handler);
    props.queue.grantSendMessages(this.handler);
    this.rule = new Rule(this, 'Schedule', {
      description: 'Runs the Postroom reconciler',
      schedule: props.schedule ?? Schedule.rate(Duration.minutes(5)),
      targets: [new LambdaFunction(this.handler.function, { retryAttempts: 0 })],
    });
  }
}
