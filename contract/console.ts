/**
 * What the console, the API, the local sign-in and the CDK stack agree on (issue 12): the access
 * token's claims, the console's runtime configuration (`config.json` beside its assets) and the local
 * issuer's endpoints. Deployed, Amazon Cognito issues the tokens; locally the runtime's own issuer
 * (lambdas/local) issues tokens of the very same shape, verified by the very same code.
 */

/** The roles, weakest first; each includes what the ones before it may do (see lambdas/core/access). */
export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The claims Postroom reads from a verified access token. These are Cognito access-token claims:
 * `username` names the user (an agent's id is its username), `cognito:groups` carries the role
 * (a user in several groups has the strongest), `token_use` must be `access`, `client_id` the
 * console's app client. Signature, `iss`, `exp` and `client_id` are checked before anything is read.
 */
export interface AccessTokenClaims {
  readonly sub: string;
  readonly username: string;
  readonly 'cognito:groups'?: readonly string[];
  readonly token_use: 'access';
  readonly client_id: string;
  readonly iss: string;
  readonly exp: number;
  readonly iat: number;
  readonly scope?: string;
}

/** Where the console signs users in: OAuth 2.0 authorization code with PKCE (S256), a public client. */
export interface ConsoleAuthConfig {
  /** The token issuer (`iss`); locally the runtime's `/auth` base URL. */
  readonly issuer: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  /** Ends the provider's session; the console sends `client_id` and `logout_uri`. */
  readonly logoutUrl: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
}

/**
 * The console's `config.json`, served beside its assets: locally by the runtime, deployed from the
 * console bucket (written by the stack). `apiUrl` without a trailing slash; locally the runtime's
 * own origin, deployed the console API's endpoint (exact CORS) .
 */
export interface ConsoleConfig {
  readonly apiUrl: string;
  readonly auth: ConsoleAuthConfig;
}

/** The console's path under the local runtime's origin (`npm start` prints `<api>/console/`). */
export const LOCAL_CONSOLE_PATH = '/console/';
/** The config file's name, relative to the console's base URL. */
export const CONSOLE_CONFIG_FILE = 'config.json';

/** The local issuer's endpoints, relative to the local runtime's origin (lambdas/local/sign-in). */
export const LOCAL_AUTH_PATHS = {
  /** The issuer (`iss`) and base of the others. */
  issuer: '/auth',
  /** GET shows the sign-in form, POST checks the password and redirects with `code` and `state`. */
  authorize: '/auth/authorize',
  /** POST `grant_type=authorization_code` (with `code_verifier`) or `refresh_token`, form-encoded. */
  token: '/auth/token',
  /** POST the new password of a user who signed in with a temporary one (the form the authorize POST shows). */
  newPassword: '/auth/new-password',
  jwks: '/auth/jwks.json',
  logout: '/auth/logout',
} as const;

/** The local issuer's public client id (the console); Cognito's app client id when deployed. */
export const LOCAL_CONSOLE_CLIENT_ID = 'postroom-console';
/** The local CLI's tokens say so in `client_id`, so logs tell a terminal from a browser. */
export const LOCAL_CLI_CLIENT_ID = 'postroom-cli';

/** Access tokens live one hour (Cognito's default); the console refreshes them with the refresh token. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;

/**
 * The console users' password policy, one set of numbers for both issuers: the Cognito user pool
 * (lib/constructs/console-identity.ts) and the local runtime's sign-in (lambdas/core/access). Why
 * these: 12 mixed characters withstand online guessing under either sign-in's lockout, and an invited
 * user who has not chosen a password within 3 days must ask an admin again, so a temporary password
 * left in a chat or mail does not stay usable. Symbols are Cognito's special characters.
 */
export const CONSOLE_PASSWORD_POLICY = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
  /** Cognito's TemporaryPasswordValidityDays: a temporary password is refused this many days after it was set. */
  temporaryPasswordValidityDays: 3,
} as const;

/**
 * The account states both user directories answer, in Cognito's UserStatus words: a user with a
 * temporary password (generated at creation or by a reset) must choose their own at the next
 * sign-in; one whose password they chose, or an admin set, is confirmed. Other Cognito states pass
 * through as Cognito says them.
 */
export const USER_STATUS = {
  mustChangePassword: 'FORCE_CHANGE_PASSWORD',
  confirmed: 'CONFIRMED',
} as const;
