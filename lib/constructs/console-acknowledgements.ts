/**
 * The cdk-nag findings of aws-cdk-lib's BucketDeployment, which uploads the console: its handler is
 * one Lambda per stack that aws-cdk-lib creates and configures (runtime, managed policy, the
 * statements of its role), so its findings are accepted on that Lambda and its role, one finding
 * per acknowledgement with its reason, never stack-wide.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { BucketDeployment } from 'aws-cdk-lib/aws-s3-deployment';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct, type IConstruct } from 'constructs';

/** The object actions aws-cdk-lib's bucket grants use, as cdk-nag names them, and why each is accepted. */
const ACTION_REASONS: Readonly<Record<string, string>> = {
  's3:GetBucket*': 'aws-cdk-lib grants the BucketDeployment handler bucket reads as s3:GetBucket* to copy the console assets; the action list is fixed by aws-cdk-lib.',
  's3:GetObject*': 'aws-cdk-lib grants the BucketDeployment handler object reads as s3:GetObject* (asset zip, existing console files); the action list is fixed by aws-cdk-lib.',
  's3:List*': 'aws-cdk-lib grants the BucketDeployment handler s3:List* to compare and prune the console files; the action list is fixed by aws-cdk-lib.',
  's3:Abort*': 'aws-cdk-lib grants the BucketDeployment handler s3:Abort* to abort failed multipart uploads of console files; the action list is fixed by aws-cdk-lib.',
  's3:DeleteObject*': 'aws-cdk-lib grants the BucketDeployment handler s3:DeleteObject* to prune console files no longer built; the action list is fixed by aws-cdk-lib.',
};

/**
 * Acknowledges the BucketDeployment handler's findings: the basic execution managed policy (IAM4),
 * its runtime (L1), the wildcard actions of {@link ACTION_REASONS} and, found in its role policy,
 * each wildcard resource: the console bucket's objects, the CDK asset bucket's objects, and `*`
 * of the CloudFront invalidation. Call after creating the deployment (and after any later one).
 */
export function acknowledgeBucketDeployment(deployment: BucketDeployment): void {
  const role = deployment.handlerRole;
  const handler = Stack.of(deployment).node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler || !Construct.isConstruct(role)) throw new Error('no BucketDeployment handler in this stack');
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'The BucketDeployment handler runtime (Python, with the AWS CLI layer) is chosen and upgraded by aws-cdk-lib, not by Postroom.',
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'The BucketDeployment handler role is created by aws-cdk-lib with this managed policy; it only writes its own logs and runs at deploy time.',
  });
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!policy) return;
  for (const [action, reason] of Object.entries(ACTION_REASONS)) acknowledge(policy, `AwsSolutions-IAM5[Action::${action}]`, reason);
  for (const resource of wildcardResources(policy)) {
    const reason =
      resource === '*'
        ? 'aws-cdk-lib grants the BucketDeployment handler CloudFront invalidations on * to invalidate the console distribution after an upload.'
        : resource.includes('assets')
          ? 'The BucketDeployment handler reads the console zip from the CDK asset bucket, whose object keys are content hashes known only at synth.'
          : 'The BucketDeployment handler replaces the console files, which are every object of the console bucket (nothing else is stored there).';
    acknowledge(policy, `AwsSolutions-IAM5[Resource::${resource}]`, reason);
  }
}

/** The resources with a wildcard in `policy`'s statements, as cdk-nag prints them. */
function wildcardResources(policy: IConstruct): string[] {
  const stack = Stack.of(policy);
  const document = stack.resolve((policy as unknown as { document: unknown }).document) as { Statement?: { Resource?: unknown }[] };
  const resources = (document.Statement ?? []).flatMap((s) => [s.Resource ?? []].flat());
  return [...new Set(resources.map((r) => flattenCfnReference(r)).filter((r) => r.includes('*')))];
}

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  const done = scope.node.metadata.some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && id in (m.data ?? {}));
  if (!done) Validations.of(scope).acknowledge({ id, reason });
}
