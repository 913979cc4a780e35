/**
 * Activation of an SES receipt rule set. CloudFormation can create rule sets but not activate
 * one, so an SDK call on deploy does it.
 */
import { Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IReceiptRuleSet } from 'aws-cdk-lib/aws-ses';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId, type AwsSdkCall } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeSdkCallProvider } from './acknowledgements.ts';
import { sdkCallProviderLogGroup } from './sdk-call-provider.ts';

/** The rule set to activate. */
export interface RuleSetActivationProps {
  /** The rule set to make the active one of this account and region. */
  readonly ruleSet: IReceiptRuleSet;
  /** Retention of the SDK-call provider's log group (shared by the stack). @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * Calls SES `SetActiveReceiptRuleSet` with the set's name on create and update, and without a
 * name (no active rule set) on delete, so removing the stack stops receiving before the rule set
 * is deleted. Why a custom resource: there is no CloudFormation property for the active rule set.
 * Its IAM action cannot be scoped to a resource (SES defines no resource type for it).
 */
export class RuleSetActivation extends Construct {
  constructor(scope: Construct, id: string, props: RuleSetActivationProps) {
    super(scope, id);
    const activate: AwsSdkCall = {
      service: 'SES',
      action: 'setActiveReceiptRuleSet',
      parameters: { RuleSetName: props.ruleSet.receiptRuleSetName },
      physicalResourceId: PhysicalResourceId.of(props.ruleSet.receiptRuleSetName),
    };
    const resource = new AwsCustomResource(this, 'Resource', {
      onCreate: activate,
      onUpdate: activate,
      onDelete: { service: 'SES', action: 'setActiveReceiptRuleSet', parameters: {} },
      installLatestAwsSdk: false,
      logGroup: sdkCallProviderLogGroup(this, props.logRetention),
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['ses:SetActiveReceiptRuleSet'], resources: ['*'] }),
      ]),
    });
    const policy = resource.node.tryFindChild('CustomResourcePolicy');
    if (!policy) throw new Error('AwsCustomResource has no CustomResourcePolicy child to acknowledge IAM5 on');
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ses:SetActiveReceiptRuleSet supports no resource-level permissions; the statement allows that one action only.',
    });
    acknowledgeSdkCallProvider(this);
  }
}
