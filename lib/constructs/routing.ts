/**
 * The routing stage: the Lambda that turns each inbound notification into one interaction.
 */
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../contract/environment.ts';
import { DEFAULT_LANGUAGES, DEFAULT_THREAD_WINDOW_DAYS } from '../../contract/routing-settings.ts';
import type { IInteractionTables } from './interaction-tables.ts';
import type { IMailStore } from './mail-store.ts';
import { PostroomFunction, handlerEntry } from './postroom-function.ts';

/**
 * Sizing of the routing function. It streams and parses messages of up to 40 MB (MAIL_LIMITS),
 * uploading parts as it goes: 1 GB gives the CPU share and headroom for that, and 60 s covers a
 * batch of 10 ordinary messages or one very large one.
 */
export const ROUTING_LIMITS = {
  timeout: Duration.seconds(60),
  memorySize: 1024,
  /** Ten records per invocation amortise the cold start; failures are reported per record. */
  batchSize: 10,
  /** A short wait fills batches under load without delaying a lone message noticeably. */
  maxBatchingWindow: Duration.seconds(2),
} as const;

/** The data the routing function works on and the routing settings it receives as environment. */
export interface RoutingProps {
  /** The inbound notifications queue (SES receipt notifications, raw SNS delivery). */
  readonly queue: IQueue;
  /** Raw mail the function reads (`inbound/*`) and where it writes decoded parts (`parts/*`). */
  readonly mailStore: IMailStore;
  /** The tables it writes interactions to and reads queues and routing rules from. */
  readonly tables: IInteractionTables;
  /** The queue a message waits in when no address route or flow names another. */
  readonly defaultQueueId: string;
  /** The priority of a message no route or flow gives one (added to its minutes waited). */
  readonly defaultPriority: number;
  /** How long replies join their interaction, 1-30 days. @default 30 (DEFAULT_THREAD_WINDOW_DAYS) */
  readonly threadWindowDays?: number;
  /** ISO 639-1 codes language detection chooses among. @default DEFAULT_LANGUAGES (en,de,fr,es,it,nl,pt,ja) */
  readonly languages?: readonly string[];
  /**
   * The bounce domain of the SMTP path's VERP return paths: ingest reads mail to
   * `bounces+<outboxId>@<domain>` as a bounce of that send. @default none: no VERP bounces are read
   */
  readonly returnPathDomain?: string;
  /** Retention of the function's log group. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The routing Lambda (lambdas/handlers/routing.ts; 60 s, 1024 MB) fed by the inbound queue in
 * batches of 10 with a 2 s batching window and partial batch responses, so one bad record never
 * makes the good ones retry. Its environment is set here and only here. It may read raw mail,
 * write parts (and read them back when it reads VERP bounces: `returnPathDomain`), read and write single interactions (no deletes, no Scan), read queue and config
 * items and consume the queue, nothing more.
 */
export class Routing extends Construct {
  /** The routing function (its role, log group and the Lambda itself, e.g. for alarms). */
  readonly handler: PostroomFunction;
  /** Routing's settings as environment variables: this function's, and the flow dry run's (bindDryRun). */
  private readonly settings: Readonly<Record<string, string>>;
  private readonly props: RoutingProps;

  constructor(scope: Construct, id: string, props: RoutingProps) {
    super(scope, id);
    this.props = props;
    this.settings = {
      [ENV.defaultQueueId]: props.defaultQueueId,
      [ENV.defaultPriority]: String(props.defaultPriority),
      [ENV.threadWindowDays]: String(props.threadWindowDays ?? DEFAULT_THREAD_WINDOW_DAYS),
      [ENV.languages]: (props.languages ?? DEFAULT_LANGUAGES).join(','),
    };
    this.handler = new PostroomFunction(this, 'Handler', {
      entry: handlerEntry('routing'),
      description: 'Postroom routing: SES receipt notification -> interaction',
      timeout: ROUTING_LIMITS.timeout,
      memorySize: ROUTING_LIMITS.memorySize,
      ...(props.logRetention !== undefined && { logRetention: props.logRetention }),
      environment: {
        ...props.tables.environment(),
        ...props.mailStore.environment(),
        ...this.settings,
        ...(props.returnPathDomain !== undefined && { [ENV.returnPathDomain]: props.returnPathDomain }),
      },
    });
    props.mailStore.grantReadRaw(this.handler);
    // Mail the IMAP/POP3 pollers fetched is routed like mail SES received.
    props.mailStore.grantReadPolled(this.handler);
    props.mailStore.grantWriteParts(this.handler);
    // A VERP bounce's delivery report is read back (a bounded, ranged GET) from the parts it was stored as.
    if (props.returnPathDomain !== undefined) props.mailStore.grantReadParts(this.handler);
    props.tables.grantInteractionWrite(this.handler);
    props.tables.grantConfigRead(this.handler);
    // The served domains (mail for others is quarantined), read from the store and cached.
    props.tables.grantServedDomainsRead(this.handler);
    // The event source grants the queue's consume actions to the function's role.
    this.handler.function.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: ROUTING_LIMITS.batchSize,
        maxBatchingWindow: ROUTING_LIMITS.maxBatchingWindow,
        reportBatchItemFailures: true,
      }),
    );
  }

  /**
   * Lets `fn` run the flow dry run (POST /flows/dry-run: routing's decision on a pasted or stored
   * message, nothing stored): routing's settings as this function has them (default queue and
   * priority, languages, thread window), reads of single interactions and the thread index, of
   * queues and config items, and of raw mail (`inbound/`, `polled/`) to parse a stored message
   * again. No writes.
   */
  bindDryRun(fn: PostroomFunction): void {
    for (const [key, value] of Object.entries(this.settings)) fn.addEnvironment(key, value);
    this.props.tables.grantInteractionRead(fn);
    this.props.tables.grantConfigRead(fn);
    this.props.mailStore.grantReadRaw(fn);
    this.props.mailStore.grantReadPolled(fn);
  }
}
