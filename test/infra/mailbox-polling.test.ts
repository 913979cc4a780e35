import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/environment.ts';
import { InteractionTables } from '../../lib/constructs/interaction-tables.ts';
import { MailStore } from '../../lib/constructs/mail-store.ts';
import { MailboxPolling } from '../../lib/constructs/mailbox-polling.ts';
import { PostroomFunction, handlerEntry } from '../../lib/constructs/postroom-function.ts';
import { newStack, resourcesOf, roleStatements } from './app-fixture.ts';

describe('MailboxPolling', () => {
  let template: Template;
  let polling: MailboxPolling;
  let id: (c: { node: { defaultChild?: unknown } }) => string;
  let ids: Record<'bucket' | 'interactions' | 'config' | 'inbound' | 'jobs' | 'jobsDlq' | 'ticks' | 'ticksDlq' | 'dispatcher' | 'poller' | 'api', string>;

  beforeAll(() => {
    const stack = newStack();
    const inbound = new Queue(stack, 'Inbound', { visibilityTimeout: Duration.minutes(6) });
    const mailStore = new MailStore(stack, 'MailStore');
    const tables = new InteractionTables(stack, 'Tables', { defaultQueueId: 'default' });
    polling = new MailboxPolling(stack, 'Polling', { configTable: tables.config, interactionsTable: tables.interactions, mailStore, inboundQueue: inbound });
    const api = new PostroomFunction(stack, 'Api', { entry: handlerEntry('api'), description: 'API' });
    polling.grantPollNow(api);
    template = Template.fromStack(stack);
    id = (c) => stack.getLogicalId(c.node.defaultChild as never);
    ids = {
      bucket: id(mailStore.bucket as never),
      interactions: id(tables.interactions as never),
      config: id(tables.config as never),
      inbound: id(inbound),
      jobs: id(polling.jobQueue),
      jobsDlq: id(polling.jobDeadLetterQueue),
      ticks: id(polling.tickQueue),
      ticksDlq: id(polling.tickDeadLetterQueue),
      dispatcher: id(polling.dispatcher.function),
      poller: id(polling.poller.function),
      api: id(api.function),
    };
  });

  const queue = (logicalId: string) => resourcesOf(template, 'AWS::SQS::Queue').find(([i]) => i === logicalId)![1].Properties;
  const fn = (logicalId: string) => resourcesOf(template, 'AWS::Lambda::Function').find(([i]) => i === logicalId)![1].Properties;

  it('puts jobs on an encrypted FIFO queue whose visibility outlasts a poll, with a FIFO DLQ after 3 receives', () => {
    expect(queue(ids.jobs)).toMatchObject({
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.jobsDlq, 'Arn'] }, maxReceiveCount: 3 },
    });
    expect(queue(ids.jobs).VisibilityTimeout).toBeGreaterThan(fn(ids.poller).Timeout);
    expect(queue(ids.jobsDlq)).toMatchObject({ FifoQueue: true, SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    expect(queue(ids.ticks).FifoQueue).toBeUndefined();
    expect(queue(ids.ticks)).toMatchObject({ RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.ticksDlq, 'Arn'] } } });
    // enforceSSL: every queue denies requests without TLS
    const denies = resourcesOf(template, 'AWS::SQS::QueuePolicy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[]);
    expect(denies.filter((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toHaveLength(4);
  });

  it('invokes the dispatcher every minute with the scheduled time, by a role that may invoke that function only', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [ids.dispatcher, 'Arn'] },
        Input: JSON.stringify({ kind: 'schedule', scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
        RoleArn: Match.anyValue(),
      },
    });
    expect(roleStatements(template, 'PollingScheduleRole')).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [ids.dispatcher, 'Arn'] } },
    ]);
  });

  it('consumes ticks with the dispatcher and jobs one at a time with the poller, reporting failures per record', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: ids.poller },
      EventSourceArn: { 'Fn::GetAtt': [ids.jobs, 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: ids.dispatcher },
      EventSourceArn: { 'Fn::GetAtt': [ids.ticks, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('gives each function exactly the environment its getters read', () => {
    expect(fn(ids.poller)).toMatchObject({ Timeout: 300, MemorySize: 512 });
    expect(fn(ids.poller).Environment.Variables).toEqual({
      [ENV.configTable]: { Ref: ids.config },
      [ENV.interactionsTable]: { Ref: ids.interactions },
      [ENV.mailBucket]: { Ref: ids.bucket },
      [ENV.inboundQueueUrl]: { Ref: ids.inbound },
      [ENV.eventBus]: 'default',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(fn(ids.dispatcher).Environment.Variables).toEqual({
      [ENV.configTable]: { Ref: ids.config },
      [ENV.pollJobQueueUrl]: { Ref: ids.jobs },
      [ENV.pollTickQueueUrl]: { Ref: ids.ticks },
      [ENV.eventBus]: 'default',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(fn(ids.api).Environment.Variables[ENV.pollJobQueueUrl]).toEqual({ Ref: ids.jobs });
  });

  it('lets the poller write polled/* only, its table items, the servers secrets (read, refresh) and events; never scan', () => {
    const statements = roleStatements(template, 'PollingPollerRole');
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a: string) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(statements).toEqual(
      expect.arrayContaining([
        { Action: ['s3:AbortMultipartUpload', 's3:PutObject'], Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.bucket, 'Arn'] }, '/polled/*']] } },
        {
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
          Effect: 'Allow',
          Resource: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:postroom/mail-servers/*',
        },
        expect.objectContaining({ Action: 'events:PutEvents', Effect: 'Allow' }),
      ]),
    );
    expect(actions).not.toContain('s3:GetObject');
    expect(actions.some((a: string) => a.startsWith('secretsmanager:') && !['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'].includes(a))).toBe(false);
    const dispatcher = roleStatements(template, 'PollingDispatcherRole').flatMap((s) => [s.Action].flat());
    // The hourly OAuth2 housekeeping: a refused grant marks its server needs-reauth; idle tokens are refreshed in their secret.
    expect(dispatcher.filter((a: string) => a.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:Scan', 'dynamodb:UpdateItem']);
    expect(dispatcher.filter((a: string) => a.startsWith('secretsmanager:')).sort()).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']);
    const dispatcherSecrets = roleStatements(template, 'PollingDispatcherRole').filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect(dispatcherSecrets.map((s) => s.Resource)).toEqual(['arn:aws:secretsmanager:eu-west-1:111111111111:secret:postroom/mail-servers/*']);
    expect(dispatcher.some((a: string) => a.startsWith('s3:'))).toBe(false);
  });

  it('alarms on failing servers (the dispatcher gauge), dead-lettered jobs and ticks, and dispatcher errors', () => {
    expect(polling.alarms.alarms).toHaveLength(4);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Postroom',
      MetricName: 'MailServersFailing',
      Dimensions: [{ Name: 'Service', Value: 'mailbox-dispatcher' }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    for (const dlq of [ids.jobsDlq, ids.ticksDlq]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
        Threshold: 1,
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.dispatcher } }] });
  });
});
