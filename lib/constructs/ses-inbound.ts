/**
 * SES receiving: the receipt rule that stores each message in the mail bucket and notifies an
 * encrypted SNS topic, and the inbound queue (with its DLQ) the routing Lambda consumes.
 */
import { Aws, Duration, Names } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal, type Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, type IReceiptRuleSet, type TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RAW_MAIL_PREFIX } from '../../contract/mail-bucket.ts';
import { InboundReceiptRule } from './inbound-receipt-rule.ts';
import type { IPostroomFunction } from './postroom-function.ts';
import { RuleSetActivation } from './rule-set-activation.ts';
import { RawMailAction, receiptRuleArn } from './raw-mail-action.ts';

/**
 * Lambda's guidance for SQS event sources: visibility timeout at least six times the function
 * timeout (plus the batching window), so a message is not redelivered while a throttled or
 * retried invocation still holds it.
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
/** Five attempts tell a poison message from a transient failure; then it waits in the DLQ. */
export const MAX_RECEIVE_COUNT = 5;
/** The longest SQS keeps a message: the time operators have to inspect and redrive the DLQ. */
export const DLQ_RETENTION = Duration.days(14);
/**
 * The name of the one receipt rule, unique within its rule set (whose name is unique per stack).
 * Not `postroom-inbound`, the name of the `AWS::SES::ReceiptRule` of earlier versions: on an
 * upgrade CloudFormation deletes that rule after creating this one, which must not be the same rule.
 */
export const RECEIPT_RULE_NAME = 'postroom-inbound-mail';
/** Appended to the stack-unique name of a rule in someone else's set, for the same reason. */
const SHARED_RULE_SUFFIX = '-mail';

/** What SES receives, where it stores it, and who consumes the queue (for its timeouts). */
export interface SesInboundProps {
  /**
   * The config table, whose stored domains a new receipt rule starts with. Later the domain
   * registry sets the rule's recipients ({@link SesInbound.bindRecipientSync}); deploys keep them.
   */
  readonly configTable: ITable;
  /** Where SES stores raw mail, under `inbound/`. It must be a bucket of this stack (SES's write permission goes into its policy). */
  readonly mailBucket: IBucket;
  /** The timeout of the queue's consumer, from which the visibility timeout is derived. */
  readonly consumerTimeout: Duration;
  /** The consumer's maximum batching window, added to the visibility timeout. @default Duration.seconds(0) */
  readonly consumerBatchingWindow?: Duration;
  /** Whether senders must use TLS. @default TlsPolicy.OPTIONAL */
  readonly tlsPolicy?: TlsPolicy;
  /** Retention of the receipt rule's and the rule set activation's log groups. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /**
   * The name of an existing rule set (usually the account's active one) to add the rule to; then
   * nothing is activated, so the admin's active set stays active.
   * @default - a rule set of this construct's own, activated on deploy
   */
  readonly existingRuleSetName?: string;
  /** Whether activating the own set may replace another active set; false fails the deployment instead. @default false */
  readonly replaceActiveRuleSet?: boolean;
}

/**
 * One receipt rule set with one rule (spam and virus scanning on, TLS per props, an S3 action
 * writing to `inbound/` and notifying the topic), activated on deploy (see the note). The rule is
 * a custom resource ({@link InboundReceiptRule}): CloudFormation owns its shape, the domain
 * registry its recipients, so a deploy never resets the domains added at runtime. The topic is
 * encrypted with a rotating KMS key that only SES and the account may use; SES's grants on the
 * bucket, topic and key name this account and this rule (`aws:SourceAccount`, `aws:SourceArn`,
 * the ARN built from the rule set's and rule's names, chosen here so no cycle arises). The topic
 * delivers raw notifications to an SQS-encrypted, TLS-only queue whose visibility timeout is
 * 6x the consumer's timeout plus its batching window, with a DLQ after 5 receives (kept 14 days).
 *
 * Note: an account has one active rule set per region; the activation refuses to replace another
 * set unless `replaceActiveRuleSet` allows it, and activates nothing when
 * `existingRuleSetName` names a set to add the rule to (the rule then gets a name unique per stack,
 * as other stacks may add theirs to the same set).
 */
