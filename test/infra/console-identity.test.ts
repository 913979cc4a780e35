import { Template, Match } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/environment.ts';
import { ConsoleIdentity, USER_MANAGEMENT_ACTIONS } from '../../lib/constructs/console-identity.ts';
import { PostroomFunction, handlerEntry } from '../../lib/constructs/postroom-function.ts';
import { newStack, resourcesOf, roleStatements } from './app-fixture.ts';

const CONSOLE_URL = 'https://console.example.net/';

describe('ConsoleIdentity', () => {
  let template: Template;
  let poolId: string;
  let identity: ConsoleIdentity;

  beforeAll(() => {
    const stack = newStack();
    identity = new ConsoleIdentity(stack, 'Identity');
    identity.addConsoleClient(CONSOLE_URL);
    identity.grantManageUsers(new Role(stack, 'UserAdmin', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }));
    template = Template.fromStack(stack);
    poolId = stack.getLogicalId(identity.userPool.node.defaultChild as never);
  });

  it('lets only admins create users, who are invited with a temporary password and sign in by username', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true, InviteMessageTemplate: Match.objectLike({ EmailMessage: Match.stringLikeRegexp('\\{username\\}.*\\{####\\}') }) }),
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
    const [, pool] = resourcesOf(template, 'AWS::Cognito::UserPool')[0]!;
    expect(pool.Properties.AliasAttributes).toBeUndefined();
    expect(pool.Properties.UsernameAttributes).toBeUndefined();
  });

  it('asks for strong passwords, offers TOTP as a second factor and enforces threat protection (Plus plan)', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 3 } },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('keeps the users when the stack goes: deletion protection and RETAIN', () => {
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }) });
  });

  it('has exactly the three role groups, the strongest first', () => {
    const groups = resourcesOf(template, 'AWS::Cognito::UserPoolGroup').map(([, g]) => [g.Properties.GroupName, g.Properties.Precedence]);
    expect(groups.sort()).toEqual([['admin', 0], ['agent', 2], ['supervisor', 1]]);
  });

  it('names the hosted UI domain after the stack id, not a fixed name two stacks would share', () => {
    const [, domain] = resourcesOf(template, 'AWS::Cognito::UserPoolDomain')[0]!;
    expect(JSON.stringify(domain.Properties.Domain)).toContain('AWS::StackId');
    expect(domain.Properties.Domain['Fn::Join'][1][0]).toBe('postroom');
  });

  it('takes a hosted UI prefix from its props', () => {
    const stack = newStack();
    new ConsoleIdentity(stack, 'Identity', { domainPrefix: 'acme-support' });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-support' });
  });

  it('gives the console a public client: code grant only, PKCE-capable, no secret, its URL as callback and sign-out', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: { Ref: poolId },
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [CONSOLE_URL],
      LogoutURLs: [CONSOLE_URL],
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 30 * 24 * 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
    const [, client] = resourcesOf(template, 'AWS::Cognito::UserPoolClient')[0]!;
    expect(client.Properties.GenerateSecret).not.toBe(true);
  });

  it('describes the sign-in for config.json: the pool issuer and the hosted UI endpoints', () => {
    const stack = identity.userPool.stack;
    const auth = stack.resolve(identity.authConfig) as Record<string, unknown>;
    expect(JSON.stringify(auth.issuer)).toMatch(/https:\/\/cognito-idp\..*AWS::Region.*AWS::URLSuffix/);
    expect(JSON.stringify(auth.issuer)).toContain(poolId);
    expect(JSON.stringify(auth.authorizeUrl)).toMatch(/\.auth\..*amazoncognito\.com\/oauth2\/authorize"/);
    expect(JSON.stringify(auth.tokenUrl)).toMatch(/\/oauth2\/token"/);
    expect(JSON.stringify(auth.logoutUrl)).toMatch(/\/logout"/);
    expect(auth.scopes).toEqual(['openid', 'email', 'profile']);
  });

  it('grants user management as exactly the Admin*/ListUsers actions, on this pool only', () => {
    const [statement, ...more] = roleStatements(template, 'UserAdmin');
    expect(more).toEqual([]);
    expect([statement.Action].flat().sort()).toEqual([...USER_MANAGEMENT_ACTIONS].sort());
    for (const action of [statement.Action].flat() as string[]) expect(action).toMatch(/^cognito-idp:(Admin\w+|ListUsers)$/);
    expect(statement.Resource).toEqual({ 'Fn::GetAtt': [poolId, 'Arn'] });
  });

  it('binds token verification and user management through the function environment, once each', () => {
    // Prepare
    const stack = newStack();
    const bound = new ConsoleIdentity(stack, 'Identity');
    bound.addConsoleClient(CONSOLE_URL);
    const fn = new PostroomFunction(stack, 'Fn', { entry: handlerEntry('api'), description: 'test' });
    // Act
    bound.bindTokenVerification(fn);
    bound.bindUserManagement(fn);
    // Assess
    const vars = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    const env = Object.values(vars)[0]!.Properties.Environment.Variables as Record<string, unknown>;
    expect(Object.keys(env)).toEqual(expect.arrayContaining([ENV.authIssuer, ENV.authClientId, ENV.userPoolId]));
    expect(env[ENV.authClientId]).toEqual({ Ref: stack.getLogicalId(bound.consoleClient.node.defaultChild as never) });
    expect(() => new ConsoleIdentity(newStack(), 'Bare').clientId).toThrow(/addConsoleClient/);
  });
});
