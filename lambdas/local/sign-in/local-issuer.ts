/**
 * The local runtime's sign-in (issue 12 item 1): its key pair, its users and its endpoints, in the
 * issuer's folder `<data>/issuer/` (0700): `private-key.pem` (0600), `passwords.json` (scrypt hashes,
 * 0600), `refresh-tokens.json` (SHA-256 of refresh tokens, 0600). User records live in the config
 * table (adapters/users). The API verifies the issuer's tokens with the very verifier it uses for
 * Cognito's, over {@link LocalIssuer.jwks}.
 */
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Hono } from 'hono';
import { LOCAL_AUTH_PATHS, LOCAL_CLI_CLIENT_ID, LOCAL_CONSOLE_CLIENT_ID, type ConsoleAuthConfig } from '../../../contract/console.ts';
import type { UserDirectory } from '../../core/access/user-directory.ts';
import { FileSecretStore } from '../../adapters/secrets/file-secret-store.ts';
import { LocalUserDirectory } from '../../adapters/users/local-user-directory.ts';
import { IssuerGrants } from './grants.ts';
import { loadOrCreateIssuerKeys, type IssuerKeys, type PublicJwk } from './issuer-keys.ts';
import { signInRoutes } from './sign-in-routes.ts';
import { SignInThrottle } from './sign-in-throttle.ts';

/** The password hashes' file in the issuer's folder. */
export const PASSWORDS_FILE = 'passwords.json';
/** The refresh tokens' file in the issuer's folder. */
export const REFRESH_TOKENS_FILE = 'refresh-tokens.json';
/** The clients whose local tokens the API takes: the console, and the CLI's minted admin tokens. */
export const LOCAL_TOKEN_CLIENT_IDS = [LOCAL_CONSOLE_CLIENT_ID, LOCAL_CLI_CLIENT_ID] as const;

/** A running local issuer; {@link LocalIssuer.listen} tells it its origin once the API server listens. */
export interface LocalIssuer {
  /** The users (records in the config table); disabling or removing one revokes its refresh tokens. */
  readonly users: UserDirectory;
  readonly keys: IssuerKeys;
  /** The public key set (what GET /auth/jwks.json answers): the API's verifier takes it as is. */
  readonly jwks: { readonly keys: readonly PublicJwk[] };
  /** The endpoints of LOCAL_AUTH_PATHS; mount at the origin's root. */
  readonly routes: Hono;
  /** Sets the origin (`http://127.0.0.1:<port>`) and the loopback origins the console may be opened on. */
  listen(origin: string, consoleOrigins: ReadonlySet<string>): void;
  /** The tokens' `iss`: `<origin>/auth`. @throws Error before {@link LocalIssuer.listen} */
  issuer(): string;
  /** The console's `auth` settings when it is opened on `origin` (one of the console origins). */
  consoleAuth(origin: string): ConsoleAuthConfig;
}

/** What the issuer is created over. */
export interface LocalIssuerOptions {
  /** The issuer's folder (`<data>/issuer`, a temporary folder in memory mode). */
  readonly dir: string;
  readonly doc: DynamoDBDocumentClient;
  readonly configTable: string;
  readonly log?: (line: string) => void;
}

/** Loads (or creates) the key and the grants in `options.dir` and builds the endpoints. */
export async function createLocalIssuer(options: LocalIssuerOptions): Promise<LocalIssuer> {
  const keys = await loadOrCreateIssuerKeys(options.dir);
  const grants = await IssuerGrants.open(join(options.dir, REFRESH_TOKENS_FILE));
  const directory = new LocalUserDirectory(options.doc, options.configTable, new FileSecretStore(join(options.dir, PASSWORDS_FILE)));
  let origin: string | undefined;
  let consoleOrigins: ReadonlySet<string> = new Set();
  const issuer = () => {
    if (origin === undefined) throw new Error('the local issuer has no origin yet (listen was not called)');
    return `${origin}${LOCAL_AUTH_PATHS.issuer}`;
  };
  const users: UserDirectory = {
    create: (user) => directory.create(user),
    list: () => directory.list(),
    get: (username) => directory.get(username),
    async update(username, changes) {
      const user = await directory.update(username, changes);
      if (user && changes.enabled === false) await grants.revokeUser(username);
      return user;
    },
    async resetPassword(username) {
      const reset = await directory.resetPassword(username);
      // A reset password means the old one may be known to someone else: its sessions end too.
      if (reset) await grants.revokeUser(username);
      return reset;
    },
    async remove(username) {
      const removed = await directory.remove(username);
      await grants.revokeUser(username);
      return removed;
    },
  };
  const routes = signInRoutes({
    keys,
    grants,
    users: directory,
    throttle: new SignInThrottle(),
    issuer,
    consoleOrigins: () => consoleOrigins,
    ...(options.log && { log: options.log }),
  });
  return {
    users,
    keys,
    jwks: { keys: [keys.publicJwk] },
    routes,
    listen(at, origins) {
      origin = at;
      consoleOrigins = new Set([at, ...origins]);
    },
    issuer,
    consoleAuth: (at) => ({
      issuer: issuer(),
      authorizeUrl: `${at}${LOCAL_AUTH_PATHS.authorize}`,
      tokenUrl: `${at}${LOCAL_AUTH_PATHS.token}`,
      logoutUrl: `${at}${LOCAL_AUTH_PATHS.logout}`,
      clientId: LOCAL_CONSOLE_CLIENT_ID,
      scopes: ['openid'],
    }),
  };
}
