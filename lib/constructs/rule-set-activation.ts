/**
 * Activation of an SES receipt rule set. CloudFormation can create rule sets but not activate
 * one, so a custom resource does it on deploy, after checking that it replaces no one else's set.
 */
import { CustomResource, Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IReceiptRuleSet } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { PostroomFunction, handlerEntry } from './postroom-function.ts';
import { postroomProvider } from './postroom-provider.ts';

/** The rule set to activate, and whether it may replace another active set. */
export interface RuleSetActivationProps {
  /** The rule set to make the active one of this account and region. */
  readonly ruleSet: IReceiptRuleSet;
  /** Whether another active rule set may be replaced; when false the deployment fails instead. @default false */
  readonly replaceActive?: boolean;
  /** Retention of the activation's log groups (its function and the provider's). @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * A Lambda-backed custom resource (lambdas/handlers/rule-set-activation.ts, through the CDK Provider
 * framework). On create and update it reads the active rule set (DescribeActiveReceiptRuleSet) and
 * activates ours when none is active, ours already is, or `replaceActive` allows replacing another;
 * otherwise the deployment fails with a message naming the active set and the two choices
 * (`postroom:receiptRuleSet`, `postroom:replaceActiveRuleSet`). On delete it deactivates ours only
 * while it is still the active set. Why a custom resource: there is no CloudFormation property for
 * the active rule set. Its two IAM actions cannot be scoped to a resource (SES defines no resource
 * type for them).
 */
export class RuleSetActivation extends Construct {
  /** The function that checks and activates. */
  readonly handler: PostroomFunction;

  constructor(scope: Construct, id: string, props: RuleSetActivationProps) {
    super(scope, id);
    const retention = props.logRetention ?? RetentionDays.THREE_MONTHS;
    this.handler = new PostroomFunction(this, 'Handler', {
      entry: handlerEntry('rule-set-activation'),
      description: 'Postroom SES receipt rule set activation (deploy time)',
      timeout: Duration.seconds(30),
      logRetention: retention,
    });
    this.handler.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ses:DescribeActiveReceiptRuleSet', 'ses:SetActiveReceiptRuleSet'], resources: ['*'] }),
    );
    this.handler.acknowledgePolicyFinding(
      'AwsSolutions-IAM5[Resource::*]',
      'ses:DescribeActiveReceiptRuleSet and ses:SetActiveReceiptRuleSet support no resource-level permissions; the statement allows those two actions only.',
    );

    const provider = postroomProvider(this, this.handler, retention, 'rule set activation');
    new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::PostroomRuleSetActivation',
      properties: { RuleSetName: props.ruleSet.receiptRuleSetName, ReplaceActive: String(props.replaceActive ?? false) },
    });
  }
}
