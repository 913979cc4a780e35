import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/environment.ts';
import { InteractionTables } from '../../lib/constructs/interaction-tables.ts';
import { MailStore } from '../../lib/constructs/mail-store.ts';
import { Outbound, OUTBOUND_LIMITS } from '../../lib/constructs/outbound.ts';
import { PostroomFunction, handlerEntry } from '../../lib/constructs/postroom-function.ts';
import { newStack, resourcesOf, roleStatements } from './app-fixture.ts';

describe('Outbound', () => {
  let template: Template;
  let ids: Record<'bucket' | 'interactions' | 'queues' | 'config' | 'queue' | 'dlq' | 'logs', string>;

  beforeAll(() => {
    const stack = newStack();
    const mailStore = new MailStore(stack, 'MailStore');
    const tables = new InteractionTables(stack, 'Tables', { defaultQueueId: 'default' });
    const outbound = new Outbound(stack, 'Outbound', { tables, mailStore, configurationSetName: 'postroom-set' });
    const other = new PostroomFunction(stack, 'Announcer', { entry: handlerEntry('routing'), description: 'announces' });
    outbound.bindNotify(other);
    template = Template.fromStack(stack);
    const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    ids = {
      bucket: id(mailStore.bucket as never),
      interactions: id(tables.interactions as never),
      queues: id(tables.queues as never),
      config: id(tables.config as never),
      queue: id(outbound.queue),
      dlq: id(outbound.deadLetterQueue),
      logs: id(outbound.handler.logGroup),
    };
  });

  it('has an encrypted, TLS-only queue with a DLQ after 10 receives, and a DLQ kept 14 days', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] }, maxReceiveCount: OUTBOUND_LIMITS.maxReceiveCount },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    const policies = resourcesOf(template, 'AWS::SQS::QueuePolicy').map(([, p]) => p.Properties.PolicyDocument.Statement[0]);
    expect(policies).toHaveLength(2);
    for (const statement of policies) expect(statement).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('feeds the sender in batches of 10 with partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('sets the environment senderEnv() reads', () => {
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('OutboundHandler'))!;
    expect(fn.Properties).toMatchObject({ Timeout: 60, MemorySize: 512 });
    expect(fn.Properties.Environment.Variables).toEqual({
      [ENV.interactionsTable]: { Ref: ids.interactions },
      [ENV.queuesTable]: { Ref: ids.queues },
      [ENV.configTable]: { Ref: ids.config },
      [ENV.mailBucket]: { Ref: ids.bucket },
      [ENV.outboundQueueUrl]: { Ref: ids.queue },
      [ENV.outboundMaxReceiveCount]: '10',
      [ENV.sesConfigurationSet]: 'postroom-set',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('may use single outbox items, read uploads, read and write outbound/, send through SES and read mail server secrets, nothing else', () => {
    const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
    const statements = roleStatements(template, 'OutboundHandlerRole');
    expect(statements.map((s) => s.Effect)).toEqual(statements.map(() => 'Allow'));
    const flat = JSON.stringify(statements);
    expect(flat).not.toMatch(/DeleteItem|BatchWriteItem|s3:DeleteObject|"ses:\*"|"s3:\*"/);
    const byAction = (action: string) => statements.filter((s) => [s.Action].flat().includes(action)).map((s) => s.Resource);
    expect(byAction('dynamodb:UpdateItem')).toEqual([[arn(ids.interactions), { 'Fn::Join': ['', [arn(ids.interactions), '/index/byBucket']] }]]);
    expect(byAction('s3:PutObject')).toEqual([{ 'Fn::Join': ['', [arn(ids.bucket), '/outbound/*']] }]);
    expect(JSON.stringify(byAction('s3:GetObject'))).toMatch(/uploads\/\*.*outbound\/\*|outbound\/\*.*uploads\/\*/);
    const ses = JSON.stringify(byAction('ses:SendRawEmail'));
    expect([ses.includes(':identity/*'), ses.includes(':configuration-set/postroom-set')]).toEqual([true, true]);
    expect(JSON.stringify(byAction('secretsmanager:GetSecretValue'))).toContain(':secret:postroom/mail-servers/*');
    expect(byAction('sqs:SendMessage')).toEqual([arn(ids.queue)]);
  });

  it('lets a bound function announce records: send to the queue and OUTBOUND_QUEUE_URL', () => {
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('AnnouncerFunction'))!;
    expect(fn.Properties.Environment.Variables[ENV.outboundQueueUrl]).toEqual({ Ref: ids.queue });
    expect(roleStatements(template, 'AnnouncerRole').some((s) => [s.Action].flat().includes('sqs:SendMessage'))).toBe(true);
  });

  it('alarms on the first notice in the DLQ', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.dlq, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });
});
