/**
 * The mail server registry of the local runtime: the same service as the admin API Lambda's, over
 * the local config table, with secrets in the 0600 file `secrets.json` of the data folder instead of
 * Secrets Manager (SRV-10). In memory mode the file lives in a temporary folder removed at stop.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CredentialSource } from '../core/mailboxes/connection.ts';
import type { MailServerService } from '../core/mailboxes/server-service.ts';
import { mailServerService, type MailServerServiceOptions } from '../adapters/mail-server-service-env.ts';
import { OAUTH2_CALLBACK_PATH } from '../../contract/oauth2.ts';
import type { OAuth2ApiDeps } from '../adapters/api/routes/oauth2.ts';
import { oauth2Wiring } from '../adapters/oauth2/oauth2-wiring.ts';
import { FileSecretStore } from '../adapters/secrets/file-secret-store.ts';
import type { SecretStore } from '../core/mailboxes/server.ts';

export interface LocalMailServers {
  readonly service: MailServerService;
  /** The secrets file (created on the first saved password). */
  readonly secretsFile: string;
  /** The store over that file (the dispatcher's OAuth2 housekeeping uses it too). */
  readonly secrets: SecretStore;
  /** The OAuth2 consent routes' deps; the redirect URI is the local API's own address + /oauth2/callback. */
  readonly oauth2: OAuth2ApiDeps;
  /** The credentials the registry logs in with (stored passwords and OAuth2 tokens); the local pollers use the same. */
  readonly credentials: CredentialSource;
  /** The API's address once it listens: "re-authenticate on save" consents return to its /oauth2/callback. */
  setApiUrl(url: string): void;
  stop(): Promise<void>;
}

/** The registry over `configTable`, its secrets in `dataDir` (a temporary folder when undefined). */
export async function startLocalMailServers(doc: DynamoDBDocumentClient, configTable: string, dataDir: string | undefined, options: MailServerServiceOptions = {}): Promise<LocalMailServers> {
  const folder = dataDir ?? (await mkdtemp(join(tmpdir(), 'postroom-secrets-')));
  const secrets = FileSecretStore.inDataDir(folder);
  const oauth2 = oauth2Wiring(doc, configTable, secrets);
  // The API listens after the registry is wired; the runtime tells its address (setApiUrl).
  let apiUrl: string | undefined;
  const redirectUri = () => (apiUrl === undefined ? undefined : new URL(OAUTH2_CALLBACK_PATH, apiUrl).toString());
  return {
    setApiUrl: (url: string) => void (apiUrl = url),
    service: mailServerService(doc, configTable, secrets, { credentials: oauth2.credentials, redirectUri, ...options }),
    oauth2: oauth2.api,
    credentials: options.credentials ?? oauth2.credentials,
    secretsFile: secrets.path,
    secrets,
    stop: async () => {
      if (!dataDir) await rm(folder, { recursive: true, force: true });
    },
  };
}
