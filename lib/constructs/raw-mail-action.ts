/**
 * The receipt rule's S3 action, with SES's bucket permission scoped to that one rule. aws-cdk-lib's
 * `aws-ses-actions` S3 action grants SES of the whole account (`aws:SourceAccount` only), so any
 * receipt rule of the account could write into the mail bucket.
 */
import { Aws } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IReceiptRuleAction, ReceiptRuleActionConfig } from 'aws-cdk-lib/aws-ses';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';

/** The rule's ARN as SES names it in `aws:SourceArn` (SES developer guide, "Giving permissions to Amazon SES for email receiving"). */
export function receiptRuleArn(ruleSetName: string, ruleName: string): string {
  return `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:receipt-rule-set/${ruleSetName}:receipt-rule/${ruleName}`;
}

/** Where the action stores mail and whom it notifies, and which rule may do so. */
export interface RawMailActionProps {
  /** Where messages are stored; a bucket of this stack, whose policy gets SES's write permission. */
  readonly bucket: IBucket;
  /** Key prefix of stored messages, e.g. 'inbound/'. */
  readonly objectKeyPrefix: string;
  /** Notified of each stored message. */
  readonly topic: ITopic;
  /**
   * The ARN of the rule that carries this action (see {@link receiptRuleArn}). Built from names
   * chosen before the rule exists: the rule's own attributes would make the rule depend on the
   * bucket policy and the policy on the rule, a cycle.
   */
  readonly ruleArn: string;
}

/**
 * Stores each message under `objectKeyPrefix` and notifies `topic`. Binding it adds one bucket
 * policy statement: `s3:PutObject` on `<prefix>*` for ses.amazonaws.com with `aws:SourceAccount`
 * and `aws:SourceArn` (the rule), and makes the rule wait for the bucket policy, because SES
 * checks its permission when the rule is created.
 */
export class RawMailAction implements IReceiptRuleAction {
  constructor(private readonly props: RawMailActionProps) {}

  bind(rule: IConstruct): ReceiptRuleActionConfig {
    const { bucket, objectKeyPrefix, topic, ruleArn } = this.props;
    bucket.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(`${objectKeyPrefix}*`)],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': ruleArn } },
      }),
    );
    const policy = bucket.node.tryFindChild('Policy');
    if (!policy) throw new Error(`${bucket.node.path} has no bucket policy; an imported bucket needs SES's permission set by hand`);
    rule.node.addDependency(policy);
    return { s3Action: { bucketName: bucket.bucketName, objectKeyPrefix, topicArn: topic.topicArn } };
  }
}
