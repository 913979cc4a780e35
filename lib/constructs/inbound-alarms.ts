/**
 * CloudWatch alarms on the inbound path (ARCHITECTURE.md decision 11: whatever exhausts its retries
 * is alarmed), with an optional SNS topic that notifies operators.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Every alarm looks at 5-minute periods: SQS reports its metrics once a minute at best. */
const PERIOD = Duration.minutes(5);
/** How long a message may wait in the inbound queue before someone should look. */
export const DEFAULT_OLDEST_MESSAGE_AGE = Duration.minutes(15);
/**
 * Periods in a row in which the DLQ must have held a visible message before its depth alarm fires:
 * the recorder drains it within seconds, so 15 minutes of it means the recorder itself is failing.
 * Why the periods' Maximum, not their Minimum: a message the recorder keeps failing is invisible
 * between its attempts, so the depth keeps dropping to 0 while the problem persists.
 */
const DLQ_BACKLOG_PERIODS = 3;

/** What the alarms watch and where they notify. */
export interface InboundAlarmsProps {
  /** The inbound queue, for the age of its oldest message. */
  readonly inboundQueue: IQueue;
  /** The inbound queue's DLQ, for what it receives and holds. */
  readonly deadLetterQueue: IQueue;
  /** The routing Lambda, for its errors and throttles. */
  readonly routingFunction: IFunction;
  /** The dead-letter recorder on the DLQ, for its errors. */
  readonly recorderFunction: IFunction;
  /** The age of the oldest inbound message that alarms. @default Duration.minutes(15) */
  readonly oldestMessageAge?: Duration;
  /**
   * Creates an encrypted topic with this e-mail address subscribed. Not with `alarmTopic`.
   * @default - no topic is created; without `alarmTopic` either, the alarms have no actions
   */
  readonly alarmEmail?: string;
  /**
   * An existing topic to notify. If it is KMS-encrypted, its key must let cloudwatch.amazonaws.com
   * use it (kms:GenerateDataKey*, kms:Decrypt). Not with `alarmEmail`.
   * @default - the topic created for `alarmEmail`, or no alarm actions without it
   */
  readonly alarmTopic?: ITopic;
}

/**
 * Six alarms, each on 5-minute periods, missing data treated as not breaching (an idle queue or
 * function reports nothing, and that is healthy):
 * - `DeadLettered`: the DLQ received a message (a record exhausted its retries). Why not the DLQ's
 *   `NumberOfMessagesSent`: SQS does not count messages its redrive policy moves; and not its depth
 *   alone: the recorder empties it within seconds. Only the recorder receives from the DLQ.
 * - `DeadLetterBacklog`: the DLQ depth was above 0 in three 5-minute periods in a row (the recorder
 *   is not draining it).
 * - `RoutingErrors`, `RoutingThrottles`: the routing Lambda's `Errors` (a whole batch failed) and
 *   `Throttles` above 0.
 * - `InboundAge`: the oldest inbound message is older than `oldestMessageAge` (default 15 min).
 * - `RecorderErrors`: the recorder's `Errors` above 0.
 * With `alarmEmail` or `alarmTopic`, every alarm notifies the topic when it fires; without either
 * the alarms exist without actions.
 */
export class InboundAlarms extends Construct {
  /** The six alarms, in the order listed above. */
  readonly alarms: readonly Alarm[];
  /** Where the alarms notify, if anywhere. */
  readonly topic?: ITopic;

  constructor(scope: Construct, id: string, props: InboundAlarmsProps) {
    super(scope, id);
    if (props.alarmEmail !== undefined && props.alarmTopic !== undefined) {
      throw new Error('InboundAlarms: give alarmEmail or alarmTopic, not both');
    }
    const age = props.oldestMessageAge ?? DEFAULT_OLDEST_MESSAGE_AGE;
    const atLeastOne = (name: string, description: string, metric: IMetric, evaluationPeriods = 1) =>
      this.alarm(name, description, metric, 0, evaluationPeriods);
    this.alarms = [
      atLeastOne(
        'DeadLettered',
        'An inbound message exhausted its retries: see `postroom dead-letter list`, fix the cause, then redrive it.',
        props.deadLetterQueue.metricNumberOfMessagesReceived({ period: PERIOD, statistic: 'Sum' }),
      ),
      atLeastOne(
        'DeadLetterBacklog',
        'Messages wait in the inbound DLQ: the dead-letter recorder is not recording them (see its logs).',
        props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        DLQ_BACKLOG_PERIODS,
      ),
      atLeastOne('RoutingErrors', 'The routing Lambda failed a whole batch (see its logs).', props.routingFunction.metricErrors({ period: PERIOD, statistic: 'Sum' })),
      atLeastOne('RoutingThrottles', 'The routing Lambda was throttled: inbound mail is delayed.', props.routingFunction.metricThrottles({ period: PERIOD, statistic: 'Sum' })),
      this.alarm(
        'InboundAge',
        `An inbound message has waited more than ${age.toHumanString()}: routing is stuck or far behind.`,
        props.inboundQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' }),
        age.toSeconds(),
        1,
      ),
      atLeastOne('RecorderErrors', 'The dead-letter recorder failed (see its logs); dead letters wait in the DLQ.', props.recorderFunction.metricErrors({ period: PERIOD, statistic: 'Sum' })),
    ];
    const topic = props.alarmTopic ?? (props.alarmEmail !== undefined ? this.emailTopic(props.alarmEmail) : undefined);
    if (topic) {
      this.topic = topic;
      for (const alarm of this.alarms) alarm.addAlarmAction(new SnsAction(topic));
    }
  }

  private alarm(id: string, description: string, metric: IMetric, threshold: number, evaluationPeriods: number): Alarm {
    return new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods,
      datapointsToAlarm: evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
  }

  /** A topic encrypted with its own rotating key that CloudWatch (of this account) may use, TLS only. */
  private emailTopic(email: string): Topic {
    const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const sameAccount = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };
    const key = new Key(this, 'TopicKey', { enableKeyRotation: true, description: 'Encrypts the Postroom alarm notifications' });
    // CloudWatch publishes to an encrypted topic only when it may generate data keys with the topic's key.
    key.addToResourcePolicy(
      new PolicyStatement({ principals: [cloudwatch], actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: ['*'], conditions: sameAccount }),
    );
    const topic = new Topic(this, 'Topic', { masterKey: key, enforceSSL: true, displayName: 'Postroom alarms' });
    topic.addToResourcePolicy(
      new PolicyStatement({ principals: [cloudwatch], actions: ['sns:Publish'], resources: [topic.topicArn], conditions: sameAccount }),
    );
    topic.addSubscription(new EmailSubscription(email));
    return topic;
  }
}
