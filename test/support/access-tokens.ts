/**
 * A token issuer the tests own: an RS256 key pair and access tokens of Cognito's shape (issue 12),
 * minted with jose, so that suites prove what the API accepts and refuses with real signatures.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet } from 'jose';
import { jwtCallerResolver } from '../../lambdas/adapters/auth/token-verifier.ts';
import type { CallerResolver } from '../../lambdas/core/access/caller.ts';

export const TEST_ISSUER = 'https://issuer.postroom.test/pool-1';
export const TEST_CLIENT_ID = 'console-client';

/** What a minted token says; each defaults to a valid token of {@link TEST_ISSUER} for the console client. */
export interface TokenClaims {
  readonly username: string;
  /** @default [] */
  readonly groups?: readonly string[];
  /** @default TEST_CLIENT_ID */
  readonly clientId?: string;
  /** @default TEST_ISSUER */
  readonly issuer?: string;
  /** @default 'access' */
  readonly tokenUse?: string;
  /** Seconds from now; negative: expired. @default 3600 */
  readonly expiresIn?: number;
}

/** A test issuer: its public key set, a resolver that trusts it, and `token` to mint. */
export interface TestIssuer {
  readonly jwks: JSONWebKeySet;
  readonly callers: CallerResolver;
  token(claims: TokenClaims): Promise<string>;
  /** A token signed by a key the issuer never published (same kid): a forgery. */
  forged(claims: TokenClaims): Promise<string>;
}

/** Generates a fresh RS256 key pair and the issuer around it. */
export async function testIssuer(): Promise<TestIssuer> {
  const own = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(own.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const jwks = { keys: [jwk] };
  const sign = (key: CryptoKey, c: TokenClaims) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ username: c.username, 'cognito:groups': [...(c.groups ?? [])], token_use: c.tokenUse ?? 'access', client_id: c.clientId ?? TEST_CLIENT_ID, scope: 'openid' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject(`sub-${c.username}`)
      .setIssuer(c.issuer ?? TEST_ISSUER)
      .setIssuedAt(now - 60)
      .setExpirationTime(now + (c.expiresIn ?? 3600))
      .sign(key);
  };
  return {
    jwks,
    callers: jwtCallerResolver({ issuer: TEST_ISSUER, clientIds: [TEST_CLIENT_ID], jwks }),
    token: (c) => sign(own.privateKey, c),
    forged: (c) => sign(other.privateKey, c),
  };
}

/** `Authorization: Bearer <token>` headers. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
