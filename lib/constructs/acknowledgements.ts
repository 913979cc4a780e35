/**
 * The two places where Postroom has to accept a cdk-nag finding instead of fixing it, each
 * acknowledged on the one construct that causes it, with the reason, never stack-wide.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct, type IConstruct } from 'constructs';

/**
 * Adds `statement` to the grantee's identity policy and acknowledges the AwsSolutions-IAM5 finding
 * of each wildcard resource in it (e.g. `<Bucket.Arn>/inbound/*`) on that policy only.
 * Why: S3 object keys are per message, so an object grant is necessarily a key-prefix wildcard;
 * the reason travels with the grant instead of being restated by every caller. Actions must be
 * listed without wildcards: those are never acknowledged here.
 */
export function grantObjectPrefix(grantee: IGrantable, statement: PolicyStatement, reason: string): void {
  if (statement.actions.some((a) => a.includes('*'))) {
    throw new Error(`grant actions must be explicit, got ${statement.actions.join(', ')}`);
  }
  const principal = grantee.grantPrincipal;
  const result = principal.addToPrincipalPolicy(statement);
  // A Role keeps added statements in its `DefaultPolicy` child, where cdk-nag reports them.
  const policy = Construct.isConstruct(principal) ? principal.node.tryFindChild('DefaultPolicy') : undefined;
  if (!result.statementAdded || !policy) return;
  const stack = Stack.of(policy);
  for (const resource of statement.resources) {
    const flat = flattenCfnReference(stack.resolve(resource));
    if (flat.includes('*')) Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
  }
}

/**
 * Acknowledges the findings of the stack-wide Lambda that runs every `AwsCustomResource` (one
 * singleton per stack, created by aws-cdk-lib, not configurable per resource): its role carries the
 * AWSLambdaBasicExecutionRole managed policy (IAM4) and its runtime is chosen by aws-cdk-lib (L1).
 * Call it after creating an AwsCustomResource; calling it again is harmless.
 */
export function acknowledgeSdkCallProvider(scope: IConstruct): void {
  const provider = Stack.of(scope).node.tryFindChild(`AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (!provider) throw new Error('no AwsCustomResource provider in this stack; create the custom resource first');
  const role = provider.node.tryFindChild('ServiceRole');
  if (role && !isAcknowledged(role, IAM4_BASIC_EXECUTION)) {
    Validations.of(role).acknowledge({
      id: IAM4_BASIC_EXECUTION,
      reason:
        'The AwsCustomResource provider is created by aws-cdk-lib with this managed policy; it only writes its own logs and runs at deploy time.',
    });
  }
  if (!isAcknowledged(provider, 'AwsSolutions-L1')) {
    Validations.of(provider).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The AwsCustomResource provider runtime is chosen and upgraded by aws-cdk-lib, not by Postroom.',
    });
  }
}

const IAM4_BASIC_EXECUTION =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

function isAcknowledged(scope: IConstruct, id: string): boolean {
  return scope.node.metadata.some(
    (m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && Object.keys(m.data ?? {}).some((k) => k.endsWith(id)),
  );
}
