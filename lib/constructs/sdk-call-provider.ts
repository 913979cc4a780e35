/**
 * The log group of the stack-wide Lambda that runs every `AwsCustomResource`. aws-cdk-lib creates
 * that Lambda once per stack from the first custom resource's props; without a log group of ours
 * it gets a CDK-managed one that keeps logs 731 days, whatever `postroom:logRetentionDays` says.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

/** The id of the stack-level log group, so every caller finds the same one. */
const LOG_GROUP_ID = 'SdkCallProviderLogs';

/**
 * The provider's log group for the stack of `scope`: created by the first caller with `retention`
 * (default RetentionDays.THREE_MONTHS, the stack's default), returned as is to later callers.
 * Pass it as `logGroup` to every `AwsCustomResource`.
 * @throws Error when a later caller asks for a different retention: one Lambda has one log group,
 *   so two constructs of one stack must agree on it
 */
export function sdkCallProviderLogGroup(scope: IConstruct, retention: RetentionDays = RetentionDays.THREE_MONTHS): ILogGroup {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(LOG_GROUP_ID);
  if (existing instanceof LogGroup) {
    const kept = (existing.node.defaultChild as { retentionInDays?: number } | undefined)?.retentionInDays;
    if (kept !== retention) {
      throw new Error(`the custom-resource provider's log group keeps ${kept} days; ${scope.node.path} asks for ${retention}`);
    }
    return existing;
  }
  return new LogGroup(stack, LOG_GROUP_ID, { retention, removalPolicy: RemovalPolicy.RETAIN });
}
