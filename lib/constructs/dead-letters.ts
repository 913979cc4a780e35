/**
 * Dead letters of the inbound path (ARCHITECTURE.md decision 11): the recorder Lambda on the
 * inbound DLQ, and the binding that lets a function redrive dead letters to the inbound queue.
 */
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../contract/environment.ts';
import type { IMailStore } from './mail-store.ts';
import { PostroomFunction, addEnvironmentEntries, handlerEntry, type IPostroomFunction } from './postroom-function.ts';
import { tableEnvironment } from './table-environment.ts';

/**
 * Sizing of the recorder: a few small DynamoDB writes per record (and an S3 put for a large body).
 * 20 s stays below the DLQ's default 30 s visibility timeout, as an SQS event source requires.
 */
export const DEAD_LETTER_RECORDER_LIMITS = { timeout: Duration.seconds(20), memorySize: 256, batchSize: 10 } as const;

/** The queues and the data the recorder works on. */
export interface DeadLettersProps {
  /** The inbound queue's DLQ; the recorder consumes it. */
  readonly deadLetterQueue: IQueue;
  /** The inbound queue redrives send to. */
  readonly inboundQueue: IQueue;
  /** The interactions table: dead-letter items `DL#` and the ingest ledger `M#`. */
  readonly interactions: ITable;
  /** Where large dead-letter bodies are stored (`dead-letters/`). */
  readonly mailStore: IMailStore;
  /** Retention of the recorder's log group. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The recorder (lambdas/handlers/dead-letter.ts; 20 s, 256 MB) fed by the DLQ in batches of 10 with
 * partial batch responses: each DLQ message becomes a `DL#` item with its reason, the ledger item
 * gets `deadLetteredAt`, and only then the message is deleted. A message the recorder cannot
 * record stays in the DLQ (14 days) and the DLQ-depth alarm fires. The recorder may get, put and
 * update single items of the interactions table, write `dead-letters/*` and consume the DLQ,
 * nothing more.
 */
export class DeadLetters extends Construct {
  /** The recorder function on the DLQ. */
  readonly recorder: PostroomFunction;
  private readonly inboundQueue: IQueue;
  private readonly mailStore: IMailStore;

  constructor(scope: Construct, id: string, props: DeadLettersProps) {
    super(scope, id);
    this.inboundQueue = props.inboundQueue;
    this.mailStore = props.mailStore;
    this.recorder = new PostroomFunction(this, 'Recorder', {
      entry: handlerEntry('dead-letter'),
      description: 'Postroom dead-letter recorder: inbound DLQ message -> dead letter',
      timeout: DEAD_LETTER_RECORDER_LIMITS.timeout,
      memorySize: DEAD_LETTER_RECORDER_LIMITS.memorySize,
      ...(props.logRetention !== undefined && { logRetention: props.logRetention }),
      environment: { ...tableEnvironment({ interactions: props.interactions }), ...props.mailStore.environment('deadLetterBucket') },
    });
    // The table itself only: Table.grant would add `index/*`, which the recorder never reads.
    Grant.addToPrincipal({
      grantee: this.recorder,
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resourceArns: [props.interactions.tableArn],
    });
    props.mailStore.grantWriteDeadLetters(this.recorder);
    // The event source grants the DLQ's consume actions to the function's role.
    this.recorder.function.addEventSource(
      new SqsEventSource(props.deadLetterQueue, { batchSize: DEAD_LETTER_RECORDER_LIMITS.batchSize, reportBatchItemFailures: true }),
    );
  }

  /**
   * Lets `fn` redrive dead letters: sets its INBOUND_QUEUE_URL and DEAD_LETTER_BUCKET (here and only
   * here) and grants it {@link grantRedrive}. The function must already read and write the
   * interactions table.
   */
  bindRedrive(fn: IPostroomFunction): void {
    fn.addEnvironment(ENV.inboundQueueUrl, this.inboundQueue.queueUrl);
    addEnvironmentEntries(fn, this.mailStore.environment('deadLetterBucket'));
    this.grantRedrive(fn);
  }

  /**
   * Lets `grantee` send to the inbound queue (`sqs:SendMessage` only) and read the large bodies of
   * dead letters (`dead-letters/*`): what putting a dead letter back takes besides the table.
   */
  grantRedrive(grantee: IGrantable): Grant {
    return this.inboundQueue.grant(grantee, 'sqs:SendMessage').combine(this.mailStore.grantReadDeadLetters(grantee));
  }
}
