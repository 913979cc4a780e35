/**
 * The CDK Provider framework in front of one Postroom custom-resource function, the same way for
 * every Postroom custom resource: a log group and a role of ours (no managed policy), and the two
 * cdk-nag findings the framework causes acknowledged on the one resource each.
 */
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import type { PostroomFunction } from './postroom-function.ts';

/**
 * A Provider for `handler` under `scope` (children `ProviderLogs`, `ProviderRole`, `Provider`),
 * whose framework function logs to a log group kept `retention` and retained on stack deletion.
 * Acknowledged: IAM5 on the framework role's invoke grant (it names the one function, any version)
 * and L1 on the framework function (its runtime is aws-cdk-lib's choice).
 * @param purpose what the resource does, for the role's description
 */
export function postroomProvider(scope: Construct, handler: PostroomFunction, retention: RetentionDays, purpose: string): Provider {
  const logGroup = new LogGroup(scope, 'ProviderLogs', { retention, removalPolicy: RemovalPolicy.RETAIN });
  const role = new Role(scope, 'ProviderRole', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `Execution role of the Postroom ${purpose} provider`,
  });
  logGroup.grantWrite(role);
  const provider = new Provider(scope, 'Provider', { onEventHandler: handler.function, frameworkOnEventRole: role, logGroup });
  const stack = Stack.of(scope);
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(handler.function.node.defaultChild as never)}.Arn>:*]`,
      reason: `The Provider framework invokes any version of the ${purpose} function; the grant names that one function.`,
    });
  }
  const framework = provider.node.tryFindChild('framework-onEvent');
  if (framework) {
    Validations.of(framework).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The Provider framework function and its runtime are created and upgraded by aws-cdk-lib, not by Postroom.',
    });
  }
  return provider;
}
