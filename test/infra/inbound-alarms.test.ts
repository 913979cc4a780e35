import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { InboundAlarms, type InboundAlarmsProps } from '../../lib/constructs/inbound-alarms.ts';
import { newStack, resourcesOf } from './app-fixture.ts';

/** The alarms over plain queues and functions, with `extra` props; returns the template and logical ids. */
function synth(extra: Partial<InboundAlarmsProps> = {}, stack: Stack = newStack()) {
  const fn = (id: string) => new LambdaFunction(stack, id, { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler=()=>{}') });
  const inbound = new Queue(stack, 'Inbound');
  const dlq = new Queue(stack, 'Dlq');
  const routing = fn('Routing');
  const recorder = fn('Recorder');
  const alarms = new InboundAlarms(stack, 'Alarms', { inboundQueue: inbound, deadLetterQueue: dlq, routingFunction: routing, recorderFunction: recorder, ...extra });
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
  return { template: Template.fromStack(stack), alarms, ids: { inbound: id(inbound), dlq: id(dlq), routing: id(routing), recorder: id(recorder) } };
}

/** The alarm whose logical id starts with `Alarms<name>`. */
function alarm(template: Template, name: string) {
  const found = resourcesOf(template, 'AWS::CloudWatch::Alarm').find(([id]) => id.startsWith(`Alarms${name}`));
  if (!found) throw new Error(`no alarm ${name}`);
  return found[1].Properties;
}

const queueName = (id: string) => [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }];
const functionName = (id: string) => [{ Name: 'FunctionName', Value: { Ref: id } }];

describe('InboundAlarms', () => {
  it('alarms when a record is dead-lettered: the DLQ received a message in 5 minutes', () => {
    const { template, ids } = synth();
    expect(alarm(template, 'DeadLettered')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'NumberOfMessagesReceived',
      Dimensions: queueName(ids.dlq),
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms on DLQ depth above 0 for three periods in a row (the recorder is not draining it)', () => {
    const { template, ids } = synth();
    expect(alarm(template, 'DeadLetterBacklog')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: queueName(ids.dlq),
      Statistic: 'Maximum',
      Threshold: 0,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms on routing errors and throttles and on recorder errors, each above 0', () => {
    const { template, ids } = synth();
    for (const [name, metric, fn] of [
      ['RoutingErrors', 'Errors', ids.routing],
      ['RoutingThrottles', 'Throttles', ids.routing],
      ['RecorderErrors', 'Errors', ids.recorder],
    ] as const) {
      expect(alarm(template, name), name).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: functionName(fn),
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('alarms on the age of the oldest inbound message: 15 minutes by default, configurable', () => {
    const byDefault = synth();
    expect(alarm(byDefault.template, 'InboundAge')).toMatchObject({
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: queueName(byDefault.ids.inbound),
      Statistic: 'Maximum',
      Threshold: 900,
    });
    expect(alarm(synth({ oldestMessageAge: Duration.minutes(40) }).template, 'InboundAge').Threshold).toBe(2400);
  });

  it('has no actions and no topic without a notification target', () => {
    const { template, alarms } = synth();
    expect(alarms.alarms).toHaveLength(6);
    expect(alarms.topic).toBeUndefined();
    template.resourceCountIs('AWS::SNS::Topic', 0);
    for (const [, a] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) expect(a.Properties.AlarmActions).toBeUndefined();
  });

  it('with alarmEmail: an encrypted, TLS-only topic CloudWatch may publish to, the address subscribed, every alarm notifying it', () => {
    const { template, alarms } = synth({ alarmEmail: 'ops@example.com' });
    const [[topicId, topic]] = resourcesOf(template, 'AWS::SNS::Topic') as [[string, any]];
    const [[keyId, key]] = resourcesOf(template, 'AWS::KMS::Key') as [[string, any]];
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.KeyPolicy.Statement).toEqual(
      expect.arrayContaining([expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]),
    );
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
    expect(alarms.topic).toBeDefined();
    for (const [, a] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('with alarmTopic: notifies the existing topic and creates none', () => {
    const stack = newStack();
    const arn = 'arn:aws:sns:eu-west-1:111111111111:ops';
    const { template } = synth({ alarmTopic: Topic.fromTopicArn(stack, 'Ops', arn) }, stack);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    for (const [, a] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) expect(a.Properties.AlarmActions).toEqual([arn]);
  });

  it('refuses both an e-mail address and a topic', () => {
    const stack = newStack();
    const act = () => synth({ alarmEmail: 'ops@example.com', alarmTopic: Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:eu-west-1:111111111111:ops') }, stack);
    expect(act).toThrow(/alarmEmail or alarmTopic, not both/);
  });

  it('passes cdk-nag AwsSolutions with its own topic and key (the whole-app check runs without one)', () => {
    const stack = newStack();
    synth({ alarmEmail: 'ops@example.com' }, stack);
    const report = new AwsSolutionsChecks().validateScope(stack);
    const ours = report.violations.flatMap((v) => v.violatingResources.filter((r) => (r.constructPath ?? '').includes('/Alarms/')).map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(ours).toEqual([]);
  });
});
