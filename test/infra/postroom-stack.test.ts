import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/environment.ts';
import { API_URL_OUTPUT, type PostroomStack } from '../../lib/postroom-stack.ts';
import { WHOLE_STACK_TIMEOUT_MS, newPostroomStack, resourcesOf } from './app-fixture.ts';

describe('PostroomStack', () => {
  let stack: PostroomStack;
  let template: Template;

  beforeAll(() => {
    stack = newPostroomStack({
      defaultQueueId: 'triage',
      defaultPriority: 2,
      logRetention: RetentionDays.ONE_MONTH,
      inboundTlsPolicy: TlsPolicy.REQUIRE,
      returnPathDomain: 'bounces.support.example.com',
    });
    template = Template.fromStack(stack);
  }, WHOLE_STACK_TIMEOUT_MS);

  it('exposes the outputs the CLI and operators read, under their exact names', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(
      [API_URL_OUTPUT, 'ConsoleUrl', 'DeadLetterQueueUrl', 'HostedUiUrl', 'InboundQueueUrl', 'MailBucketName', 'ReceiptRuleSetName', 'UserPoolId'].sort(),
    );
    expect(API_URL_OUTPUT).toBe('ApiUrl');
    expect(JSON.stringify(outputs.ApiUrl!.Value)).toContain('ApiEndpoint');
    expect(JSON.stringify(outputs.ConsoleUrl!.Value)).toMatch(/"https:\/\/",\{"Fn::GetAtt":\["ConsoleHostingDistribution\w+","DomainName"\]\},"\/"/);
    expect(outputs.UserPoolId!.Value).toEqual({ Ref: stack.getLogicalId(stack.console.identity.userPool.node.defaultChild as never) });
    expect(JSON.stringify(outputs.HostedUiUrl!.Value)).toMatch(/\.auth\..*amazoncognito\.com/);
  });

  it('feeds the routing function from the inbound queue, with a visibility timeout 6x its timeout plus the window', () => {
    const queueId = stack.getLogicalId(stack.inbound.queue.node.defaultChild as never);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    const [, queue] = resourcesOf(template, 'AWS::SQS::Queue').find(([id]) => id === queueId)!;
    expect(queue.Properties.VisibilityTimeout).toBe(6 * 60 + 2);
  });

  it('passes the deployment settings through to the rule, the routing environment and the log groups', () => {
    template.hasResourceProperties('Custom::PostroomReceiptRule', { TlsPolicy: 'Require', ScanEnabled: 'true', BucketName: Match.anyValue() });
    const [, routing] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('RoutingHandler'))!;
    expect(routing.Properties.Environment.Variables).toMatchObject({ [ENV.defaultQueueId]: 'triage', [ENV.defaultPriority]: '2' });
    // Every log group (routing, reconciler, API, flow API, dead-letter recorder, API access log, the rule set activation and its
    // provider, the receipt rule and its provider, the declared domains and their provider, the domain check, the SES feedback,
    // the console API's access log, the console upload), including the one of the Lambda that runs the stack's AwsCustomResources.
    const retentions = resourcesOf(template, 'AWS::Logs::LogGroup').map(([, g]) => g.Properties.RetentionInDays);
    expect(retentions).toEqual(Array.from({ length: 20 }, () => 30));
    const [, activationProvider] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('InboundActivationProviderframework'))!;
    const [activationLogs] = resourcesOf(template, 'AWS::Logs::LogGroup').find(([id]) => id.startsWith('InboundActivationProviderLogs'))!;
    expect(activationProvider.Properties.LoggingConfig).toMatchObject({ LogGroup: { Ref: activationLogs } });
    const [, provider] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'))!;
    const [providerLogs] = resourcesOf(template, 'AWS::Logs::LogGroup').find(([id]) => id.startsWith('SdkCallProviderLogs'))!;
    expect(provider.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: providerLogs } });
  });

  it('records dead letters from the inbound DLQ, lets the API redrive them, and alarms on the inbound path', () => {
    const dlqId = stack.getLogicalId(stack.inbound.deadLetterQueue.node.defaultChild as never);
    const inboundId = stack.getLogicalId(stack.inbound.queue.node.defaultChild as never);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: { 'Fn::GetAtt': [dlqId, 'Arn'] } });
    const [, api] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('AdminApiHandler'))!;
    expect(api.Properties.Environment.Variables[ENV.inboundQueueUrl]).toEqual({ Ref: inboundId });
    // the inbound alarms, the domain check's, mailbox polling's, the SES feedback DLQ's and the outbound DLQ's
    expect(resourcesOf(template, 'AWS::CloudWatch::Alarm')).toHaveLength(13);
    // saving a mail server polls it at once: the admin API (the /servers routes) may enqueue a poll job
    const [, admin] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('AdminApiFlowHandler'))!;
    expect(admin.Properties.Environment.Variables[ENV.pollJobQueueUrl]).toEqual({ Ref: stack.getLogicalId(stack.mailboxPolling.jobQueue.node.defaultChild as never) });
    // no alarm target given: alarms without actions, no topic of their own
    expect(stack.alarms.topic).toBeUndefined();
  });

  it('gives the bounce domain to the sender and to routing (ingest reads the VERP bounces)', () => {
    const env = (prefix: string) => resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith(prefix))![1].Properties.Environment.Variables;
    expect(env('OutboundHandler')[ENV.returnPathDomain]).toBe('bounces.support.example.com');
    expect(env('RoutingHandler')[ENV.returnPathDomain]).toBe('bounces.support.example.com');
  });

  it('wires sending into the agent API and the resumption of held sends into the admin API', () => {
    const env = (prefix: string) => resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith(prefix))![1].Properties.Environment.Variables;
    const ref = (c: { node: { defaultChild?: unknown } }) => ({ Ref: stack.getLogicalId(c.node.defaultChild as never) });
    const queue = ref(stack.outbound.queue);
    // api-deps.ts serves /send, /uploads, /interactions/:id/reply and /outbox when both are set
    expect(env('AdminApiHandler')).toMatchObject({ [ENV.mailBucket]: ref(stack.mailStore.bucket as never), [ENV.outboundQueueUrl]: queue });
    expect(env('AdminApiFlowHandler')[ENV.outboundQueueUrl]).toEqual(queue);
    const statements = (prefix: string) => resourcesOf(template, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref.startsWith(prefix)))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const actions = (prefix: string) => new Set(statements(prefix).flatMap((s) => [s.Action].flat()));
    // The sending routes read domains and SMTP servers (config table) and write outbox records (interactions table).
    const config = { 'Fn::GetAtt': [stack.getLogicalId(stack.tables.config.node.defaultChild as never), 'Arn'] };
    const onConfig = statements('AdminApiHandlerRole').filter((s) => JSON.stringify(s.Resource).includes(JSON.stringify(config)));
    expect(onConfig.flatMap((s) => [s.Action].flat())).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:PutItem']));
    expect([...actions('AdminApiHandlerRole')]).toEqual(expect.arrayContaining(['s3:PutObject', 'sqs:SendMessage']));
    expect([...actions('AdminApiFlowHandlerRole')]).toEqual(expect.arrayContaining(['sqs:SendMessage', 'dynamodb:Query', 'dynamodb:UpdateItem']));
  });

  it('binds domain management to the admin Lambda and the recipient sync to it and the domain check', () => {
    const [, admin] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('AdminApiFlowHandler'))!;
    expect(Object.keys(admin.Properties.Environment.Variables)).toEqual(
      expect.arrayContaining([ENV.maxDomains, ENV.sesConfigurationSet, ENV.receiptRuleSet, ENV.receiptRule, ENV.configTable]),
    );
    expect(admin.Properties.Environment.Variables[ENV.maxDomains]).toBe('2');
    const [, check] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('DomainCheckHandler'))!;
    expect(Object.keys(check.Properties.Environment.Variables)).toEqual(expect.arrayContaining([ENV.receiptRuleSet, ENV.receiptRule, ENV.eventBus]));
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)', Description: 'Runs the Postroom domain check' });
  });

  it('creates the declared domains after the receipt rule, with the rights of domain management', () => {
    const [[, declared]] = resourcesOf(template, 'Custom::PostroomDeclaredDomains') as [[string, { Properties: Record<string, unknown>; DependsOn: string[] }]];
    expect(JSON.parse(declared.Properties.Domains as string)).toEqual([{ name: 'support.example.com' }, { name: 'help.example.org' }]);
    expect(declared.DependsOn).toEqual(expect.arrayContaining([stack.getLogicalId(stack.inbound.rule.resource.node.defaultChild as never)]));
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('DeclaredDomainsHandler'))!;
    expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(
      expect.arrayContaining([ENV.maxDomains, ENV.sesConfigurationSet, ENV.configTable, ENV.receiptRuleSet, ENV.receiptRule]),
    );
  });

  it('serves the console with the console API on its origin, the same two functions behind it, and writes its config.json', () => {
    // Prepare
    const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    const consoleApiId = id(stack.console.api.api);
    const [, distribution] = resourcesOf(template, 'AWS::CloudFront::Distribution')[0]!;
    const config = distribution.Properties.DistributionConfig;
    // Assess: /api/* goes to the console API (not the IAM API), uncached
    const [api] = config.CacheBehaviors;
    expect(api.PathPattern).toBe('/api/*');
    const apiOrigin = config.Origins.find((o: { Id: string }) => o.Id === api.TargetOriginId);
    expect(JSON.stringify(apiOrigin.DomainName)).toContain(consoleApiId);
    expect(JSON.stringify(apiOrigin.DomainName)).not.toContain(id(stack.adminApi.api));
    // the same Lambdas serve both APIs: every console API integration targets one of the IAM API's functions
    const targets = resourcesOf(template, 'AWS::ApiGatewayV2::Integration').filter(([, i]) => i.Properties.ApiId.Ref === consoleApiId).map(([, i]) => JSON.stringify(i.Properties.IntegrationUri));
    expect(targets.length).toBe(2);
    expect(targets.some((t) => t.includes(id(stack.adminApi.handler.function)))).toBe(true);
    expect(targets.some((t) => t.includes(id(stack.adminApi.flowHandler.function)))).toBe(true);
    // the functions verify the console's tokens; only the admin function manages users
    const env = (prefix: string) => resourcesOf(template, 'AWS::Lambda::Function').find(([fid]) => fid.startsWith(prefix))![1].Properties.Environment.Variables;
    expect(env('AdminApiHandler')[ENV.authClientId]).toEqual({ Ref: id(stack.console.identity.consoleClient) });
    expect(Object.keys(env('AdminApiHandler'))).not.toContain(ENV.userPoolId);
    expect(env('AdminApiFlowHandler')[ENV.userPoolId]).toEqual({ Ref: id(stack.console.identity.userPool) });
    // config.json: apiUrl on the console's origin, the client id and the hosted UI
    const [, deployment] = resourcesOf(template, 'Custom::CDKBucketDeployment')[0]!;
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    expect(markers).toContain(id(stack.console.identity.consoleClient));
    expect(markers).toContain('DomainName');
    // the mail bucket admits the console's origin for uploads
    const [, cors] = resourcesOf(template, 'Custom::AWS').find(([cid]) => cid.startsWith('MailStoreBrowserCors'))!;
    expect(JSON.stringify(cors.Properties.Create)).toContain(id(stack.console.hosting.distribution));
  });

  it('uses CDK-generated physical names only, so two stacks can live side by side', () => {
    const nameKeys = ['TableName', 'BucketName', 'QueueName', 'TopicName', 'FunctionName', 'RoleName', 'LogGroupName', 'ApiName'];
    const resources = template.toJSON().Resources as Record<string, { Properties?: Record<string, unknown> }>;
    // A literal string is a fixed name; references to CDK-named resources are fine.
    const named = Object.entries(resources).filter(([, r]) => nameKeys.some((k) => typeof r.Properties?.[k] === 'string'));
    expect(named.map(([id]) => id)).toEqual([]);
  });
});
