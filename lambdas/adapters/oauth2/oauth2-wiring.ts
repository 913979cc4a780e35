/**
 * The OAuth2 parts wired over the config table and a secret store: the credential source the
 * registry's connection test, the pollers and the sender log in with, and the consent routes' deps.
 * One place for the admin API Lambda (Secrets Manager) and the local runtime (the 0600 file).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CredentialSource } from '../../core/mailboxes/connection.ts';
import type { SecretStore } from '../../core/mailboxes/server.ts';
import type { OAuth2ApiDeps } from '../api/routes/oauth2.ts';
import { DynamoMailServerStore } from '../dynamodb/mail-server-store.ts';
import { storedCredentialSource } from './credential-source.ts';
import { createTokenClient } from './token-client.ts';

/** The consent routes' deps and the credential source over `configTable` and `secrets`. */
export interface OAuth2Wiring {
  readonly api: OAuth2ApiDeps;
  readonly credentials: CredentialSource;
}

/**
 * Wires the OAuth2 parts. `redirectUri` (deployed: env.ts oauth2RedirectUriEnv) @default each
 * consent request's own origin + /oauth2/callback (the local runtime).
 */
export function oauth2Wiring(doc: DynamoDBDocumentClient, configTable: string, secrets: SecretStore, redirectUri?: string): OAuth2Wiring {
  const servers = new DynamoMailServerStore(doc, configTable);
  const tokens = createTokenClient();
  return {
    api: { servers, secrets, tokens, now: () => new Date(), ...(redirectUri && { redirectUri }) },
    credentials: storedCredentialSource(secrets, tokens, { servers }),
  };
}
