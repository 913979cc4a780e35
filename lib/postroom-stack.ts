/**
 * The Postroom stack: wires the capability constructs together. No resource is defined here
 * (STYLE habit 1); every decision lives in the construct that owns it.
 */
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Construct } from 'constructs';
import { AdminApi } from './constructs/admin-api.ts';
import { DeadLetters } from './constructs/dead-letters.ts';
import { DeclaredDomains } from './constructs/declared-domains.ts';
import { DomainCheck } from './constructs/domain-check.ts';
import { EmailDomains } from './constructs/email-domains.ts';
import { SesFeedback } from './constructs/ses-feedback.ts';
import { InboundAlarms } from './constructs/inbound-alarms.ts';
import { InteractionTables } from './constructs/interaction-tables.ts';
import { MailStore } from './constructs/mail-store.ts';
import { MailboxPolling } from './constructs/mailbox-polling.ts';
import { Outbound } from './constructs/outbound.ts';
import { PostroomConsole } from './constructs/postroom-console.ts';
import { Reconciler } from './constructs/reconciler.ts';
import { ROUTING_LIMITS, Routing } from './constructs/routing.ts';
import { SesInbound } from './constructs/ses-inbound.ts';
import type { PostroomStackProps } from './postroom-stack-props.ts';
import { receivingRegionOf } from './receiving-region.ts';

/** The stack output the `postroom` CLI reads to find the API. Do not rename. */
export const API_URL_OUTPUT = 'ApiUrl';

/**
 * SES inbound -> S3 + SNS -> SQS -> routing Lambda -> DynamoDB, plus the IAM-authorized admin API,
 * the reconciler that re-enqueues stored mail without a finished ingest record (every 5 minutes),
 * the dead-letter recorder on the inbound DLQ (redriven through the API), the inbound alarms, and
 * the e-mail domains: the configuration set, the declared domains (created on deploy through the
 * registry), the domain management rights of the admin API Lambda and the scheduled domain check,
 * and mailbox polling (a schedule every minute, a FIFO poll-job queue, dispatcher and poller).
 * The console: its Cognito user pool, its assets on CloudFront and the console API on the same origin.
 * Outputs: `ApiUrl`, `MailBucketName`, `InboundQueueUrl`, `DeadLetterQueueUrl`, `ReceiptRuleSetName`,
 * `ConsoleUrl`, `UserPoolId`, `HostedUiUrl`.
 * Throws a ContextError when the stack's region is not an SES receiving region or is not known at synth.
 */
export class PostroomStack extends Stack {
  readonly mailStore: MailStore;
  readonly tables: InteractionTables;
  readonly inbound: SesInbound;
  readonly routing: Routing;
  readonly reconciler: Reconciler;
  readonly adminApi: AdminApi;
  readonly deadLetters: DeadLetters;
  readonly alarms: InboundAlarms;
  readonly emailDomains: EmailDomains;
  readonly declaredDomains: DeclaredDomains;
  readonly domainCheck: DomainCheck;
  readonly mailboxPolling: MailboxPolling;
  /** The outbound queue and the sender (issue 11). */
  readonly outbound: Outbound;
  readonly sesFeedback: SesFeedback;
  /** The console (issue 12): who signs in, where it is served, and its API. */
  readonly console: PostroomConsole;

