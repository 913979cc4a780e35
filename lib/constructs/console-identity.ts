/**
 * Who may sign in to the console (issue 12 item 1): an Amazon Cognito user pool with the three role
 * groups, its hosted sign-in domain and the console's public app client (authorization code + PKCE).
 */
import { Aws, Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClientIdentityProvider,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ACCESS_TOKEN_TTL_SECONDS, CONSOLE_PASSWORD_POLICY as POLICY, ROLES, type ConsoleAuthConfig } from '../../contract/console.ts';
import { ENV } from '../../contract/environment.ts';
import type { IPostroomFunction } from './postroom-function.ts';

/**
 * What the users routes (lambdas/adapters: the Cognito user directory) call on the pool, and
 * nothing else: create and invite, read, list, change the role group, enable and disable, delete,
 * set a password an admin chose. No Admin*Auth*, no AdminUpdateUserAttributes.
 */
export const USER_MANAGEMENT_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:ListUsers',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminDeleteUser',
  'cognito-idp:AdminSetUserPassword',
] as const;

/** The console's OAuth scopes: who signed in (openid), their e-mail and name; no Cognito admin scope. */
export const CONSOLE_SCOPES = [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE] as const;

/**
 * Token lifetimes. Access and ID tokens live as long as the local issuer's (contract/console.ts), so
 * a role removed by an admin stops working within the hour everywhere; the refresh token keeps an
 * agent signed in over a month of shifts, and token revocation ends it at sign-out.
 */
export const CONSOLE_TOKEN_VALIDITY = {
  accessToken: Duration.seconds(ACCESS_TOKEN_TTL_SECONDS),
  idToken: Duration.seconds(ACCESS_TOKEN_TTL_SECONDS),
  refreshToken: Duration.days(30),
} as const;

/**
 * The password policy: long, mixed, and a temporary password an invited user must change within a
 * few days. The numbers are contract/console.ts CONSOLE_PASSWORD_POLICY, which the local sign-in
 * enforces too.
 */
export const CONSOLE_PASSWORD_POLICY = {
  minLength: POLICY.minLength,
  requireLowercase: POLICY.requireLowercase,
  requireUppercase: POLICY.requireUppercase,
  requireDigits: POLICY.requireDigits,
  requireSymbols: POLICY.requireSymbols,
  tempPasswordValidity: Duration.days(POLICY.temporaryPasswordValidityDays),
} as const;

