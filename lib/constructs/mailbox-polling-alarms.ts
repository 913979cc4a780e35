/**
 * The alarms of mailbox polling (issue 10 item 6, "never silent"): a server failing, a poll job or
 * tick that exhausted its retries, and a dispatcher that fails (no dispatch means no poll at all).
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAIL_POLLING_METRICS, POSTROOM_METRICS_NAMESPACE } from '../../contract/mail-polling.ts';

/** Every alarm looks at 5-minute periods: the failing gauge has a datapoint a minute, SQS metrics at best one. */
const PERIOD = Duration.minutes(5);

/** What the alarms watch. */
export interface MailboxPollingAlarmsProps {
  readonly jobDeadLetterQueue: IQueue;
  readonly tickDeadLetterQueue: IQueue;
  readonly dispatcher: IFunction;
}

/**
 * Four alarms, missing data not breaching (an idle deployment reports nothing, and that is healthy):
 * - `ServersFailing`: the dispatcher's MailServersFailing gauge reached 1 (a server needs consent,
 *   stalls, or failed FAILING_THRESHOLD polls in a row); `postroom server status` says which and why.
 * - `JobsDeadLettered`, `TicksDeadLettered`: a poll job or a tick is in its DLQ (a job fails only
 *   when the registry or storage fails, not the mail server).
 * - `DispatcherErrors`: the dispatcher failed; while it does, no mailbox is polled.
 * The stack adds the operators' topic as their action.
 */
export class MailboxPollingAlarms extends Construct {
  /** The four alarms, in the order listed above. */
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: MailboxPollingAlarmsProps) {
    super(scope, id);
    const failing = new Metric({
      namespace: POSTROOM_METRICS_NAMESPACE,
      metricName: MAIL_POLLING_METRICS.serversFailing,
      dimensionsMap: { Service: MAIL_POLLING_METRICS.dispatcherService },
      statistic: 'Maximum',
      period: PERIOD,
    });
    this.alarms = [
      this.alarm('ServersFailing', 'A customer mailbox is failing, stalled or needs re-authentication: see `postroom server status`.', failing),
      this.alarm(
        'JobsDeadLettered',
        'A mailbox poll job exhausted its retries (the registry, storage or queue failed): see the poller log.',
        props.jobDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      ),
      this.alarm(
        'TicksDeadLettered',
        'A POP3 poll tick exhausted its retries: the dispatcher fails on ticks (see its log).',
        props.tickDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      ),
      this.alarm('DispatcherErrors', 'The mailbox dispatcher failed: no mailbox is polled while it does (see its log).', props.dispatcher.metricErrors({ period: PERIOD, statistic: 'Sum' })),
    ];
  }

  /** An alarm at 1 or more in one period. */
  private alarm(id: string, description: string, metric: IMetric): Alarm {
    return new Alarm(this, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
  }
}
