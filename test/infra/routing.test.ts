import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/environment.ts';
import { InteractionTables } from '../../lib/constructs/interaction-tables.ts';
import { MailStore } from '../../lib/constructs/mail-store.ts';
import { PostroomFunction, handlerEntry } from '../../lib/constructs/postroom-function.ts';
import { Routing } from '../../lib/constructs/routing.ts';
import { newStack, resourcesOf, roleStatements } from './app-fixture.ts';

describe('Routing', () => {
  let template: Template;
  let ids: Record<'bucket' | 'interactions' | 'queues' | 'config' | 'queue' | 'logs', string>;

  beforeAll(() => {
    const stack = newStack();
    const queue = new Queue(stack, 'Inbound', { visibilityTimeout: Duration.minutes(6) });
    const mailStore = new MailStore(stack, 'MailStore');
    const tables = new InteractionTables(stack, 'Tables', { defaultQueueId: 'default' });
    const routing = new Routing(stack, 'Routing', {
      queue,
      mailStore,
      tables,
      defaultQueueId: 'default',
      defaultPriority: 3,
    });
    template = Template.fromStack(stack);
    const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    ids = {
      bucket: id(mailStore.bucket as never),
      interactions: id(tables.interactions as never),
      queues: id(tables.queues as never),
      config: id(tables.config as never),
      queue: id(queue),
      logs: id(routing.handler.logGroup),
    };
  });

  it('is sized for 40 MB messages: 60 s and 1024 MB', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 60, MemorySize: 1024, Runtime: 'nodejs22.x' });
  });

  it('consumes the queue in batches of 10 and reports batch item failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 2,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('sets the environment routingEnv() reads, under the names from env.ts', () => {
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('RoutingHandler'))!;
    expect(fn.Properties.Environment.Variables).toEqual({
      [ENV.interactionsTable]: { Ref: ids.interactions },
      [ENV.queuesTable]: { Ref: ids.queues },
      [ENV.configTable]: { Ref: ids.config },
      [ENV.mailBucket]: { Ref: ids.bucket },
      [ENV.defaultQueueId]: 'default',
      [ENV.defaultPriority]: '3',
      [ENV.threadWindowDays]: '30',
      [ENV.languages]: 'en,de,fr,es,it,nl,pt,ja',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('can read raw mail, write parts, use the tables and consume the queue, and nothing else', () => {
    const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
    const statements = roleStatements(template, 'RoutingHandlerRole');
    expect(statements.map((s) => s.Effect)).toEqual(statements.map(() => 'Allow'));
    expect(statements.map(({ Action, Resource }) => ({ Action, Resource }))).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: arn(ids.logs) },
      // raw mail SES received (inbound/) and the pollers fetched (polled/)
      {
        Action: 's3:GetObject',
        Resource: [{ 'Fn::Join': ['', [arn(ids.bucket), '/inbound/*']] }, { 'Fn::Join': ['', [arn(ids.bucket), '/polled/*']] }],
      },
      { Action: ['s3:AbortMultipartUpload', 's3:PutObject'], Resource: { 'Fn::Join': ['', [arn(ids.bucket), '/parts/*']] } },
      {
        // least privilege on interactions: no Scan, no deletes, no batch writes
        Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        Resource: [arn(ids.interactions), { 'Fn::Join': ['', [arn(ids.interactions), '/index/byBucket']] }],
      },
      { Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'], Resource: [arn(ids.config), arn(ids.queues)] },
      // the served domains: a scan of the config table's DOMAIN# items
      { Action: 'dynamodb:Scan', Resource: arn(ids.config) },
      {
        Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        Resource: arn(ids.queue),
      },
    ]);
  });

  it('with a bounce domain: RETURN_PATH_DOMAIN, and reads parts back (the VERP bounce report), nothing more', () => {
    // Prepare
    const stack = newStack();
    const mailStore = new MailStore(stack, 'MailStore');
    const tables = new InteractionTables(stack, 'Tables', { defaultQueueId: 'default' });
    const queue = new Queue(stack, 'Inbound', { visibilityTimeout: Duration.minutes(6) });
    // Act
    new Routing(stack, 'Routing', { queue, mailStore, tables, defaultQueueId: 'default', defaultPriority: 0, returnPathDomain: 'bounces.acme.com' });
    const bounces = Template.fromStack(stack);
    // Assess
    const [, fn] = resourcesOf(bounces, 'AWS::Lambda::Function').find(([id]) => id.startsWith('RoutingHandler'))!;
    expect(fn.Properties.Environment.Variables[ENV.returnPathDomain]).toBe('bounces.acme.com');
    const bucket = { 'Fn::GetAtt': [stack.getLogicalId(mailStore.bucket.node.defaultChild as never), 'Arn'] };
    const reads = roleStatements(bounces, 'RoutingHandlerRole').filter((s) => s.Action === 's3:GetObject').flatMap((s) => [s.Resource].flat());
    expect(reads).toContainEqual({ 'Fn::Join': ['', [bucket, '/parts/*']] });
  });

  it("gives the flow dry run routing's settings and read-only rights: single interactions, queues and config, raw mail", () => {
    // Prepare
    const stack = newStack();
    const mailStore = new MailStore(stack, 'MailStore');
    const tables = new InteractionTables(stack, 'Tables', { defaultQueueId: 'default' });
    const routing = new Routing(stack, 'Routing', { queue: new Queue(stack, 'Inbound', { visibilityTimeout: Duration.minutes(6) }), mailStore, tables, defaultQueueId: 'triage', defaultPriority: 3, languages: ['de', 'ja'] });
    const admin = new PostroomFunction(stack, 'Admin', { entry: handlerEntry('reconciler'), description: 'admin' });
    // Act
    routing.bindDryRun(admin);
    // Assess
    const t = Template.fromStack(stack);
    const env = (id: string) => resourcesOf(t, 'AWS::Lambda::Function').find(([fid]) => fid.startsWith(id))![1].Properties.Environment.Variables;
    const settings = [ENV.defaultQueueId, ENV.defaultPriority, ENV.threadWindowDays, ENV.languages];
    for (const key of settings) expect(env('AdminFunction')[key]).toEqual(env('RoutingHandler')[key]);
    expect(env('AdminFunction')).toMatchObject({ [ENV.defaultQueueId]: 'triage', [ENV.languages]: 'de,ja' });
    const actions = roleStatements(t, 'AdminRole').flatMap((s) => [s.Action].flat() as string[]).filter((a) => !a.startsWith('logs:'));
    expect([...new Set(actions)].sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 's3:GetObject']);
    const s3 = roleStatements(t, 'AdminRole').filter((s) => [s.Action].flat().includes('s3:GetObject')).flatMap((s) => [s.Resource].flat());
    expect(JSON.stringify(s3)).toMatch(/inbound\/\*.*polled\/\*/);
  });
});
