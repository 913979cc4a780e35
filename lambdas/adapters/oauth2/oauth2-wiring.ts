/**
 * The OAuth2 parts wired over the config table and a secret store: the credential source the
 * registry's connection test, the pollers and the sender log in with, and the consent routes' deps.
 * One place for the admin API Lambda (Secrets Manager) and the local runtime (the 0600 file).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CredentialSource } from '../../core/mailboxes/connection.ts';
import type { MailServer, SecretStore } from '../../core/mailboxes/server.ts';
import type { OAuth2ApiDeps } from '../api/routes/oauth2.ts';
import { resetOnSmtpServerSave } from '../../core/outbound/smtp-integration-reset.ts';
import { DynamoMailServerStore } from '../dynamodb/mail-server-store.ts';
import { DynamoSmtpIntegrationStore } from '../dynamodb/smtp-integration-store.ts';
import { reauthenticate } from './consent.ts';
import { storedCredentialSource } from './credential-source.ts';
import { createTokenClient } from './token-client.ts';

/** The consent routes' deps and the credential source over `configTable` and `secrets`. */
export interface OAuth2Wiring {
  readonly api: OAuth2ApiDeps;
  readonly credentials: CredentialSource;
  /** The registry's `onReauthenticate`: drops the refresh token, sets needs-reauth, answers a consent URL. */
  readonly reauthenticate: (server: MailServer) => Promise<{ url: string; expiresAt: string }>;
}

/** A redirect URI, or how to get it once known (the local runtime's API listens after the registry is wired). */
export type RedirectUriSource = string | (() => string | undefined);

/**
 * Wires the OAuth2 parts. `redirectUri` (deployed: env.ts oauth2RedirectUriEnv; locally a getter of
 * the API's address) @default for the consent route: each request's own origin + /oauth2/callback.
 */
export function oauth2Wiring(doc: DynamoDBDocumentClient, configTable: string, secrets: SecretStore, redirectUri?: RedirectUriSource): OAuth2Wiring {
  const servers = new DynamoMailServerStore(doc, configTable);
  const tokens = createTokenClient();
  const integrations = new DynamoSmtpIntegrationStore(doc, configTable, servers);
  // A new OAuth2 secret is fixed credentials: an enabled SMTP server's integration resets (OUT-5).
  const onSecretStored = async (serverId: string) => {
    const server = await servers.get(serverId);
    if (server) await resetOnSmtpServerSave({ previous: server, saved: server, credentialsChanged: true }, { integrations, now: () => new Date() });
  };
  const api = { servers, secrets, tokens, now: () => new Date(), onSecretStored, ...(typeof redirectUri === 'string' && { redirectUri }) };
  return {
    api,
    credentials: storedCredentialSource(secrets, tokens, { servers }),
    reauthenticate: (server) => {
      const uri = typeof redirectUri === 'function' ? redirectUri() : redirectUri;
      if (!uri) throw new Error('re-authenticate on save: the OAuth2 redirect URI is not known yet');
      return reauthenticate(api, server, uri);
    },
  };
}