export class SesInbound extends Construct {
  /** The inbound queue: one raw SES receipt notification per message. */
  readonly queue: IQueue;
  /** Where a notification goes after 5 failed receives, kept 14 days. */
  readonly deadLetterQueue: IQueue;
  /** The encrypted topic SES notifies; the queue is its one subscriber. */
  readonly topic: ITopic;
  /** The receipt rule set: this construct's own (activated on deploy) or the existing one named in props. */
  readonly ruleSet: IReceiptRuleSet;
  /** The one receipt rule: scanning, TLS and the S3 action (its recipients are the registry's). */
  readonly rule: InboundReceiptRule;

  constructor(scope: Construct, id: string, props: SesInboundProps) {
    super(scope, id);
    // Unique per stack and construct path, so two stacks can live side by side in one region.
    const uniqueName = Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    const shared = props.existingRuleSetName;
    const ruleSetName = shared ?? uniqueName;
    const ruleName =
      shared === undefined ? RECEIPT_RULE_NAME : `${Names.uniqueResourceName(this, { maxLength: 64 - SHARED_RULE_SUFFIX.length, separator: '-' })}${SHARED_RULE_SUFFIX}`;
    const ruleArn = receiptRuleArn(ruleSetName, ruleName);
    this.topic = this.notificationTopic(ruleArn);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DLQ_RETENTION,
    });
    const window = props.consumerBatchingWindow ?? Duration.seconds(0);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR + window.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    this.topic.addSubscription(new SqsSubscription(this.queue, { rawMessageDelivery: true }));

    this.ruleSet =
      shared === undefined
        ? new ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: ruleSetName })
        : ReceiptRuleSet.fromReceiptRuleSetName(this, 'RuleSet', shared);
    this.rule = new InboundReceiptRule(this, 'Rule', {
      ruleSetName: this.ruleSet.receiptRuleSetName,
      ruleName,
      action: new RawMailAction({ bucket: props.mailBucket, objectKeyPrefix: RAW_MAIL_PREFIX, topic: this.topic, ruleArn }),
      configTable: props.configTable,
      ...(props.tlsPolicy !== undefined && { tlsPolicy: props.tlsPolicy }),
      ...(props.logRetention !== undefined && { logRetention: props.logRetention }),
    });
    // SES checks that it may publish when the rule is created.
    const topicPolicy = this.topic.node.tryFindChild('Policy');
    if (topicPolicy) this.rule.resource.node.addDependency(topicPolicy);
    // Someone else's set: its activation is theirs to decide.
    if (shared !== undefined) return;
    const activation = new RuleSetActivation(this, 'Activation', {
      ruleSet: this.ruleSet,
      ...(props.replaceActiveRuleSet !== undefined && { replaceActive: props.replaceActiveRuleSet }),
      ...(props.logRetention !== undefined && { logRetention: props.logRetention }),
    });
    activation.node.addDependency(this.rule.resource);
  }

  /**
   * Lets `grantee` receive and delete inbound notifications. An SQS event source grants this
   * itself; this is for any other consumer.
   */
  grantConsume(grantee: IGrantable): Grant {
    return this.queue.grantConsumeMessages(grantee);
  }

  /** Lets `grantee` replace the receipt rule's recipients (describe and update this one rule). */
  grantRecipientSync(grantee: IGrantable): Grant {
    return this.rule.grantRecipientSync(grantee);
  }

  /** {@link grantRecipientSync} for `fn`, and its RECEIPT_RULE_SET and RECEIPT_RULE variables. */
  bindRecipientSync(fn: IPostroomFunction): Grant {
    return this.rule.bindRecipientSync(fn);
  }

  /** Lets `grantee` receive and delete messages of the dead-letter queue, e.g. to inspect them. */
  grantConsumeDeadLetters(grantee: IGrantable): Grant {
    return this.deadLetterQueue.grantConsumeMessages(grantee);
  }

  private notificationTopic(ruleArn: string): Topic {
    const ses = new ServicePrincipal('ses.amazonaws.com');
    const thisRule = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': ruleArn } };
    const key = new Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: 'Encrypts the SES receipt notifications of Postroom',
    });
    // SES publishes to an encrypted topic only when it may generate data keys with the topic's key.
    key.addToResourcePolicy(
      new PolicyStatement({ principals: [ses], actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: ['*'], conditions: thisRule }),
    );
    const topic = new Topic(this, 'Topic', { masterKey: key, enforceSSL: true });
    // The S3 action adds SES's bucket permission itself, but not the topic's.
    topic.addToResourcePolicy(
      new PolicyStatement({ principals: [ses], actions: ['sns:Publish'], resources: [topic.topicArn], conditions: thisRule }),
    );
    return topic;
  }
}
