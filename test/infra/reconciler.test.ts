import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/environment.ts';
import { InteractionTables } from '../../lib/constructs/interaction-tables.ts';
import { MailStore } from '../../lib/constructs/mail-store.ts';
import { Reconciler } from '../../lib/constructs/reconciler.ts';
import { newStack, resourcesOf, roleStatements } from './app-fixture.ts';

describe('Reconciler', () => {
  let template: Template;
  let ids: Record<'bucket' | 'interactions' | 'config' | 'queue' | 'fn' | 'logs', string>;

  beforeAll(() => {
    const stack = newStack();
    const queue = new Queue(stack, 'Inbound', { visibilityTimeout: Duration.minutes(6) });
    const mailStore = new MailStore(stack, 'MailStore');
    const tables = new InteractionTables(stack, 'Tables', { defaultQueueId: 'default' });
    const reconciler = new Reconciler(stack, 'Reconciler', { mailStore, tables, queue });
    template = Template.fromStack(stack);
    const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    ids = {
      bucket: id(mailStore.bucket as never),
      interactions: id(tables.interactions as never),
      config: id(tables.config as never),
      queue: id(queue),
      fn: id(reconciler.handler.function),
      logs: id(reconciler.handler.logGroup),
    };
  });

  it('runs every 5 minutes on an EventBridge rule, without async retries (the next run retries)', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [ids.fn, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [ids.fn, 'Arn'] },
    });
  });

  it('is a 4-minute, 512 MB function with exactly the environment reconcilerEnv() reads', () => {
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id === ids.fn)!;
    expect(fn.Properties).toMatchObject({ Timeout: 240, MemorySize: 512, Runtime: 'nodejs22.x' });
    expect(fn.Properties.Environment.Variables).toEqual({
      [ENV.interactionsTable]: { Ref: ids.interactions },
      [ENV.mailBucket]: { Ref: ids.bucket },
      [ENV.configTable]: { Ref: ids.config },
      [ENV.inboundQueueUrl]: { Ref: ids.queue },
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('may list only inbound/ and polled/, read only inbound/* and polled/*, batch-read the interactions table, scan the config table (served domains) and send to the queue', () => {
    const statements = roleStatements(template, 'ReconcilerHandlerRole').filter((s) => !JSON.stringify(s).includes(ids.logs));
    expect(statements).toEqual(
      expect.arrayContaining([
        { Action: 's3:ListBucket', Effect: 'Allow', Resource: { 'Fn::GetAtt': [ids.bucket, 'Arn'] }, Condition: { StringLike: { 's3:prefix': ['inbound/*'] } } },
        { Action: 's3:ListBucket', Effect: 'Allow', Resource: { 'Fn::GetAtt': [ids.bucket, 'Arn'] }, Condition: { StringLike: { 's3:prefix': ['polled/*'] } } },
        {
          Action: 's3:GetObject',
          Effect: 'Allow',
          Resource: [
            { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.bucket, 'Arn'] }, '/inbound/*']] },
            { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.bucket, 'Arn'] }, '/polled/*']] },
          ],
        },
        { Action: 'dynamodb:BatchGetItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': [ids.interactions, 'Arn'] } },
        { Action: 'dynamodb:Scan', Effect: 'Allow', Resource: { 'Fn::GetAtt': [ids.config, 'Arn'] } },
        expect.objectContaining({ Effect: 'Allow', Resource: { 'Fn::GetAtt': [ids.queue, 'Arn'] } }),
      ]),
    );
    expect(statements).toHaveLength(6);
    const send = statements.find((s) => JSON.stringify(s.Resource).includes(ids.queue));
    expect([send.Action].flat().sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('s3:PutObject');
    expect(actions.filter((a: string) => a.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:Scan']);
  });
});