/** The hosted sign-in domain and what happens to the pool when the stack is deleted. */
export interface ConsoleIdentityProps {
  /**
   * The hosted sign-in domain's prefix (`<prefix>.auth.<region>.amazoncognito.com`): lowercase
   * letters, digits and hyphens, unique in the region across all AWS accounts.
   * @default 'postroom-' and the first 8 hex digits of the stack's id (unique per deployed stack)
   */
  readonly domainPrefix?: string;
  /** What happens to the pool (the users) on stack deletion. @default RemovalPolicy.RETAIN, with deletion protection on */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A Cognito user pool for the console's users: no self sign-up (an admin creates each user, who is
 * invited by e-mail with a temporary password), sign-in by username (an agent's id is its username),
 * e-mail as the contact and for account recovery, the {@link CONSOLE_PASSWORD_POLICY}, optional TOTP
 * MFA, the Plus feature plan with threat protection enforced, deletion protection and RETAIN. Groups
 * `admin`, `supervisor`, `agent` (the roles of contract/console.ts). The hosted UI domain (classic
 * hosted UI). {@link addConsoleClient} adds the console's public app client once its URL is known.
 */
export class ConsoleIdentity extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  private client?: UserPoolClient;

  constructor(scope: Construct, id: string, props: ConsoleIdentityProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: false, mutable: true } },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: 'Your Postroom console account',
        emailBody: 'You can now sign in to the Postroom console as {username} with the temporary password {####}. You will choose your own password at the first sign-in.',
      },
      passwordPolicy: CONSOLE_PASSWORD_POLICY,
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason: 'MFA is optional by design (issue 12): every user may enrol a TOTP app; requiring it would lock out agents on shared desk phones, and threat protection (Plus plan) guards password sign-ins.',
    });
    ROLES.forEach((role, precedence) => {
      // Precedence: the strongest role first (admin 0), which is also how roleFromGroups picks.
      this.userPool.addGroup(`${role[0]!.toUpperCase()}${role.slice(1)}Group`, {
        groupName: role,
        description: `Postroom ${role}s`,
        precedence: ROLES.length - 1 - precedence,
      });
    });
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix ?? defaultDomainPrefix() } });
  }

  /**
   * Adds the console's app client: public (no secret), authorization code grant only (the console
   * sends PKCE S256), scopes openid email profile, callback and sign-out URL `consoleUrl`, tokens per
   * {@link CONSOLE_TOKEN_VALIDITY}, no direct password flows (only the hosted UI signs in; refresh
   * allowed), user existence errors prevented, token revocation on. Call once.
   * @param consoleUrl the console's origin with a trailing slash, e.g. `https://d111.cloudfront.net/`
   */
  addConsoleClient(consoleUrl: string): UserPoolClient {
    if (this.client) throw new Error(`${this.node.path} already has its console client`);
    this.client = this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: { user: false, userPassword: false, userSrp: false, custom: false, adminUserPassword: false },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [...CONSOLE_SCOPES],
        callbackUrls: [consoleUrl],
        logoutUrls: [consoleUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      accessTokenValidity: CONSOLE_TOKEN_VALIDITY.accessToken,
      idTokenValidity: CONSOLE_TOKEN_VALIDITY.idToken,
      refreshTokenValidity: CONSOLE_TOKEN_VALIDITY.refreshToken,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });
    return this.client;
  }

  /** The console's app client. @throws Error before {@link addConsoleClient} */
  get consoleClient(): UserPoolClient {
    if (!this.client) throw new Error(`${this.node.path} has no console client yet: call addConsoleClient(consoleUrl) first`);
    return this.client;
  }

  /** The token issuer (`iss` of the pool's tokens); its JWKS is `<issuer>/.well-known/jwks.json`. */
  get issuer(): string {
    return `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/${this.userPool.userPoolId}`;
  }

  /** The hosted UI's base URL, `https://<prefix>.auth.<region>.amazoncognito.com` (no trailing slash). */
  get hostedUiUrl(): string {
    return this.domain.baseUrl();
  }

  /** The console's app client id (the JWT audience: `client_id` of its access tokens). */
  get clientId(): string {
    return this.consoleClient.userPoolClientId;
  }

  /** The console's sign-in settings for its config.json (contract/console.ts ConsoleAuthConfig). */
  get authConfig(): ConsoleAuthConfig {
    return {
      issuer: this.issuer,
      authorizeUrl: `${this.hostedUiUrl}/oauth2/authorize`,
      tokenUrl: `${this.hostedUiUrl}/oauth2/token`,
      logoutUrl: `${this.hostedUiUrl}/logout`,
      clientId: this.clientId,
      scopes: CONSOLE_SCOPES.map((s) => s.scopeName),
    };
  }

  /** Lets `grantee` manage the pool's users ({@link USER_MANAGEMENT_ACTIONS} on this pool only). */
  grantManageUsers(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: [...USER_MANAGEMENT_ACTIONS], resourceArns: [this.userPool.userPoolArn] });
  }

  /** Gives `fn` what verifying the console's tokens needs: the issuer and the client id (ENV.authIssuer, ENV.authClientId). */
  bindTokenVerification(fn: IPostroomFunction): void {
    fn.addEnvironment(ENV.authIssuer, this.issuer);
    fn.addEnvironment(ENV.authClientId, this.clientId);
  }

  /** Lets `fn` serve the users routes: the pool's id (ENV.userPoolId) and {@link grantManageUsers}. */
  bindUserManagement(fn: IPostroomFunction): Grant {
    fn.addEnvironment(ENV.userPoolId, this.userPool.userPoolId);
    return this.grantManageUsers(fn);
  }

}

/**
 * `postroom-` and the first 8 hex digits of the stack's UUID: hosted UI prefixes are unique per
 * region across all AWS accounts, so a fixed prefix would collide between customers, while the
 * stack's id stays the same across updates of one deployment.
 */
function defaultDomainPrefix(): string {
  const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  return Fn.join('-', ['postroom', Fn.select(0, Fn.split('-', stackUuid))]);
}
