/**
 * The CDK app: reads the deployment context, creates the Postroom stack and checks it with
 * cdk-nag's AwsSolutions pack on every synth. Run through cdk.json (`npx cdk synth`). A missing or
 * wrong context value, or a region where SES does not receive mail, ends synth with one line naming
 * the problem (exit code 1), not a stack trace.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ContextError, readPostroomContext, type PostroomContext } from '../lib/context.ts';
import { PostroomStack } from '../lib/postroom-stack.ts';

const app = new App();
/** The context, then the stack: both refuse a wrong setting (or region) with a ContextError. */
function build(context: PostroomContext): void {
  new PostroomStack(app, context.stackName, {
    domains: context.domains,
    maxDomains: context.maxDomains,
    domainCheckMinutes: context.domainCheckMinutes,
    defaultQueueId: context.defaultQueueId,
    defaultPriority: context.defaultPriority,
    logRetention: context.logRetention,
    inboundTlsPolicy: context.inboundTlsPolicy,
    threadWindowDays: context.threadWindowDays,
    languages: context.languages,
    inboundAgeAlarmMinutes: context.inboundAgeAlarmMinutes,
    ...(context.alarmEmail !== undefined && { alarmEmail: context.alarmEmail }),
    ...(context.alarmTopicArn !== undefined && { alarmTopicArn: context.alarmTopicArn }),
    ...(context.receiptRuleSet !== undefined && { receiptRuleSet: context.receiptRuleSet }),
    replaceActiveRuleSet: context.replaceActiveRuleSet,
    ...(context.returnPathDomain !== undefined && { returnPathDomain: context.returnPathDomain }),
    ...(context.authDomainPrefix !== undefined && { authDomainPrefix: context.authDomainPrefix }),
    ...(context.consoleDomain !== undefined && { consoleDomain: context.consoleDomain }),
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
}
try {
  build(readPostroomContext((key) => app.node.tryGetContext(key)));
} catch (err) {
  if (!(err instanceof ContextError)) throw err;
  process.stderr.write(`postroom: ${err.message}\n`);
  process.exit(1);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
