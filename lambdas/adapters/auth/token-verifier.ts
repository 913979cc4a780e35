/**
 * Who is calling, from what the request proves (issue 12): an IAM principal API Gateway verified
 * the SigV4 signature of is an admin; otherwise a JWT access token with Cognito's claims, verified
 * with jose against the issuer's JSON Web Key Set. The same code checks Cognito's tokens (remote
 * JWKS, cached by jose) and the local issuer's (its public key set), so nothing is bypassed locally.
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { roleFromGroups, type Caller, type CallerResolver, type Credentials } from '../../core/access/caller.ts';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import { ForbiddenError, TransientError, UnauthenticatedError } from '../../core/errors.ts';

/** Cognito signs access tokens with RS256, and so does the local issuer; no other algorithm is taken. */
const ACCESS_TOKEN_ALGORITHMS = ['RS256'];

/** Where and for whom the tokens are issued. */
export interface TokenIssuer {
  /** The `iss` every token must carry (Cognito: `https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
  readonly issuer: string;
  /** The app clients whose tokens are taken (`client_id`); a token of any other client is refused. */
  readonly clientIds: readonly string[];
  /**
   * The issuer's public keys: its JWKS URL (fetched and cached by jose) or the key set itself
   * (`{ keys: [JWK, ...] }`, as GET <issuer>/jwks.json answers it; jose checks each key).
   */
  readonly jwks: URL | { readonly keys: readonly object[] };
}

/**
 * A {@link CallerResolver} over JWT access tokens of `issuer`. IAM credentials come first: API
 * Gateway's IAM path puts the SigV4 signature in `Authorization`, so such a request has no bearer
 * token. A verified token's caller is `{ id: username, role: strongest of cognito:groups, kind: 'user' }`.
 * @throws UnauthenticatedError (401) no token, or one whose signature, `iss`, `exp`, `token_use`
 *   (must be `access`) or `client_id` does not verify
 * @throws ForbiddenError (403, `auth.role-required`) a valid token of a user in no role group
 * @throws TransientError (503) the issuer's key set could not be fetched
 */
export function jwtCallerResolver(issuer: TokenIssuer): CallerResolver {
  const keys: JWTVerifyGetKey = issuer.jwks instanceof URL ? createRemoteJWKSet(issuer.jwks) : createLocalJWKSet({ keys: [...issuer.jwks.keys] } as JSONWebKeySet);
  const clients: ReadonlySet<string> = new Set(issuer.clientIds);
  return {
    async resolve(credentials: Credentials): Promise<Caller> {
      if (credentials.iamPrincipalArn) return iamCaller(credentials.iamPrincipalArn);
      const token = bearerToken(credentials.authorization);
      const claims = await verified(token, keys, issuer.issuer);
      if (claims.token_use !== 'access') throw invalid('the token is not an access token');
      if (typeof claims.client_id !== 'string' || !clients.has(claims.client_id)) throw invalid('the token was issued to another client');
      if (typeof claims.username !== 'string' || claims.username === '') throw invalid('the token names no user');
      const role = roleFromGroups(groupsOf(claims['cognito:groups']));
      if (!role) throw new ForbiddenError(ERROR_REASONS.authRoleRequired, `user ${claims.username} has no role (admin, supervisor or agent)`);
      return { id: claims.username, role, kind: 'user' };
    },
  };
}

/** The admin an IAM principal is: SigV4 proves an AWS identity allowed to invoke the API, which only cloud engineers have. */
export function iamCaller(principalArn: string): Caller {
  return { id: principalArn, role: 'admin', kind: 'iam' };
}

/**
 * A {@link CallerResolver} that answers `caller` for every request, whatever it carries. Only for a
 * transport that proved the caller already (tests of the IAM path, the local runtime until its
 * issuer signs the CLI's requests).
 */
export function fixedCallerResolver(caller: Caller): CallerResolver {
  return { resolve: async () => caller };
}

/** The token of `Authorization: Bearer <token>` (the scheme is case-insensitive, RFC 7235 2.1). */
function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === '') {
    throw new UnauthenticatedError(ERROR_REASONS.authTokenMissing, 'sign in: the request has no Authorization: Bearer token');
  }
  const match = /^Bearer +([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization);
  if (!match) throw invalid('the Authorization header is not a Bearer token');
  return match[1]!;
}

/** The claims of `token` once its signature, issuer and expiry verify; jose's own text stays in here. */
async function verified(token: string, keys: JWTVerifyGetKey, issuer: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, keys, { issuer, algorithms: ACCESS_TOKEN_ALGORITHMS, requiredClaims: ['exp'] });
    return payload;
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new UnauthenticatedError(ERROR_REASONS.authTokenExpired, 'the token expired; sign in again');
    // The issuer's key set did not arrive: not the caller's fault, and a retry may find it.
    if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid || !(err instanceof errors.JOSEError)) {
      throw new TransientError('jwks-unavailable', `the token issuer's keys could not be read: ${(err as Error).message}`, { cause: err });
    }
    throw invalid('the token does not verify');
  }
}

function groupsOf(value: unknown): readonly string[] {
  return Array.isArray(value) ? value.filter((g): g is string => typeof g === 'string') : [];
}

function invalid(message: string): UnauthenticatedError {
  return new UnauthenticatedError(ERROR_REASONS.authTokenInvalid, message);
}
