/**
 * The API Lambdas' {@link CallerResolver} from their environment: IAM principals (the deployed
 * CLI) always, and the console's Cognito access tokens when the stack set AUTH_ISSUER and
 * AUTH_CLIENT_ID. The variables are read when called (cold start), so a half-set pair fails there;
 * the key set is fetched only when the first token arrives, and jose caches it.
 */
import { ENV } from '../../../contract/environment.ts';
import type { CallerResolver } from '../../core/access/caller.ts';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import { UnauthenticatedError } from '../../core/errors.ts';
import { iamCaller, jwtCallerResolver } from './token-verifier.ts';

/** The console's token issuer and app client, as the stack sets them. */
export interface AuthEnv {
  readonly issuer: string;
  readonly clientId: string;
}

/**
 * AUTH_ISSUER (an https URL) and AUTH_CLIENT_ID, both or neither.
 * @returns undefined when neither is set (a deployment without the console: IAM callers only)
 * @throws Error naming the variable when only one is set, or the issuer is no https URL
 */
export function authEnv(source: NodeJS.ProcessEnv = process.env): AuthEnv | undefined {
  const issuer = source[ENV.authIssuer]?.trim();
  const clientId = source[ENV.authClientId]?.trim();
  if (!issuer && !clientId) return undefined;
  if (!issuer || !clientId) throw new Error(`environment variables ${ENV.authIssuer} and ${ENV.authClientId} are set together or not at all`);
  if (!/^https:\/\/\S+$/.test(issuer)) throw new Error(`${ENV.authIssuer} must be an https URL, got ${issuer}`);
  return { issuer: issuer.replace(/\/+$/, ''), clientId };
}

/** Where Cognito publishes a user pool's signing keys. */
export function cognitoJwksUrl(issuer: string): URL {
  return new URL(`${issuer}/.well-known/jwks.json`);
}

/**
 * The resolver of the deployed API: an IAM principal is an admin; a bearer token is verified
 * against {@link authEnv}'s issuer (Cognito's JWKS), or refused (401) when the stack set none.
 */
export function callerResolverFromEnv(source: NodeJS.ProcessEnv = process.env): CallerResolver {
  const auth = authEnv(source);
  let tokens: CallerResolver | undefined;
  return {
    async resolve(credentials) {
      if (credentials.iamPrincipalArn) return iamCaller(credentials.iamPrincipalArn);
      if (!auth) {
        const reason = credentials.authorization ? ERROR_REASONS.authTokenInvalid : ERROR_REASONS.authTokenMissing;
        throw new UnauthenticatedError(reason, 'this deployment takes IAM (SigV4) callers only: it has no token issuer');
      }
      tokens ??= jwtCallerResolver({ issuer: auth.issuer, clientIds: [auth.clientId], jwks: cognitoJwksUrl(auth.issuer) });
      return tokens.resolve(credentials);
    },
  };
}
