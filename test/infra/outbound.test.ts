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
    const outbound = new Outbound(stack, 'Outbound', { tables, mailStore, configurationSetName: 'postroom-set', returnPathDomain: 'bounces.acme.com' });
    const other = new PostroomFunction(stack, 'Announcer', { entry: handlerEntry('routing'), description: 'announces' });
    outbound.bindNotify(other);
    outbound.bindSendApi(new PostroomFunction(stack, 'SendApi', { entry: handlerEntry('api'), description: 'sends' }));
    outbound.bindResumeHeld(new PostroomFunction(stack, 'Registry', { entry: handlerEntry('flow-api'), description: 'resumes held sends' }));
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
      [ENV.returnPathDomain]: 'bounces.acme.com',
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
    // the outbox on the interactions table; an integration's error state and a server's needs-reauth health on the config table
    expect(byAction('dynamodb:UpdateItem')).toEqual([[arn(ids.interactions), { 'Fn::Join': ['', [arn(ids.interactions), '/index/byBucket']] }], arn(ids.config)]);
    const onConfig = statements.filter((s) => JSON.stringify(s.Resource).includes(JSON.stringify(arn(ids.config))));
    expect(onConfig.flatMap((s) => [s.Action].flat()).sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:UpdateItem']);
    expect(byAction('s3:PutObject')).toEqual([{ 'Fn::Join': ['', [arn(ids.bucket), '/outbound/*']] }]);
    expect(JSON.stringify(byAction('s3:GetObject'))).toMatch(/uploads\/\*.*outbound\/\*|outbound\/\*.*uploads\/\*/);
    const ses = JSON.stringify(byAction('ses:SendRawEmail'));
    expect([ses.includes(':identity/*'), ses.includes(':configuration-set/postroom-set')]).toEqual([true, true]);
    expect(JSON.stringify(byAction('secretsmanager:GetSecretValue'))).toContain(':secret:postroom/mail-servers/*');
    // The OAuth2 credential source stores the tokens it refreshes; it never creates or deletes a secret.
    expect(byAction('secretsmanager:PutSecretValue')).toEqual(byAction('secretsmanager:GetSecretValue'));
    expect(flat).not.toMatch(/secretsmanager:(CreateSecret|DeleteSecret|\*)/);
    expect(byAction('sqs:SendMessage')).toEqual([arn(ids.queue)]);
  });

  it('lets a bound function announce records: send to the queue and OUTBOUND_QUEUE_URL', () => {
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('AnnouncerFunction'))!;
    expect(fn.Properties.Environment.Variables[ENV.outboundQueueUrl]).toEqual({ Ref: ids.queue });
    expect(roleStatements(template, 'AnnouncerRole').some((s) => [s.Action].flat().includes('sqs:SendMessage'))).toBe(true);
  });

  it('bindSendApi: MAIL_BUCKET and OUTBOUND_QUEUE_URL, PutObject on uploads/ and outbound/, GetObject on uploads/ only, send to the queue', () => {
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('SendApiFunction'))!;
    expect(fn.Properties.Environment.Variables).toMatchObject({ [ENV.mailBucket]: { Ref: ids.bucket }, [ENV.outboundQueueUrl]: { Ref: ids.queue } });
    const statements = roleStatements(template, 'SendApiRole');
    const objects = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.bucket, 'Arn'] }, `/${prefix}/*`]] });
    const resourcesOfAction = (action: string) => statements.filter((s) => [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat());
    expect(resourcesOfAction('s3:PutObject')).toEqual(expect.arrayContaining([objects('uploads'), objects('outbound')]));
    expect(resourcesOfAction('s3:PutObject')).toHaveLength(2);
    expect(resourcesOfAction('s3:GetObject')).toEqual([objects('uploads')]);
    expect(resourcesOfAction('sqs:SendMessage')).toEqual([{ 'Fn::GetAtt': [ids.queue, 'Arn'] }]);
    expect(JSON.stringify(statements)).not.toMatch(/s3:DeleteObject|"s3:\*"|dynamodb:/);
  });

  it('bindResumeHeld: OUTBOUND_QUEUE_URL, Query on byBucket and UpdateItem on the interactions table, nothing else of DynamoDB', () => {
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('RegistryFunction'))!;
    expect(fn.Properties.Environment.Variables[ENV.outboundQueueUrl]).toEqual({ Ref: ids.queue });
    expect(fn.Properties.Environment.Variables[ENV.mailBucket]).toBeUndefined();
    const statements = roleStatements(template, 'RegistryRole');
    const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    const table = { 'Fn::GetAtt': [ids.interactions, 'Arn'] };
    expect(dynamo.map((s) => [[s.Action].flat(), s.Resource])).toEqual(
      expect.arrayContaining([
        [['dynamodb:Query'], { 'Fn::Join': ['', [table, '/index/byBucket']] }],
        [['dynamodb:UpdateItem'], table],
      ]),
    );
    expect(dynamo.flatMap((s) => [s.Action].flat()).sort()).toEqual(['dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(statements.some((s) => [s.Action].flat().includes('sqs:SendMessage'))).toBe(true);
    expect(JSON.stringify(statements)).not.toMatch(/s3:/);
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
