/**
 * Postroom's SES receipt rule as a Lambda-backed custom resource, split by owner (README "Domains
 * are data: who owns what"): CloudFormation owns the rule's shape (the S3 action that notifies the
 * topic, TLS, scanning); the domain registry owns its recipient list, which Lambdas bound with
 * {@link InboundReceiptRule.bindRecipientSync} set at runtime. So `cdk deploy` never resets domains
 * added through the API, which a `AWS::SES::ReceiptRule` with a `Recipients` property would do.
 */
import { CustomResource, Duration, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { TlsPolicy, type ReceiptRuleActionConfig } from 'aws-cdk-lib/aws-ses';
import { Construct, type IConstruct } from 'constructs';
import { ENV } from '../../contract/environment.ts';
import { PostroomFunction, handlerEntry, type IPostroomFunction } from './postroom-function.ts';
import { tableEnvironment } from './table-environment.ts';
import { postroomProvider } from './postroom-provider.ts';
import { receiptRuleArn } from './raw-mail-action.ts';

/** A receipt rule action that can be bound to any construct (RawMailAction): it makes that construct wait for its grants. */
export interface IRuleAction {
  bind(rule: IConstruct): ReceiptRuleActionConfig;
}

/** The rule's place, its one action, and where the domains are stored. */
export interface InboundReceiptRuleProps {
  /** The rule set the rule belongs to (it must exist before the rule: pass a token of the set when it is this stack's). */
  readonly ruleSetName: string;
  /** The rule's name, unique in its set. */
  readonly ruleName: string;
  /** The S3 action (bucket, prefix, topic); binding it adds SES's bucket grant and the dependency on the bucket policy. */
  readonly action: IRuleAction;
  /** The config table whose domains a new rule starts with. */
  readonly configTable: ITable;
  /** Whether senders must use TLS. @default TlsPolicy.OPTIONAL */
  readonly tlsPolicy?: TlsPolicy;
  /** Retention of the handler's and the provider's log groups. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The rule (lambdas/handlers/receipt-rule.ts through the Provider framework; 30 s): create and
 * update put its shape, spam and virus scanning always on; a new rule starts with the stored
 * domains, disabled while there are none (an empty list would match every recipient); delete
 * deletes it. The handler may describe, create, update and delete this one rule (the IAM
 * statement names the rule and its rule set, nothing else) and read the config table.
 */
export class InboundReceiptRule extends Construct {
  /** The function that puts and deletes the rule. */
  readonly handler: PostroomFunction;
  /** The custom resource; depend on it to act after the rule exists. */
  readonly resource: CustomResource;
  readonly ruleSetName: string;
  readonly ruleName: string;
  /** The rule's ARN as SES names it (also the `aws:SourceArn` of SES's grants). */
  readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: InboundReceiptRuleProps) {
    super(scope, id);
    const retention = props.logRetention ?? RetentionDays.THREE_MONTHS;
    this.ruleSetName = props.ruleSetName;
    this.ruleName = props.ruleName;
    this.ruleArn = receiptRuleArn(props.ruleSetName, props.ruleName);
    this.handler = new PostroomFunction(this, 'Handler', {
      entry: handlerEntry('receipt-rule'),
      description: 'Postroom SES receipt rule (deploy time)',
      timeout: Duration.seconds(30),
      logRetention: retention,
      environment: tableEnvironment({ config: props.configTable }),
    });
    this.grant(this.handler, ['ses:DescribeReceiptRule', 'ses:CreateReceiptRule', 'ses:UpdateReceiptRule', 'ses:DeleteReceiptRule']);
    props.configTable.grantReadData(this.handler);

    // Bound to this construct, so the action's bucket policy exists before the rule (SES checks it then).
    const { s3Action } = props.action.bind(this);
    if (!s3Action?.topicArn) throw new Error(`${this.node.path} needs an S3 action that notifies a topic`);
    const provider = postroomProvider(this, this.handler, retention, 'receipt rule');
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::PostroomReceiptRule',
      properties: {
        RuleSetName: props.ruleSetName,
        RuleName: props.ruleName,
        BucketName: s3Action.bucketName,
        ObjectKeyPrefix: s3Action.objectKeyPrefix ?? '',
        TopicArn: s3Action.topicArn,
        TlsPolicy: props.tlsPolicy ?? TlsPolicy.OPTIONAL,
        ScanEnabled: 'true',
      },
    });
  }

  /**
   * Lets `grantee` read the rule and replace its recipients (DescribeReceiptRule, UpdateReceiptRule
   * on this rule only), for {@link SesReceiptRecipients} in lambdas/adapters/aws/ses-receipt-rule.ts.
   */
  grantRecipientSync(grantee: IGrantable): Grant {
    return this.grant(grantee, ['ses:DescribeReceiptRule', 'ses:UpdateReceiptRule']);
  }

  /** Grants {@link grantRecipientSync} to `fn` and tells it which rule: RECEIPT_RULE_SET and RECEIPT_RULE. */
  bindRecipientSync(fn: IPostroomFunction): Grant {
    fn.addEnvironment(ENV.receiptRuleSet, this.ruleSetName);
    fn.addEnvironment(ENV.receiptRule, this.ruleName);
    return this.grantRecipientSync(fn);
  }

  /**
   * `actions` on any resource, the statement listing those actions only. Why not this rule's ARN:
   * the SES v1 receipt rule actions define no resource type in the Service Authorization Reference
   * (their `resources` list is empty, as for SetActiveReceiptRuleSet), so a policy naming the rule
   * would be denied at deploy time. The cdk-nag wildcard finding is acknowledged on the grantee's
   * policy with that reason.
   */
  private grant(grantee: IGrantable, actions: string[]): Grant {
    const grant = Grant.addToPrincipal({ grantee, actions, resourceArns: ['*'] });
    const principal = grantee.grantPrincipal as unknown as IConstruct;
    const policy = Construct.isConstruct(principal) ? principal.node.tryFindChild('DefaultPolicy') : undefined;
    if (policy) {
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${actions.join(', ')}: SES receipt rule actions support no resource-level permissions (no resource type in the Service Authorization Reference); the statement allows these actions only.`,
      });
    }
    return grant;
  }
}

