/**
 * The queue a function works from, as the outbound sender and the SES feedback use it: encrypted
 * (SQS-managed) and TLS-only, a DLQ that keeps what exhausted its receives for 14 days, and an
 * alarm on the first message in that DLQ. Created as `Queue`, `DeadLetterQueue` and
 * `DeadLetterAlarm` in the caller's scope, so each construct's resources keep their logical ids.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface WorkQueueOptions {
  readonly visibilityTimeout: Duration;
  /** Receives before a message moves to the DLQ. */
  readonly maxReceiveCount: number;
  /** What the alarm means to an operator. */
  readonly alarmDescription: string;
}

export interface WorkQueue {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
}

/** The queue, its DLQ and the DLQ's alarm (>= 1 visible message, 5-minute maximum, missing data not breaching). */
export function workQueue(scope: Construct, options: WorkQueueOptions): WorkQueue {
  const secure = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;
  const deadLetterQueue = new Queue(scope, 'DeadLetterQueue', { ...secure, retentionPeriod: Duration.days(14) });
  const queue = new Queue(scope, 'Queue', {
    ...secure,
    visibilityTimeout: options.visibilityTimeout,
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: options.maxReceiveCount },
  });
  const deadLetterAlarm = new Alarm(scope, 'DeadLetterAlarm', {
    metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: options.alarmDescription,
  });
  return { queue, deadLetterQueue, deadLetterAlarm };
}
