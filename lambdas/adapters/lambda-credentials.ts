/**
 * The credential provider of every Postroom Lambda bundle, in place of the SDK's default chain
 * (`@aws-sdk/credential-provider-node`, swapped in by POSTROOM_BUNDLING's esbuild alias).
 *
 * Why: Lambda always hands a function its role's credentials in the environment
 * (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`); the default chain also carries
 * shared-config files, SSO, STS web identity, login and instance metadata, about 100 KiB that every
 * cold start would load and none would use. Code run outside a bundle (the local runtime, tests,
 * the CLI) keeps the SDK's full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** The SDK clients call this as their `credentialDefaultProvider`: environment credentials only. */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);

/** Re-exported names of the package this module stands in for, so every import of it resolves. */
export const credentialsWillNeedRefresh = (credentials?: { expiration?: Date }) => credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials?: { expiration?: Date }) =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
