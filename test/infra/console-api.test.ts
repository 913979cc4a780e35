import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/environment.ts';
import { AdminApi } from '../../lib/constructs/admin-api.ts';
import { ConsoleApi } from '../../lib/constructs/console-api.ts';
import { ConsoleIdentity } from '../../lib/constructs/console-identity.ts';
import { InteractionTables } from '../../lib/constructs/interaction-tables.ts';
import { MailStore } from '../../lib/constructs/mail-store.ts';
import { newStack, resourcesOf, roleStatements } from './app-fixture.ts';

describe('ConsoleApi', () => {
  let template: Template;
  let consoleApiId: string;
  let poolId: string;
  let clientId: string;
  let ids: { handler: string; flowHandler: string };

  beforeAll(() => {
    const stack = newStack();
    const tables = new InteractionTables(stack, 'Tables', { defaultQueueId: 'default' });
    const adminApi = new AdminApi(stack, 'AdminApi', { tables, mailStore: new MailStore(stack, 'MailStore') });
    const identity = new ConsoleIdentity(stack, 'Identity');
    identity.addConsoleClient('https://console.example.net/');
    const consoleApi = new ConsoleApi(stack, 'ConsoleApi', { identity, handler: adminApi.handler, flowHandler: adminApi.flowHandler });
    template = Template.fromStack(stack);
    const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    consoleApiId = id(consoleApi.api);
    poolId = id(identity.userPool);
    clientId = id(identity.consoleClient);
    ids = { handler: id(adminApi.handler.function), flowHandler: id(adminApi.flowHandler.function) };
  });

  const routes = () => resourcesOf(template, 'AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.ApiId.Ref === consoleApiId);
  const functionOf = (route: { Properties: Record<string, any> }) => {
    const integrationId = (route.Properties.Target['Fn::Join'][1] as unknown[]).find((p) => typeof p === 'object') as { Ref: string };
    const [, integration] = resourcesOf(template, 'AWS::ApiGatewayV2::Integration').find(([iid]) => iid === integrationId.Ref)!;
    return JSON.stringify(integration.Properties.IntegrationUri).includes(ids.flowHandler) ? 'flowHandler' : 'handler';
  };

  it("accepts only the console client's access tokens from the pool: a JWT authorizer on every route", () => {
    const [[authorizerId, authorizer]] = resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer').filter(([, a]) => a.Properties.ApiId.Ref === consoleApiId) as [[string, { Properties: Record<string, any> }]];
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: clientId }] },
    });
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toMatch(new RegExp(`cognito-idp.*${poolId}`));
    expect(routes().length).toBeGreaterThan(0);
    for (const [, route] of routes()) expect(route.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
  });

  it('splits the paths as the IAM API does: the admin paths (users included) to the admin function, the rest to the API function', () => {
    const byKey = Object.fromEntries(routes().map(([, r]) => [r.Properties.RouteKey, functionOf(r)]));
    expect(byKey).toEqual({
      'ANY /{proxy+}': 'handler',
      ...Object.fromEntries(['/flows', '/domains', '/servers', '/smtp-integrations', '/users'].flatMap((p) => [[`ANY ${p}`, 'flowHandler'], [`ANY ${p}/{proxy+}`, 'flowHandler']])),
    });
    // no OAuth2 callback here: the consent redirect stays on the IAM API
    expect(Object.keys(byKey)).not.toContain('GET /oauth2/callback');
  });

  it('has no CORS configuration: the console calls it on its own origin, so no other origin is allowed', () => {
    const [, api] = resourcesOf(template, 'AWS::ApiGatewayV2::Api').find(([aid]) => aid === consoleApiId)!;
    expect(api.Properties.CorsConfiguration).toBeUndefined();
  });

  it('throttles and logs as the IAM API, with the caller of the token in each line', () => {
    const [, stage] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage').find(([, s]) => s.Properties.ApiId.Ref === consoleApiId)!;
    expect(stage.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true, DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } });
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status', username: '$context.authorizer.claims.username' });
  });

  it('gives both functions the issuer and client id to verify tokens with, and only the admin function the pool and user management', () => {
    const env = (id: string) => resourcesOf(template, 'AWS::Lambda::Function').find(([fid]) => fid === id)![1].Properties.Environment.Variables as Record<string, unknown>;
    for (const id of [ids.handler, ids.flowHandler]) {
      expect(env(id)[ENV.authClientId]).toEqual({ Ref: clientId });
      expect(JSON.stringify(env(id)[ENV.authIssuer])).toContain(poolId);
    }
    expect(env(ids.flowHandler)[ENV.userPoolId]).toEqual({ Ref: poolId });
    expect(env(ids.handler)[ENV.userPoolId]).toBeUndefined();
    const cognito = (role: string) => roleStatements(template, role).filter((s) => [s.Action].flat().some((a) => String(a).startsWith('cognito-idp:')));
    expect(cognito('AdminApiHandlerRole')).toEqual([]);
    expect(cognito('AdminApiFlowHandlerRole').flatMap((s) => [s.Resource].flat())).toEqual([{ 'Fn::GetAtt': [poolId, 'Arn'] }]);
  });
});
