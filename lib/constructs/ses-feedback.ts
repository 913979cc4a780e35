/**
 * The SES path's feedback (issue 11 item 4): Postroom's configuration set publishes bounces,
 * complaints, deliveries, delays, rejects and rendering failures to the default event bus (the
 * only bus SES publishes to); a rule routes those of this set to the feedback queue, and the
 * feedback Lambda (lambdas/handlers/ses-feedback.ts) writes them onto the outbox records and
 * suppresses hard-bounced and complaining recipients.
 */
import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ConfigurationSetEventDestination, EmailSendingEvent, EventDestination, type IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SES_CONFIGURATION_SET_TAG, SES_FEEDBACK_DETAIL_TYPES } from '../../contract/ses-feedback.ts';
import { PostroomFunction, handlerEntry } from './postroom-function.ts';
import { tableEnvironment } from './table-environment.ts';
import { workQueue } from './work-queue.ts';

/**
 * Sizing of the feedback path: an event is one put and one or two item updates. The queue's
 * visibility timeout is six times the function's, as Lambda advises for SQS event sources; five
 * receives before the DLQ ride out a short DynamoDB outage.
 */
export const SES_FEEDBACK_FUNCTION_LIMITS = {
  timeout: Duration.seconds(30),
  memorySize: 256,
  batchSize: 10,
  visibilityTimeout: Duration.seconds(180),
  maxReceiveCount: 5,
} as const;

/** The SES events the configuration set publishes: exactly the detail-types the rule routes. */
const PUBLISHED_EVENTS = [
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.DELIVERY,
  EmailSendingEvent.DELIVERY_DELAY,
  EmailSendingEvent.REJECT,
  EmailSendingEvent.RENDERING_FAILURE,
];

export interface SesFeedbackProps {
  /** Postroom's configuration set (EmailDomains.configurationSet): every send and every domain identity uses it. */
  readonly configurationSet: IConfigurationSet;
  /** The interactions table: outbox records `OUT#` and suppressions `SUP#`. */
  readonly interactions: ITable;
  /** Retention of the function's log group. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The event destination (default bus), the rule (source `aws.ses`, the six detail-types, this
 * set's events only), the feedback queue (SQS-managed encryption, TLS only) with its DLQ (14 days)
 * and an alarm on it, and the feedback function (30 s, batches of 10, partial batch responses),
 * which may get, put and update single items of the interactions table and consume the queue.
 */
export class SesFeedback extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly handler: PostroomFunction;
  readonly rule: Rule;
  /** Fires when a feedback event could not be applied (a message in the DLQ). */
  readonly deadLetterAlarm: Alarm;
  /** The set's name, for the sender's SendEmail (ConfigurationSetName). */
  readonly configurationSetName: string;

  constructor(scope: Construct, id: string, props: SesFeedbackProps) {
    super(scope, id);
    const L = SES_FEEDBACK_FUNCTION_LIMITS;
    this.configurationSetName = props.configurationSet.configurationSetName;
    const bus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    new ConfigurationSetEventDestination(this, 'EventDestination', {
      configurationSet: props.configurationSet,
      destination: EventDestination.eventBus(bus),
      events: PUBLISHED_EVENTS,
    });

    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue, deadLetterAlarm: this.deadLetterAlarm } = workQueue(this, {
      visibilityTimeout: L.visibilityTimeout,
      maxReceiveCount: L.maxReceiveCount,
      alarmDescription: 'Postroom: SES feedback events that could not be applied are waiting in the feedback DLQ',
    }));
    this.rule = new Rule(this, 'Rule', {
      description: 'Postroom: SES sending events of its configuration set -> feedback queue',
      eventBus: bus,
      eventPattern: {
        source: ['aws.ses'],
        detailType: [...SES_FEEDBACK_DETAIL_TYPES],
        detail: { mail: { tags: { [SES_CONFIGURATION_SET_TAG]: [this.configurationSetName] } } },
      },
      targets: [new SqsQueue(this.queue)],
    });

    this.handler = new PostroomFunction(this, 'Handler', {
      entry: handlerEntry('ses-feedback'),
      description: 'Postroom SES feedback: sending events -> outbox delivery events and suppressions',
      timeout: L.timeout,
      memorySize: L.memorySize,
      ...(props.logRetention !== undefined && { logRetention: props.logRetention }),
      environment: tableEnvironment({ interactions: props.interactions }),
    });
    // The table itself only: Table.grant would add `index/*`, which the feedback never reads.
    Grant.addToPrincipal({
      grantee: this.handler,
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resourceArns: [props.interactions.tableArn],
    });
    this.handler.function.addEventSource(new SqsEventSource(this.queue, { batchSize: L.batchSize, reportBatchItemFailures: true }));
  }
}