  constructor(scope: Construct, id: string, props: PostroomStackProps) {
    super(scope, id, props);
    // Before any resource: a stack SES cannot receive in is refused at synth (ContextError).
    receivingRegionOf(this.region);
    const defaultQueueId = props.defaultQueueId ?? 'default';
    const logRetention = props.logRetention !== undefined ? { logRetention: props.logRetention } : {};
    const returnPath = props.returnPathDomain !== undefined ? { returnPathDomain: props.returnPathDomain } : {};

    this.mailStore = new MailStore(this, 'MailStore');
    this.tables = new InteractionTables(this, 'Tables', {
      defaultQueueId,
      ...(props.tableDeletionProtection !== undefined && { deletionProtection: props.tableDeletionProtection }),
      ...logRetention,
    });
    this.inbound = new SesInbound(this, 'Inbound', {
      configTable: this.tables.config,
      mailBucket: this.mailStore.bucket,
      ...(props.receiptRuleSet !== undefined && { existingRuleSetName: props.receiptRuleSet }),
      ...(props.replaceActiveRuleSet !== undefined && { replaceActiveRuleSet: props.replaceActiveRuleSet }),
      consumerTimeout: ROUTING_LIMITS.timeout,
      consumerBatchingWindow: ROUTING_LIMITS.maxBatchingWindow,
      ...(props.inboundTlsPolicy !== undefined && { tlsPolicy: props.inboundTlsPolicy }),
      ...logRetention,
    });
    this.routing = new Routing(this, 'Routing', {
      queue: this.inbound.queue,
      mailStore: this.mailStore,
      tables: this.tables,
      defaultQueueId,
      defaultPriority: props.defaultPriority ?? 0,
      ...(props.threadWindowDays !== undefined && { threadWindowDays: props.threadWindowDays }),
      ...(props.languages !== undefined && { languages: props.languages }),
      ...returnPath,
      ...logRetention,
    });
    this.reconciler = new Reconciler(this, 'Reconciler', {
      mailStore: this.mailStore,
      tables: this.tables,
      queue: this.inbound.queue,
      ...logRetention,
    });
    this.adminApi = new AdminApi(this, 'AdminApi', { tables: this.tables, mailStore: this.mailStore, ...logRetention });
    this.deadLetters = new DeadLetters(this, 'DeadLetters', {
      deadLetterQueue: this.inbound.deadLetterQueue,
      inboundQueue: this.inbound.queue,
      interactions: this.tables.interactions,
      mailStore: this.mailStore,
      ...logRetention,
    });
    this.deadLetters.bindRedrive(this.adminApi.handler);
    // The flow editor's dry run decides as routing does, with routing's settings (served by the admin function).
    this.routing.bindDryRun(this.adminApi.flowHandler);
    this.emailDomains = new EmailDomains(this, 'Domains', {
      configTable: this.tables.config,
      receipt: this.inbound,
      ...(props.maxDomains !== undefined && { maxDomains: props.maxDomains }),
    });
    this.emailDomains.bindDomainManagement(this.adminApi.flowHandler);
    // The SES path's events (bounces, complaints, deliveries) of the set every identity uses.
    this.sesFeedback = new SesFeedback(this, 'SesFeedback', {
      configurationSet: this.emailDomains.configurationSet,
      interactions: this.tables.interactions,
      ...logRetention,
    });
    // Always there, also with none declared: a deploy that declares none removes those declared before.
    this.declaredDomains = new DeclaredDomains(this, 'DeclaredDomains', {
      domains: props.domains ?? [],
      emailDomains: this.emailDomains,
      receiptRule: this.inbound.rule.resource,
      ...logRetention,
    });
    this.domainCheck = new DomainCheck(this, 'DomainCheck', {
      configTable: this.tables.config,
      receipt: this.inbound,
      domains: this.emailDomains,
      ...(props.domainCheckMinutes !== undefined && { interval: Duration.minutes(props.domainCheckMinutes) }),
      ...logRetention,
    });
    this.mailboxPolling = new MailboxPolling(this, 'MailboxPolling', {
      configTable: this.tables.config,
      interactionsTable: this.tables.interactions,
      mailStore: this.mailStore,
      inboundQueue: this.inbound.queue,
      ...logRetention,
    });
    // Saving a server polls it at once (SRV-6: in use within 30 s); the registry's onSaved hook.
    this.mailboxPolling.grantPollNow(this.adminApi.flowHandler);
    this.outbound = new Outbound(this, 'Outbound', {
      tables: this.tables,
      mailStore: this.mailStore,
      configurationSetName: this.emailDomains.configurationSet.configurationSetName,
      ...returnPath,
      ...logRetention,
    });
    // Acknowledgements, the API's sends and the reconciler's outbox sweep announce records to the sender.
    this.outbound.bindNotify(this.routing.handler);
    this.outbound.bindSendApi(this.adminApi.handler);
    this.outbound.bindNotify(this.reconciler.handler);
    // Saving an SMTP server that was in error resumes its held sends (OUT-5).
    this.outbound.bindResumeHeld(this.adminApi.flowHandler);
    // The sweep lists stale records (byBucket) and marks expired leases uncertain.
    this.tables.grantInteractionWrite(this.reconciler.handler);
    this.alarms = new InboundAlarms(this, 'Alarms', {
      inboundQueue: this.inbound.queue,
      deadLetterQueue: this.inbound.deadLetterQueue,
      routingFunction: this.routing.handler.function,
      recorderFunction: this.deadLetters.recorder.function,
      ...(props.inboundAgeAlarmMinutes !== undefined && { oldestMessageAge: Duration.minutes(props.inboundAgeAlarmMinutes) }),
      ...(props.alarmEmail !== undefined && { alarmEmail: props.alarmEmail }),
      ...(props.alarmTopicArn !== undefined && { alarmTopic: Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn) }),
    });

    this.console = new PostroomConsole(this, 'Console', {
      api: { handler: this.adminApi.handler, flowHandler: this.adminApi.flowHandler },
      mailStore: this.mailStore,
      ...(props.authDomainPrefix !== undefined && { authDomainPrefix: props.authDomainPrefix }),
      ...(props.consoleDomain !== undefined && { customDomain: props.consoleDomain }),
      ...(props.consoleAssetsPath !== undefined && { assetsPath: props.consoleAssetsPath }),
      ...logRetention,
    });

    if (this.alarms.topic) {
      const notify = new SnsAction(this.alarms.topic);
      this.domainCheck.alarm.addAlarmAction(notify);
      for (const alarm of this.mailboxPolling.alarms.alarms) alarm.addAlarmAction(notify);
      this.outbound.deadLetterAlarm.addAlarmAction(notify);
      this.sesFeedback.deadLetterAlarm.addAlarmAction(notify);
    }

    new CfnOutput(this, API_URL_OUTPUT, { value: this.adminApi.url, description: 'Postroom API (IAM auth)' });
    new CfnOutput(this, 'MailBucketName', { value: this.mailStore.bucket.bucketName });
    new CfnOutput(this, 'InboundQueueUrl', { value: this.inbound.queue.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.inbound.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'ReceiptRuleSetName', { value: this.inbound.ruleSet.receiptRuleSetName });
    new CfnOutput(this, 'ConsoleUrl', { value: this.console.hosting.url, description: 'Postroom console' });
    new CfnOutput(this, 'UserPoolId', { value: this.console.identity.userPool.userPoolId, description: 'Console users (groups admin, supervisor, agent)' });
    new CfnOutput(this, 'HostedUiUrl', { value: this.console.identity.hostedUiUrl, description: 'Console sign-in (Cognito hosted UI)' });
  }
}
