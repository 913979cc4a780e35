import { Template } from 'aws-cdk-lib/assertions';
import { ConfigurationSet, ConfigurationSetTlsPolicy } from 'aws-cdk-lib/aws-ses';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/environment.ts';
import { SES_FEEDBACK_DETAIL_TYPES } from '../../contract/ses-feedback.ts';
import { InteractionTables } from '../../lib/constructs/interaction-tables.ts';
import { SesFeedback } from '../../lib/constructs/ses-feedback.ts';
import { newStack, resourcesOf, roleStatements } from './app-fixture.ts';

describe('SesFeedback', () => {
  let template: Template;
  let ids: Record<'set' | 'interactions' | 'queue' | 'dlq' | 'logs', string>;

  beforeAll(() => {
    const stack = newStack();
    const set = new ConfigurationSet(stack, 'Set', { reputationMetrics: true, tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE });
    const tables = new InteractionTables(stack, 'Tables', { defaultQueueId: 'default' });
    const feedback = new SesFeedback(stack, 'Feedback', { configurationSet: set, interactions: tables.interactions });
    template = Template.fromStack(stack);
    const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    ids = {
      set: id(set as never),
      interactions: id(tables.interactions as never),
      queue: id(feedback.queue),
      dlq: id(feedback.deadLetterQueue),
      logs: id(feedback.handler.logGroup),
    };
  });

  const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

  it('publishes the six tracked SES events of the set to the default event bus', () => {
    const [[, destination]] = resourcesOf(template, 'AWS::SES::ConfigurationSetEventDestination') as [[string, { Properties: Record<string, any> }]];
    expect(destination.Properties).toEqual({
      ConfigurationSetName: { Ref: ids.set },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint', 'delivery', 'deliveryDelay', 'reject', 'renderingFailure'],
        EventBridgeDestination: { EventBusArn: expect.stringMatching(/^arn:aws:events:[a-z0-9-]+:\d{12}:event-bus\/default$/) },
      },
    });
  });

  it('routes those events of this set only, by detail-type, to the feedback queue', () => {
    const [[, rule]] = resourcesOf(template, 'AWS::Events::Rule') as [[string, { Properties: Record<string, any> }]];
    expect(rule.Properties.EventBusName).toBe('default');
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.ses'],
      'detail-type': [...SES_FEEDBACK_DETAIL_TYPES],
      detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: ids.set }] } } },
    });
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: arn(ids.queue) })]);
    // Only EventBridge, and only for this rule, may send to the queue.
    const policies = resourcesOf(template, 'AWS::SQS::QueuePolicy').filter(([, p]) => JSON.stringify(p.Properties.Queues) === JSON.stringify([{ Ref: ids.queue }]));
    const allows = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement).filter((s: { Effect: string }) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        Condition: { ArnEquals: { 'aws:SourceArn': arn(resourcesOf(template, 'AWS::Events::Rule')[0]![0]) } },
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Resource: arn(ids.queue),
      },
    ]);
  });

  it('keeps the queues encrypted and TLS-only, with a DLQ after five receives and a visibility timeout above the function\'s', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: arn(ids.dlq), maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
  });

  it('runs the function on the queue in batches of 10 with partial batch responses, with the table in its environment', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: arn(ids.queue), BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('FeedbackHandlerFunction'))!;
    expect(fn!.Properties.Timeout).toBe(30);
    expect(fn!.Properties.Environment.Variables).toEqual({ [ENV.interactionsTable]: { Ref: ids.interactions }, NODE_OPTIONS: '--enable-source-maps' });
  });

  it('lets the function use single items of the interactions table and consume its queue, nothing more', () => {
    const statements = roleStatements(template, 'FeedbackHandlerRole');
    expect(statements.map(({ Effect, Action, Resource }) => ({ Effect, Action, Resource }))).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: arn(ids.logs) },
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: arn(ids.interactions) },
      {
        Effect: 'Allow',
        Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        Resource: arn(ids.queue),
      },
    ]);
  });
});
