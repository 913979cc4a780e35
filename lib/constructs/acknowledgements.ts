/**
 * The two cdk-nag findings that more than one construct has to accept instead of fixing (object-prefix
 * wildcards of S3 grants, the stack-wide custom-resource provider), each acknowledged on the one
 * construct that causes it, with the reason, never stack-wide.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct, type IConstruct } from 'constructs';

/** What an object-prefix grant allows, to whom, on which object ARNs. */
export interface ObjectPrefixGrantOptions {
  /** The principal to grant to. */
  readonly grantee: IGrantable;
  /** The S3 object actions, listed without wildcards (a wildcard action is never acknowledged). */
  readonly actions: string[];
  /** Object ARNs ending in a key-prefix wildcard, e.g. `bucket.arnForObjects('inbound/*')`. */
  readonly resourceArns: string[];
}

/**
 * Grants `actions` on `resourceArns` in the grantee's identity policy (Grant.addToPrincipal, as
 * aws-cdk-lib's own grants do) and acknowledges the AwsSolutions-IAM5 finding of each wildcard
 * resource (e.g. `<Bucket.Arn>/inbound/*`) on that policy only.
 * Why: S3 object keys are per message, so an object grant is necessarily a key-prefix wildcard;
 * the reason travels with the grant instead of being restated by every caller.
 * @returns the grant; its `principalStatements` hold the one statement added
 * @throws Error when an action contains a wildcard
 */
export function grantObjectPrefix(options: ObjectPrefixGrantOptions, reason: string): Grant {
  if (options.actions.some((a) => a.includes('*'))) {
    throw new Error(`grant actions must be explicit, got ${options.actions.join(', ')}`);
  }
  const grant = Grant.addToPrincipal(options);
  const principal = options.grantee.grantPrincipal;
  // A Role keeps added statements in its `DefaultPolicy` child, where cdk-nag reports them.
  const policy = Construct.isConstruct(principal) ? principal.node.tryFindChild('DefaultPolicy') : undefined;
  if (grant.principalStatements.length === 0 || !policy) return grant;
  const stack = Stack.of(policy);
  for (const resource of options.resourceArns) {
    const flat = flattenCfnReference(stack.resolve(resource));
    if (flat.includes('*')) Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
  }
  return grant;
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
