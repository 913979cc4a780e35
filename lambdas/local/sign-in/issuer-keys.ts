/**
 * The local issuer's signing key (issue 12 item 1): one RS256 key pair, generated on the first start
 * into `<data>/issuer/` (folder 0700, key file 0600) and kept across restarts, so tokens and the CLI's
 * minted tokens stay valid while the runtime restarts. Whoever can read the key file is admin, as
 * whoever holds IAM credentials is when deployed; that is why the file is the owner's only.
 * Tokens are signed with node:crypto alone: a JWT is two base64url JSON parts and one RSA signature.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, randomUUID, sign, type KeyObject } from 'node:crypto';
import { chmod, mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ACCESS_TOKEN_TTL_SECONDS, LOCAL_CLI_CLIENT_ID, type AccessTokenClaims } from '../../../contract/console.ts';

/** The issuer's folder inside the data folder. */
export const ISSUER_DIR = 'issuer';
/** The private key's file (PKCS#8 PEM) inside the issuer's folder. */
export const PRIVATE_KEY_FILE = 'private-key.pem';
/** Owner-only: the key file makes its reader admin of the local runtime. */
export const KEY_FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/**
 * RSA modulus size. Why 2048: what Cognito signs with and RS256 verifiers expect; larger keys only
 * slow down every signature.
 */
const RSA_MODULUS_BITS = 2048;

/** A public key as the JWKS serves it. */
export interface PublicJwk {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
  readonly kid: string;
  readonly alg: 'RS256';
  readonly use: 'sig';
}

/** The issuer's key pair; `publicJwk` is what /auth/jwks.json lists. */
export interface IssuerKeys {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: PublicJwk;
  /** Where the private key is kept (the CLI reads it to mint its admin token). */
  readonly keyFile: string;
}

/**
 * Loads the key pair from `dir`, creating the folder and a new key on the first start. Two
 * processes starting at once cannot both write it: the file is created exclusively and the loser
 * reads the winner's key.
 */
export async function loadOrCreateIssuerKeys(dir: string): Promise<IssuerKeys> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  const keyFile = join(dir, PRIVATE_KEY_FILE);
  try {
    return await readIssuerKeys(keyFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: RSA_MODULUS_BITS });
  try {
    const file = await open(keyFile, 'wx', KEY_FILE_MODE);
    try {
      await file.writeFile(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    } finally {
      await file.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readIssuerKeys(keyFile);
}

/**
 * Reads the key pair from its PEM file (the CLI's way in), and makes the file owner-only again if
 * someone widened it.
 * @throws the file system's error (ENOENT when the runtime never started with this data folder)
 */
export async function readIssuerKeys(keyFile: string): Promise<IssuerKeys> {
  const privateKey = createPrivateKey(await readFile(keyFile));
  await chmod(keyFile, KEY_FILE_MODE);
  const { n, e } = createPublicKey(privateKey).export({ format: 'jwk' }) as { n: string; e: string };
  const kid = jwkThumbprint(n, e);
  return { kid, privateKey, keyFile, publicJwk: { kty: 'RSA', n, e, kid, alg: 'RS256', use: 'sig' } };
}

/** The RFC 7638 thumbprint of an RSA key: a key id that changes exactly when the key does. */
function jwkThumbprint(n: string, e: string): string {
  return createHash('sha256').update(JSON.stringify({ e, kty: 'RSA', n })).digest('base64url');
}

/** What an access token is minted for. */
export interface TokenSubject {
  /** The token's `iss`: the runtime's `<origin>/auth`. */
  readonly issuer: string;
  readonly username: string;
  /** The user's groups; the role is the strongest (core/access/caller.ts roleFromGroups). */
  readonly groups: readonly string[];
  readonly clientId: string;
  /** @default ACCESS_TOKEN_TTL_SECONDS (one hour) */
  readonly ttlSeconds?: number;
  /** @default now */
  readonly now?: Date;
}

/** An RS256 access token with Cognito's claims (contract/console.ts AccessTokenClaims) signed by `keys`. */
export function mintAccessToken(keys: IssuerKeys, subject: TokenSubject): string {
  const iat = Math.floor((subject.now ?? new Date()).getTime() / 1000);
  const claims: AccessTokenClaims & { jti: string } = {
    sub: subject.username,
    username: subject.username,
    'cognito:groups': [...subject.groups],
    token_use: 'access',
    client_id: subject.clientId,
    iss: subject.issuer,
    iat,
    exp: iat + (subject.ttlSeconds ?? ACCESS_TOKEN_TTL_SECONDS),
    scope: 'openid',
    jti: randomUUID(),
  };
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'JWT', kid: keys.kid })}.${part(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), keys.privateKey).toString('base64url')}`;
}

/** The CLI's minted tokens live 5 minutes: one command, not a session. */
export const CLI_TOKEN_TTL_SECONDS = 300;

/**
 * The local CLI's admin token: username `cli`, group admin, client `postroom-cli`, 5 minutes,
 * signed with the key file's key. Whoever can read the file may do this, as whoever has IAM
 * credentials may call a deployed API.
 */
export function mintCliToken(keys: IssuerKeys, issuer: string, now: Date = new Date()): string {
  return mintAccessToken(keys, { issuer, username: 'cli', groups: ['admin'], clientId: LOCAL_CLI_CLIENT_ID, ttlSeconds: CLI_TOKEN_TTL_SECONDS, now });
}
