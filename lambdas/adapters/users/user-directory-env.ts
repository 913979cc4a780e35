/**
 * The deployed API's user directory from its environment: the Cognito user pool USER_POOL_ID names
 * (set by the stack on the admin API Lambda only), or none (the users routes are then not served).
 * The client is created once per container, at the first call.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ENV } from '../../../contract/environment.ts';
import type { UserDirectory } from '../../core/access/user-directory.ts';
import { CognitoUserDirectory } from './cognito-user-directory.ts';

let client: CognitoIdentityProviderClient | undefined;

/** The Cognito directory of USER_POOL_ID; undefined when the variable is unset or empty. */
export function userDirectoryFromEnv(source: NodeJS.ProcessEnv = process.env): UserDirectory | undefined {
  const poolId = source[ENV.userPoolId]?.trim();
  if (!poolId) return undefined;
  client ??= new CognitoIdentityProviderClient({});
  return new CognitoUserDirectory(client, poolId);
}
