import { Template } from 'aws-cdk-lib/assertions';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/environment.ts';
import { DeadLetters } from '../../lib/constructs/dead-letters.ts';
import { InteractionTables } from '../../lib/constructs/interaction-tables.ts';
import { MailStore } from '../../lib/constructs/mail-store.ts';
import { PostroomFunction, handlerEntry } from '../../lib/constructs/postroom-function.ts';
import { newStack, resourcesOf, roleStatements } from './app-fixture.ts';

describe('DeadLetters', () => {
  let template: Template;
  let ids: Record<'bucket' | 'interactions' | 'inbound' | 'dlq' | 'logs' | 'apiLogs', string>;

  beforeAll(() => {
    const stack = newStack();
    const dlq = new Queue(stack, 'Dlq');
    const inbound = new Queue(stack, 'Inbound');
    const mailStore = new MailStore(stack, 'MailStore');
    const tables = new InteractionTables(stack, 'Tables', { defaultQueueId: 'default' });
    const deadLetters = new DeadLetters(stack, 'DeadLetters', { deadLetterQueue: dlq, inboundQueue: inbound, interactions: tables.interactions, mailStore });
    const api = new PostroomFunction(stack, 'Api', { entry: handlerEntry('api'), description: 'api' });
    deadLetters.bindRedrive(api);
    template = Template.fromStack(stack);
    const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    ids = {
      bucket: id(mailStore.bucket as never),
      interactions: id(tables.interactions as never),
      inbound: id(inbound),
      dlq: id(dlq),
      logs: id(deadLetters.recorder.logGroup),
      apiLogs: id(api.logGroup),
    };
  });

  const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
  const functionNamed = (prefix: string) => resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith(prefix))![1];

  it('runs the recorder on the DLQ in batches of 10 with partial batch responses, within the DLQ visibility timeout', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arn(ids.dlq),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // SQS's default visibility timeout is 30 s; the function's timeout must stay below it.
    expect(functionNamed('DeadLettersRecorder').Properties.Timeout).toBe(20);
  });

  it('gives the recorder the environment deadLetterRecorderEnv() reads', () => {
    expect(functionNamed('DeadLettersRecorder').Properties.Environment.Variables).toEqual({
      [ENV.interactionsTable]: { Ref: ids.interactions },
      [ENV.deadLetterBucket]: { Ref: ids.bucket },
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('lets the recorder use single items of the interactions table, write dead-letters/* and consume the DLQ, nothing more', () => {
    const statements = roleStatements(template, 'DeadLettersRecorderRole');
    expect(statements.map(({ Effect, Action, Resource }) => ({ Effect, Action, Resource }))).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: arn(ids.logs) },
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: arn(ids.interactions) },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [arn(ids.bucket), '/dead-letters/*']] } },
      {
        Effect: 'Allow',
        Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        Resource: arn(ids.dlq),
      },
    ]);
  });

  it('binds a redriving function: inbound queue URL and bucket in its environment, SendMessage on the inbound queue only, reads of dead-letters/*', () => {
    expect(functionNamed('ApiFunction').Properties.Environment.Variables).toMatchObject({
      [ENV.inboundQueueUrl]: { Ref: ids.inbound },
      [ENV.deadLetterBucket]: { Ref: ids.bucket },
    });
    const statements = roleStatements(template, 'ApiRole');
    expect(statements.map(({ Action, Resource }) => ({ Action, Resource }))).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: arn(ids.apiLogs) },
      { Action: 'sqs:SendMessage', Resource: arn(ids.inbound) },
      { Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [arn(ids.bucket), '/dead-letters/*']] } },
    ]);
  });

  it('returns the redrive grant as one iam.Grant: SendMessage on the inbound queue and reads of dead-letters/*', () => {
    // Prepare
    const stack = newStack();
    const inbound = new Queue(stack, 'Inbound');
    const mailStore = new MailStore(stack, 'MailStore');
    const tables = new InteractionTables(stack, 'Tables', { defaultQueueId: 'default' });
    const deadLetters = new DeadLetters(stack, 'DeadLetters', { deadLetterQueue: new Queue(stack, 'Dlq'), inboundQueue: inbound, interactions: tables.interactions, mailStore });

    // Act
    const grant = deadLetters.grantRedrive(new Role(stack, 'Grantee', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }));

    // Assess
    expect(grant).toBeInstanceOf(Grant);
    expect(grant.success).toBe(true);
    const bucketArn = { 'Fn::GetAtt': [stack.getLogicalId(mailStore.bucket.node.defaultChild as never), 'Arn'] };
    expect(grant.principalStatements.map((s) => ({ actions: s.actions, resources: stack.resolve(s.resources) }))).toEqual([
      { actions: ['sqs:SendMessage'], resources: [{ 'Fn::GetAtt': [stack.getLogicalId(inbound.node.defaultChild as never), 'Arn'] }] },
      { actions: ['s3:GetObject'], resources: [{ 'Fn::Join': ['', [bucketArn, '/dead-letters/*']] }] },
    ]);
  });
});
