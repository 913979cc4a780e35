import { Stack, Validations, type App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PostroomStack } from '../../lib/postroom-stack.ts';
import { WHOLE_STACK_TIMEOUT_MS, newApp, newPostroomStack } from './app-fixture.ts';

/** Every finding the AwsSolutions pack reports under `scope`, as `Rule at /path (severity)`. */
function findings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath} (${v.severity})`));
}

/** Every acknowledgement recorded under `scope`: where, which rule, why. */
function acknowledgements(scope: IConstruct): { path: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))),
  );
}

describe('cdk-nag AwsSolutions on the whole app', () => {
  let stack: PostroomStack;

  beforeAll(() => {
    // With a bounce domain: the VERP path's grants (routing reads parts back) are checked too.
    stack = newPostroomStack({ returnPathDomain: 'support.example.com' });
    Template.fromStack(stack); // synthesizes: bundles the Lambdas and runs aws-cdk-lib's default rules
  }, WHOLE_STACK_TIMEOUT_MS);

  it('reports no unacknowledged error or warning', () => {
    expect(findings(stack.node.root)).toEqual([]);
  });

  it('acknowledges only on single resources, never on the stack or the app, each with a reason', () => {
    const acks = acknowledgements(stack.node.root);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.path, ack.id).not.toMatch(/^\/?(Postroom)?$/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
    }
  });

  it('acknowledges IAM5 one finding at a time, never the whole rule', () => {
    const iam5 = acknowledgements(stack.node.root).filter((a) => a.id.includes('AwsSolutions-IAM5'));
    // Several functions may carry the same scoped finding (routing and the reconciler read inbound/*).
    expect([...new Set(iam5.map((a) => a.id.replace(/^Annotation::/, '')))].sort()).toEqual([
      // aws-cdk-lib's BucketDeployment (the console upload): its fixed bucket-grant action wildcards
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      // the same handler's CloudFront invalidation (on *) and other aws-cdk-lib grants on *
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::\*\]$/),
      // the Provider framework invokes any version of the declared domains, rule set activation and receipt rule functions
      // the BucketDeployment replaces every file of the console bucket
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<ConsoleHostingBucket\w+\.Arn>\/\*\]$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<DeclaredDomainsHandlerFunction\w+\.Arn>:\*\]$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<InboundActivationHandlerFunction\w+\.Arn>:\*\]$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<InboundRuleHandlerFunction\w+\.Arn>:\*\]$/),
      // routing (read raw, write parts), the reconciler (read raw) and the API (read raw and parts to presign downloads)
      // the recorder writes and the API reads large dead-letter bodies
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<MailStoreBucket\w+\.Arn>\/dead-letters\/\*\]$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<MailStoreBucket\w+\.Arn>\/inbound\/\*\]$/),
      // the sender reads and writes large bodies and the composed MIME under outbound/
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<MailStoreBucket\w+\.Arn>\/outbound\/\*\]$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<MailStoreBucket\w+\.Arn>\/parts\/\*\]$/),
      // the mailbox pollers write polled mail
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<MailStoreBucket\w+\.Arn>\/polled\/\*\]$/),
      // the sender reads the attachments uploaded for a send
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<MailStoreBucket\w+\.Arn>\/uploads\/\*\]$/),
      // domains are added at runtime: their hosted zones (record changes limited by condition) and SES identities
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:route53:::hostedzone/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:postroom/mail-servers/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]',
      // the BucketDeployment reads the console zip from the CDK asset bucket (keys are content hashes)
      'AwsSolutions-IAM5[Resource::arn:aws:s3:::cdk-hnb659fds-assets-111111111111-eu-west-1/*]',
      // every mail server's own secret, postroom/mail-servers/<id> (the pollers read and refresh them)
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:[^:]+:secretsmanager:[^:]+:[^:]+:secret:postroom\/mail-servers\/\*\]$/),
    ]);
  });

  it('does find problems: an unprotected bucket in another stack is reported', () => {
    // Prepare: proves the check above is live, not vacuously empty.
    const app: App = newApp({ defaultRules: false });
    const canary = new Stack(app, 'Canary');
    new Bucket(canary, 'Plain');
    // Act
    const found = findings(canary);
    // Assess
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-S1 at Canary\/Plain\/Resource/), expect.stringMatching(/^AwsSolutions-S10 /)]));
  });
});
