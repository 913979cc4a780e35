/**
 * The shared set-up of the OAuth2 integration tests: a loopback authorization server (with a
 * confidential client `app`, an app-only client `daemon` and a service account), Dovecot whose
 * oauth2 passdb asks it, in-memory server and secret stores (fresh for each test), the consent
 * routes as the API serves them, and the browser's and a mail client's part. Values are live ES
 * module bindings: read them inside tests, after {@link useOAuth2Fixture}'s hooks ran.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createAgentApiApp } from '../../lambdas/adapters/api/api-app.ts';
import { oauth2Routes } from '../../lambdas/adapters/api/routes/oauth2.ts';
import { connectImap } from '../../lambdas/adapters/mailboxes/imap-connect.ts';
import { createTokenClient } from '../../lambdas/adapters/oauth2/token-client.ts';
import { MailConnectionError } from '../../lambdas/core/mailboxes/connection.ts';
import { parseMailServerSecret, serializeMailServerSecret, type OAuth2Settings } from '../../lambdas/core/mailboxes/oauth2-settings.ts';
import type { MailServer } from '../../lambdas/core/mailboxes/server.ts';
import { adminCallers } from './api-app.ts';
import { startDovecot, type DovecotServer } from './dovecot.ts';
import { dovecotServer } from './dovecot-servers.ts';
import { mailServerRecord } from './mail-servers.ts';
import { MemoryMailServerStore, MemorySecretStore } from './oauth2-memory-stores.ts';
import { startTestOAuth2Server, type TestOAuth2Server } from './oauth2-server.ts';

export const USER = 'support@example.test';
export const CLIENT_SECRET = 'client-secret-never-shown';
export const REDIRECT = 'http://127.0.0.1:3000/oauth2/callback';
export const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

export let auth: TestOAuth2Server;
export let dovecot: DovecotServer;
export let servers: MemoryMailServerStore;
export let secrets: MemorySecretStore;
export const tokens = createTokenClient();
/** What the API logged (it must never hold a token or secret). */
export const logs: string[] = [];

/** Registers the file's hooks: one authorization server and one Dovecot per file, fresh stores per test. */
export function useOAuth2Fixture(): void {
  beforeAll(async () => {
    auth = await startTestOAuth2Server();
    auth.clients.set('app', { secret: CLIENT_SECRET });
    auth.clients.set('daemon', { secret: CLIENT_SECRET, appUser: USER });
    auth.clients.set('robot@project.iam.example', { publicKey: keys.publicKey });
    dovecot = await startDovecot({ users: { [USER]: 'unused pass' }, oauth2: { introspectionUrl: auth.introspectionUrl } });
  });
  afterAll(async () => {
    await dovecot?.stop();
    await auth?.stop();
  });
  beforeEach(() => {
    servers = new MemoryMailServerStore();
    secrets = new MemorySecretStore();
    auth.rotateRefreshTokens = false;
  });
}

/** The consent routes over the current stores, as the API app serves them. */
export const app = () =>
  createAgentApiApp(
    { callers: adminCallers, interactions: {} as never, queues: {} as never, now: () => new Date(), log: { error: (...a: unknown[]) => logs.push(JSON.stringify(a)) } as never },
    [oauth2Routes({ servers, secrets, tokens, now: () => new Date(), redirectUri: REDIRECT })],
  );

/** An OAuth2 IMAP server record of the test provider (authorization code, client `app`), reaching Dovecot. */
export function oauthServer(id: string, oauth2: Partial<OAuth2Settings> = {}): MailServer {
  return mailServerRecord({
    id, name: `Mailbox <${id}>`, user: USER, authType: 'oauth2', secretRef: `postroom/mail-servers/${id}`, host: dovecot.host,
    oauth2: { provider: 'custom', flow: 'authorization-code', clientId: 'app', authorizeUrl: auth.authorizeUrl, tokenUrl: auth.tokenUrl, scopes: ['mail'], ...oauth2 },
  });
}

/** Stores `server` and its secret (@default the client secret of `app`). */
export async function addServer(server: MailServer, secret: object = { oauth2: { clientSecret: CLIENT_SECRET } }): Promise<void> {
  await servers.create(server);
  await secrets.put(server.secretRef!, serializeMailServerSecret(secret));
}

/** The admin's browser: POST consent, open the URL, follow the provider's redirect to the callback. */
export async function consent(id: string): Promise<{ status: number; html: string; callback: string }> {
  const started = await app().request(`/servers/${id}/oauth2/consent`, { method: 'POST' });
  expect(started.status).toBe(200);
  const { url } = (await started.json()) as { url: string };
  const redirect = await fetch(url, { redirect: 'manual' });
  const callback = new URL(redirect.headers.get('location')!);
  const res = await app().request(`/oauth2/callback${callback.search}`);
  return { status: res.status, html: await res.text(), callback: callback.search };
}

/** An XOAUTH2 login to Dovecot's IMAPS through the connection adapter; false when Dovecot refuses the token. */
export async function imapLogin(accessToken: string): Promise<boolean> {
  try {
    const client = await connectImap(dovecotServer(dovecot, 'imap'), { kind: 'oauth2', user: USER, accessToken }, { ca: dovecot.certificate });
    await client.logout();
    return true;
  } catch (err) {
    if (err instanceof MailConnectionError && err.reason === 'authentication') return false;
    throw err;
  }
}

/** The stored secret of server `id`. */
export const secretOf = async (id: string) => parseMailServerSecret(await secrets.get(`postroom/mail-servers/${id}`));
