/**
 * The mail server registry wired over the config table and a secret store: one place for the admin
 * API Lambda (Secrets Manager, from the environment) and the local runtime (the 0600 secrets file).
 * The Secrets Manager client is created once per container and only where this is called, so the
 * agent-facing API Lambda's bundle carries no Secrets Manager client.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConnectionTester, CredentialSource } from '../core/mailboxes/connection.ts';
import { MailServerService } from '../core/mailboxes/server-service.ts';
import type { MailServer, SecretStore } from '../core/mailboxes/server.ts';
import { resetOnSmtpServerSave, type SmtpResetDeps } from '../core/outbound/smtp-integration-reset.ts';
import { consoleLog } from './api/errors.ts';
import { documentClient } from './aws-clients.ts';
import { DynamoAddressRouteStore } from './dynamodb/config-store.ts';
import { DynamoFlowStore } from './dynamodb/flow-store.ts';
import { DynamoMailServerStore } from './dynamodb/mail-server-store.ts';
import { DynamoSmtpIntegrationStore } from './dynamodb/smtp-integration-store.ts';
import { oauth2RedirectUriEnv, tablesEnv } from './env.ts';
import { oauth2Wiring, type RedirectUriSource } from './oauth2/oauth2-wiring.ts';
import { SecretsManagerSecretStore } from './secrets/secrets-manager-store.ts';

let secretsManager: SecretsManagerClient | undefined;

/**
 * What the caller adds: the connection test's parts (issue 10's connection adapters and OAuth2) and
 * the scheduling's immediate poll. Without `credentials` and `tester`, an enabled server cannot be
 * saved (the API answers 503 `mail-server.test-unavailable`); disabled ones can.
 */
export interface MailServerServiceOptions {
  readonly credentials?: CredentialSource;
  readonly tester?: ConnectionTester;
  readonly onSaved?: (server: MailServer) => Promise<void>;
  /** What an SMTP server's reset (OUT-5) resumes: the outbox's held sends and the notifier. @default none: a reset only sets the state valid */
  readonly smtpResume?: Pick<SmtpResetDeps, 'outbox' | 'notifier'>;
  /** Where "re-authenticate on save" consents return (the API's /oauth2/callback). @default none: the setting answers no consent URL */
  readonly redirectUri?: RedirectUriSource;
}

/**
 * The registry over `configTable` and `secrets`. `options.credentials` @default the stored
 * credential source (adapters/oauth2: passwords, OAuth2 tokens refreshed when expired).
 * `options.tester` has no default here: the connection test pulls imapflow and nodemailer, whose
 * CommonJS builds no bundler can leave out of the agent-facing API Lambda that imports this
 * module, so the admin handler (handlers/flow-api.ts) and the local runtime pass the real one.
 */
export function mailServerService(doc: DynamoDBDocumentClient, configTable: string, secrets: SecretStore, options: MailServerServiceOptions = {}): MailServerService {
  const oauth2 = oauth2Wiring(doc, configTable, secrets, options.redirectUri);
  options = { ...options, credentials: options.credentials ?? oauth2.credentials };
  const store = new DynamoMailServerStore(doc, configTable);
  const integrations = new DynamoSmtpIntegrationStore(doc, configTable, store);
  return new MailServerService({
    ...(options.redirectUri !== undefined && { onReauthenticate: oauth2.reauthenticate }),
    store,
    onSmtpSaved: async (save) => void (await resetOnSmtpServerSave(save, { integrations, ...options.smtpResume, now: () => new Date() })),
    secrets,
    addresses: new DynamoAddressRouteStore(doc, configTable),
    flows: new DynamoFlowStore(doc, configTable),
    ...(options.credentials && { credentials: options.credentials }),
    ...(options.tester && { tester: options.tester }),
    ...(options.onSaved && { onSaved: options.onSaved }),
    log: (message, details) => consoleLog(message, details),
    now: () => new Date(),
  });
}

/**
 * The registry over the config table (env.ts tablesEnv: CONFIG_TABLE) and Secrets Manager (the
 * region of AWS_REGION; secrets named `postroom/mail-servers/<id>`, no variable needed).
 * @throws Error naming the variable when the environment is incomplete
 */
export function mailServerServiceFromEnv(options: MailServerServiceOptions = {}, source: NodeJS.ProcessEnv = process.env): MailServerService {
  const { configTable } = tablesEnv(source);
  secretsManager ??= new SecretsManagerClient({});
  const redirectUri = oauth2RedirectUriEnv(source);
  return mailServerService(documentClient(), configTable, new SecretsManagerSecretStore(secretsManager), { ...(redirectUri && { redirectUri }), ...options });
}

/** A {@link SecretStore} over Secrets Manager with the container's client (the OAuth2 part stores tokens with it). */
export function secretsManagerSecretStore(): SecretStore {
  secretsManager ??= new SecretsManagerClient({});
  return new SecretsManagerSecretStore(secretsManager);
}
