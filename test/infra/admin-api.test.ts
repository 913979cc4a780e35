import { Template, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/environment.ts';
import { AdminApi } from '../../lib/constructs/admin-api.ts';
import { InteractionTables } from '../../lib/constructs/interaction-tables.ts';
import { MailStore } from '../../lib/constructs/mail-store.ts';
import { newStack, resourcesOf, roleStatements } from './app-fixture.ts';

/** The DynamoDB actions `statements` allow, by resource (JSON of the ARN expression), each list sorted. */
function dynamoActionsByResource(statements: any[]): Record<string, string[]> {
  const byResource: Record<string, Set<string>> = {};
  for (const s of statements) {
    const actions = ([s.Action].flat() as string[]).filter((a) => a.startsWith('dynamodb:'));
    if (actions.length === 0) continue;
    for (const r of [s.Resource].flat()) for (const a of actions) (byResource[JSON.stringify(r)] ??= new Set()).add(a);
  }
  return Object.fromEntries(Object.entries(byResource).map(([r, a]) => [r, [...a].sort()]));
}

describe('AdminApi', () => {
  let template: Template;
  let accessLogsId: string;
  let bucketId: string;
  let configTableId: string;
  let interactionsTableId: string;
  let queuesTableId: string;

  beforeAll(() => {
    const stack = newStack();
    const tables = new InteractionTables(stack, 'Tables', { defaultQueueId: 'default' });
    const mailStore = new MailStore(stack, 'MailStore');
    bucketId = stack.getLogicalId(mailStore.bucket.node.defaultChild as never);
    configTableId = stack.getLogicalId(tables.config.node.defaultChild as never);
    interactionsTableId = stack.getLogicalId(tables.interactions.node.defaultChild as never);
    queuesTableId = stack.getLogicalId(tables.queues.node.defaultChild as never);
    const api = new AdminApi(stack, 'AdminApi', { tables, mailStore });
    template = Template.fromStack(stack);
    accessLogsId = stack.getLogicalId(api.accessLogs.node.defaultChild as never);
  });

  it('requires IAM authorization on every route but the OAuth2 callback, a browser redirect guarded by its state', () => {
    const routes = resourcesOf(template, 'AWS::ApiGatewayV2::Route');
    expect(routes.map(([, r]) => r.Properties.RouteKey)).toEqual(['ANY /{proxy+}', 'GET /oauth2/callback', 'ANY /flows', 'ANY /flows/{proxy+}', 'ANY /domains', 'ANY /domains/{proxy+}', 'ANY /servers', 'ANY /servers/{proxy+}', 'ANY /smtp-integrations', 'ANY /smtp-integrations/{proxy+}', 'ANY /users', 'ANY /users/{proxy+}']);
    for (const [, route] of routes) expect(route.Properties.AuthorizationType).toBe(route.Properties.RouteKey === 'GET /oauth2/callback' ? 'NONE' : 'AWS_IAM');
  });

  it('serves the OAuth2 callback by the admin function (it holds the mail server secrets), which knows its URL as the redirect URI', () => {
    const [, callback] = resourcesOf(template, 'AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === 'GET /oauth2/callback')!;
    const [, servers] = resourcesOf(template, 'AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === 'ANY /servers/{proxy+}')!;
    expect(callback.Properties.Target).toEqual(servers.Properties.Target);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Postroom API: flows (RE2 pattern validation)',
      Environment: { Variables: Match.objectLike({ [ENV.oauth2RedirectUri]: { 'Fn::Join': ['', [Match.anyValue(), Match.stringLikeRegexp('/oauth2/callback$')]] } }) },
    });
  });

  it('serves the SMTP integrations by the admin function, with the mail server registry whose wiring they share', () => {
    const routes = resourcesOf(template, 'AWS::ApiGatewayV2::Route');
    const target = (key: string) => routes.find(([, r]) => r.Properties.RouteKey === key)![1].Properties.Target;
    expect(target('ANY /smtp-integrations')).toEqual(target('ANY /servers'));
    expect(target('ANY /smtp-integrations/{proxy+}')).toEqual(target('ANY /servers'));
    expect(target('ANY /smtp-integrations')).not.toEqual(target('ANY /{proxy+}'));
  });

  it('proxies to the API function with payload format 2.0', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 10,
      MemorySize: 256,
      Environment: { Variables: Match.objectLike({ [ENV.interactionsTable]: Match.anyValue(), [ENV.queuesTable]: Match.anyValue(), [ENV.contentDelivery]: 'presign' }) },
    });
  });

  it('writes JSON access logs to its own log group and throttles the stage', () => {
    const [, stage] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage')[0]!;
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [accessLogsId, 'Arn'] } },
    });
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 90 }, DeletionPolicy: 'Retain' });
  });

  it('gives the function item access to the tables (agents claim, admins configure), object reads of inbound/* and parts/*, and nothing more', () => {
    const statements = roleStatements(template, 'AdminApiHandlerRole');
    const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
    const s3 = statements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith('s3:')));
    expect(s3.map((s) => [s.Action].flat())).toEqual([['s3:GetObject']]);
    expect(s3.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r))).toEqual([
      JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/inbound/*']] }),
      JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/parts/*']] }),
    ]);
    expect(actions.filter((a) => !a.startsWith('logs:') && !a.startsWith('s3:') && !a.startsWith('dynamodb:'))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('logs:'))).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  it('gives the API function exactly what its stores call on each table: no Scan of interactions, no batch writes, deletes where used', () => {
    // Prepare: the actions the role may use on each table and on the byBucket index
    const allowed = dynamoActionsByResource(roleStatements(template, 'AdminApiHandlerRole'));
    const table = (id: string) => JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] });
    const index = JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [interactionsTableId, 'Arn'] }, '/index/byBucket']] });

    // Assess
    expect(Object.keys(allowed).sort()).toEqual([table(interactionsTableId), index, table(queuesTableId), table(configTableId)].sort());
    expect(allowed[table(interactionsTableId)]).toEqual(['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(allowed[index]).toEqual(['dynamodb:Query']);
    expect(allowed[table(queuesTableId)]).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:UpdateItem']);
    expect(allowed[table(configTableId)]).toEqual(['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:UpdateItem']);
    const everywhere = Object.values(allowed).flat();
    expect(everywhere.filter((a) => /BatchWriteItem|Transact|PartiQL|ExecuteStatement|DescribeTable|ConditionCheckItem|\*/.test(a))).toEqual([]);
    expect(allowed[table(interactionsTableId)]).not.toContain('dynamodb:Scan');
    expect(allowed[index]).not.toContain('dynamodb:Scan');
  });

  it('sends /flows to the flow function, which may use the config table and the mail server secrets and nothing else', () => {
    // Prepare: which function each route's integration invokes
    const integrations = Object.fromEntries(
      resourcesOf(template, 'AWS::ApiGatewayV2::Integration').map(([id, i]) => [id, JSON.stringify(i.Properties.IntegrationUri)]),
    );
    const targetOf = (key: string) => {
      const [, route] = resourcesOf(template, 'AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === key)!;
      const integrationId = (route.Properties.Target['Fn::Join'][1] as unknown[]).find((p) => typeof p === 'object') as { Ref: string };
      return integrations[integrationId.Ref]!;
    };

    // Assess
    expect(targetOf('ANY /flows')).toMatch(/AdminApiFlowHandler/);
    expect(targetOf('ANY /flows/{proxy+}')).toMatch(/AdminApiFlowHandler/);
    expect(targetOf('ANY /{proxy+}')).toMatch(/AdminApiHandler(?!.*Flow)/);
    const statements = roleStatements(template, 'AdminApiFlowHandlerRole');
    const dynamo = statements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith('dynamodb:')));
    const resources = dynamo.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r));
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) expect(r).toContain(configTableId);
    const other = (a: unknown) => !['dynamodb:', 'logs:', 'secretsmanager:'].some((p) => String(a).startsWith(p));
    expect(statements.flatMap((s) => [s.Action].flat()).filter(other)).toEqual([]);
  });

  it('lets the admin function use only the mail server secrets in Secrets Manager, and not the agent function', () => {
    const secrets = (role: string) => roleStatements(template, role).filter((s) => [s.Action].flat().some((a) => String(a).startsWith('secretsmanager:')));

    const [statement, ...more] = secrets('AdminApiFlowHandlerRole');

    expect(more).toEqual([]);
    expect([statement!.Action].flat().sort()).toEqual([
      'secretsmanager:CreateSecret',
      'secretsmanager:DeleteSecret',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'secretsmanager:TagResource',
    ]);
    expect(JSON.stringify(statement!.Resource)).toMatch(/:secretsmanager:.*:secret:postroom\/mail-servers\/\*"/);
    expect(secrets('AdminApiHandlerRole')).toEqual([]);
  });
});
