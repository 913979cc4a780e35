/**
 * The scheduled domain check (issue 9 item 5): a Lambda on an EventBridge schedule that checks
 * every stored domain against DNS and SES, stores the statuses, publishes domain events to an
 * event bus, repairs the receipt rule's recipients, and alarms when a run fails.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, Schedule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../../contract/environment.ts';
import type { EmailDomains, IReceiptRecipients } from './email-domains.ts';
import { PostroomFunction, handlerEntry } from './postroom-function.ts';
import { tableEnvironment } from './table-environment.ts';

/**
 * Sizing: a run checks 4 domains at a time, each one SES call and about a dozen DNS lookups of up
 * to 2 s x 2 tries; 2 minutes covers the 100-domain ceiling. 256 MB for network-bound calls.
 */
export const DOMAIN_CHECK_LIMITS = { timeout: Duration.minutes(2), memorySize: 256 } as const;

/** Where the domains are, who gives the rights, where events go, and how often. */
export interface DomainCheckProps {
  /** The config table with the domains (read, and their statuses written). */
  readonly configTable: ITable;
  /** The receipt rule whose recipients the check repairs. */
  readonly receipt: IReceiptRecipients;
  /** The e-mail domains construct, which grants reading SES identities. */
  readonly domains: EmailDomains;
  /** The bus `Domain Verified` and `Domain Record Drift` go to. @default - the account's default event bus */
  readonly eventBus?: IEventBus;
  /** How often the check runs. @default Duration.minutes(15) */
  readonly interval?: Duration;
  /** Retention of the function's log group. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The check Lambda (lambdas/handlers/domain-check.ts; 2 min, 256 MB) on an EventBridge rule every
 * `interval`, without retries or a DLQ: a run is idempotent and the next one is the retry (the
 * asynchronous invocation's own retries are off too). It may read SES identities, read and write
 * the config table, read and update the receipt rule's recipients and put events on the bus. An
 * alarm fires when a run fails (the handler throws after a run with failures). Its environment is
 * set here and by the receipt rule's binding.
 */
export class DomainCheck extends Construct {
  readonly handler: PostroomFunction;
  /** The schedule that invokes it. */
  readonly rule: Rule;
  /** Fires on a failed run; the stack adds the operators' topic as its action. */
  readonly alarm: Alarm;
  readonly eventBus: IEventBus;

  constructor(scope: Construct, id: string, props: DomainCheckProps) {
    super(scope, id);
    this.eventBus = props.eventBus ?? EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.handler = new PostroomFunction(this, 'Handler', {
      entry: handlerEntry('domain-check'),
      description: 'Postroom domain check: DNS and SES status, verified and drift events',
      timeout: DOMAIN_CHECK_LIMITS.timeout,
      memorySize: DOMAIN_CHECK_LIMITS.memorySize,
      ...(props.logRetention !== undefined && { logRetention: props.logRetention }),
      environment: {
        ...tableEnvironment({ config: props.configTable }),
        [ENV.eventBus]: this.eventBus.eventBusName,
      },
    });
    this.handler.function.configureAsyncInvoke({ retryAttempts: 0 });
    props.configTable.grantReadWriteData(this.handler);
    props.domains.grantIdentityRead(this.handler);
    props.receipt.bindRecipientSync(this.handler);
    this.eventBus.grantPutEventsTo(this.handler);
    this.rule = new Rule(this, 'Schedule', {
      description: 'Runs the Postroom domain check',
      schedule: Schedule.rate(props.interval ?? Duration.minutes(15)),
      targets: [new LambdaFunction(this.handler.function, { retryAttempts: 0 })],
    });
    this.alarm = new Alarm(this, 'Failures', {
      alarmDescription: 'A Postroom domain check run failed for at least one domain (see its log)',
      metric: this.handler.function.metricErrors({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
