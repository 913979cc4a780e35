/**
 * OAuth2 end to end against a loopback authorization server and Dovecot's oauth2 passdb (issue 10
 * items 3 and 7): the consent flow through the API callback, XOAUTH2 logins with the tokens it
 * issued, refresh only when expired, the app-only flows, invalid_grant confined to its server, and
 * states that cannot be forged or replayed. No token or secret may appear in any answer.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAgentApiApp } from '../../../lambdas/adapters/api/api-app.ts';
import { oauth2Routes } from '../../../lambdas/adapters/api/routes/oauth2.ts';
import { connectImap } from '../../../lambdas/adapters/mailboxes/imap-connect.ts';
import { connectPop3 } from '../../../lambdas/adapters/mailboxes/pop3-client.ts';
import { verifySmtp } from '../../../lambdas/adapters/mailboxes/smtp-connect.ts';
import { reauthenticate } from '../../../lambdas/adapters/oauth2/consent.ts';
import { refreshIdleTokens, storedCredentialSource } from '../../../lambdas/adapters/oauth2/credential-source.ts';
import { createTokenClient } from '../../../lambdas/adapters/oauth2/token-client.ts';
import { MailConnectionError } from '../../../lambdas/core/mailboxes/connection.ts';
import { parseMailServerSecret, serializeMailServerSecret, type OAuth2Settings } from '../../../lambdas/core/mailboxes/oauth2-settings.ts';
import type { MailServer } from '../../../lambdas/core/mailboxes/server.ts';
import { serveApi } from '../../support/api-app.ts';
import { runPostroom } from '../../support/cli.ts';
import { startDovecot, type DovecotServer } from '../../support/dovecot.ts';
import { dovecotServer } from '../../support/dovecot-servers.ts';
import { mailServerRecord } from '../../support/mail-servers.ts';
import { MemoryMailServerStore, MemorySecretStore } from '../../support/oauth2-memory-stores.ts';
import { startTestOAuth2Server, type TestOAuth2Server } from '../../support/oauth2-server.ts';

const USER = 'support@example.test';
const CLIENT_SECRET = 'client-secret-never-shown';
const REDIRECT = 'http://127.0.0.1:3000/oauth2/callback';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

let auth: TestOAuth2Server;
let dovecot: DovecotServer;
let servers: MemoryMailServerStore;
let secrets: MemorySecretStore;
const tokens = createTokenClient();
const logs: string[] = [];
const app = () =>
  createAgentApiApp(
    { interactions: {} as never, queues: {} as never, now: () => new Date(), log: { error: (...a: unknown[]) => logs.push(JSON.stringify(a)) } as never },
    [oauth2Routes({ servers, secrets, tokens, now: () => new Date(), redirectUri: REDIRECT })],
  );

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

function oauthServer(id: string, oauth2: Partial<OAuth2Settings> = {}): MailServer {
  return mailServerRecord({
    id, name: `Mailbox <${id}>`, user: USER, authType: 'oauth2', secretRef: `postroom/mail-servers/${id}`, host: dovecot.host,
    oauth2: { provider: 'custom', flow: 'authorization-code', clientId: 'app', authorizeUrl: auth.authorizeUrl, tokenUrl: auth.tokenUrl, scopes: ['mail'], ...oauth2 },
  });
}

async function addServer(server: MailServer, secret: object = { oauth2: { clientSecret: CLIENT_SECRET } }) {
  await servers.create(server);
  await secrets.put(server.secretRef!, serializeMailServerSecret(secret));
}

/** The admin's browser: POST consent, open the URL, follow the provider's redirect to the callback. */
async function consent(id: string): Promise<{ status: number; html: string; callback: string }> {
  const started = await app().request(`/servers/${id}/oauth2/consent`, { method: 'POST' });
  expect(started.status).toBe(200);
  const { url } = (await started.json()) as { url: string };
  const redirect = await fetch(url, { redirect: 'manual' });
  const callback = new URL(redirect.headers.get('location')!);
  const res = await app().request(`/oauth2/callback${callback.search}`);
  return { status: res.status, html: await res.text(), callback: callback.search };
}

/** An XOAUTH2 login to Dovecot's IMAPS through the connection adapter; false when Dovecot refuses the token. */
async function imapLogin(accessToken: string): Promise<boolean> {
  try {
    const client = await connectImap(dovecotServer(dovecot, 'imap'), { kind: 'oauth2', user: USER, accessToken }, { ca: dovecot.certificate });
    await client.logout();
    return true;
  } catch (err) {
    if (err instanceof MailConnectionError && err.reason === 'authentication') return false;
    throw err;
  }
}

const secretOf = async (id: string) => parseMailServerSecret(await secrets.get(`postroom/mail-servers/${id}`));

describe('consent (authorization code + PKCE) through the API callback', () => {
  it('stores the refresh token, lifts needs-reauth, and the token logs in to Dovecot by XOAUTH2', async () => {
    await addServer({ ...oauthServer('a'), state: 'needs-reauth', lastError: 'consent revoked', messagesFetched: 7, consecutiveFailures: 4, nextPollAt: '2099-01-01T00:00:00Z' });
    const page = await consent('a');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Postroom: consent stored for Mailbox &lt;a&gt;');
    const stored = await secretOf('a');
    expect(stored.oauth2).toMatchObject({ clientSecret: CLIENT_SECRET, refreshToken: expect.stringMatching(/^rt-/), accessToken: expect.stringMatching(/^at-/) });
    expect(stored.oauth2?.pendingConsent).toBeUndefined();
    expect(await servers.get('a')).toMatchObject({ state: 'ok', messagesFetched: 7 });
    expect(await servers.get('a')).not.toHaveProperty('lastError');
    expect(await servers.get('a')).not.toHaveProperty('nextPollAt');
    expect(await servers.get('a')).not.toHaveProperty('consecutiveFailures');
    const credentials = await storedCredentialSource(secrets, tokens).credentialsFor((await servers.get('a'))!);
    expect(credentials).toEqual({ kind: 'oauth2', user: USER, accessToken: stored.oauth2?.accessToken });
    expect(await imapLogin(stored.oauth2!.accessToken!)).toBe(true);
    for (const text of [page.html, ...logs]) for (const s of [CLIENT_SECRET, stored.oauth2!.refreshToken!, stored.oauth2!.accessToken!]) expect(text).not.toContain(s);
  });

  it('postroom server auth prints the consent URL; the browser comes back to the served API, whose address is the redirect URI', async () => {
    await addServer(oauthServer('cli'));
    const api = await serveApi(
      createAgentApiApp({ interactions: {} as never, queues: {} as never, now: () => new Date() }, [oauth2Routes({ servers, secrets, tokens, now: () => new Date() })]),
    );
    try {
      const run = await runPostroom(['server', 'auth', 'cli', '--api', api.url]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const url = /^(http\S+)$/m.exec(run.stdout)![1]!;
      expect(new URL(url).searchParams.get('redirect_uri')).toBe(`${api.url}/oauth2/callback`);
      const location = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
      const page = await fetch(`${api.url}/oauth2/callback${location.search}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(await page.text()).toContain('consent stored for Mailbox &lt;cli&gt;');
      const refused = await runPostroom(['server', 'auth', 'nope', '--api', api.url]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('no such mail server');
    } finally {
      await api.close();
    }
  });

  it('the stored token logs in by XOAUTH2 to POP3 and to SMTP submission as well', async () => {
    await addServer(oauthServer('x'));
    await consent('x');
    const credentials = await storedCredentialSource(secrets, tokens).credentialsFor((await servers.get('x'))!);
    const pop3 = await connectPop3(dovecotServer(dovecot, 'pop3'), credentials, { ca: dovecot.certificate });
    await pop3.quit();
    await verifySmtp(dovecotServer(dovecot, 'smtp'), credentials, { ca: dovecot.certificate });
    await expect(verifySmtp(dovecotServer(dovecot, 'smtp'), { ...credentials, accessToken: 'at-forged' } as typeof credentials, { ca: dovecot.certificate })).rejects.toMatchObject({ reason: 'authentication' });
  });

  it('postroom server oauth2-secret stores a client secret and a service account key; nothing echoes them', async () => {
    await addServer(oauthServer('cc2', { flow: 'client-credentials', clientId: 'daemon' }), {});
    await addServer(oauthServer('sa2', { flow: 'service-account', clientId: 'robot@project.iam.example' }), {});
    const dir = await mkdtemp(join(tmpdir(), 'postroom-key-'));
    const keyFile = join(dir, 'key.json');
    await writeFile(keyFile, JSON.stringify({ type: 'service_account', client_email: 'robot@project.iam.example', private_key: keys.privateKey }));
    const api = await serveApi(app());
    try {
      const secret = await runPostroom(['server', 'oauth2-secret', 'cc2', '--api', api.url], { env: { POSTROOM_OAUTH2_CLIENT_SECRET: CLIENT_SECRET } });
      expect(secret).toMatchObject({ code: 0, stdout: 'Stored the OAuth2 client secret of server cc2.\n' });
      const key = await runPostroom(['server', 'oauth2-secret', 'sa2', '--key-file', keyFile, '--api', api.url]);
      expect(key.code).toBe(0);
      const bad = await app().request('/servers/sa2/oauth2/secret', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ privateKey: 'not a key SECRET-XYZ' }) });
      expect(bad.status).toBe(400);
      expect(await bad.text()).not.toContain('SECRET-XYZ');
    } finally {
      await api.close();
      await rm(dir, { recursive: true, force: true });
    }
    const source = storedCredentialSource(secrets, tokens);
    for (const id of ['cc2', 'sa2']) expect(await imapLogin(((await source.credentialsFor((await servers.get(id))!)) as { accessToken: string }).accessToken)).toBe(true);
  });

  it('refuses a replayed state and a forged one, and stores nothing', async () => {
    await addServer(oauthServer('b'));
    const first = await consent('b');
    const replay = await app().request(`/oauth2/callback${first.callback}`);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('unknown, expired or used already');
    await app().request('/servers/b/oauth2/consent', { method: 'POST' });
    const forgedState = `${Buffer.from('b').toString('base64url')}.${'x'.repeat(43)}`;
    const before = await secrets.get('postroom/mail-servers/b');
    const forged = await app().request(`/oauth2/callback?state=${forgedState}&code=anything`);
    expect(forged.status).toBe(400);
    expect(await secrets.get('postroom/mail-servers/b')).toBe(before);
  });

  it('answers a clear page when the admin declines (access_denied)', async () => {
    await addServer(oauthServer('c'));
    auth.denyNextConsent = true;
    const page = await consent('c');
    expect(page.status).toBe(400);
    expect(page.html).toContain('consent refused for Mailbox &lt;c&gt;');
    expect(page.html).toContain('access_denied');
    expect((await secretOf('c')).oauth2?.refreshToken).toBeUndefined();
  });

  it('refuses consent for a Basic server and for an unknown one', async () => {
    await servers.create(mailServerRecord({ id: 'basic' }));
    expect((await app().request('/servers/basic/oauth2/consent', { method: 'POST' })).status).toBe(409);
    expect((await app().request('/servers/nope/oauth2/consent', { method: 'POST' })).status).toBe(404);
  });

  it('re-authenticate on save drops the refresh token, sets needs-reauth and answers a consent URL', async () => {
    await addServer(oauthServer('d'));
    await consent('d');
    const started = await reauthenticate({ servers, secrets, tokens, now: () => new Date() }, (await servers.get('d'))!, REDIRECT);
    expect(started.url).toContain(auth.authorizeUrl);
    expect((await secretOf('d')).oauth2?.refreshToken).toBeUndefined();
    expect((await servers.get('d'))?.state).toBe('needs-reauth');
  });
});

describe('credential source', () => {
  it('refreshes an expired access token exactly once and never a valid one, keeping a rotated refresh token', async () => {
    await addServer(oauthServer('e'));
    await consent('e');
    const source = storedCredentialSource(secrets, tokens);
    const server = (await servers.get('e'))!;
    const count = () => auth.tokenRequests.filter((t) => t === 'refresh_token').length;
    const before = count();
    const valid = await source.credentialsFor(server);
    await source.credentialsFor(server);
    expect(count()).toBe(before);
    auth.rotateRefreshTokens = true;
    const { refreshToken: oldRefresh } = (await secretOf('e')).oauth2!;
    await secrets.put('postroom/mail-servers/e', serializeMailServerSecret({ oauth2: { ...(await secretOf('e')).oauth2, accessTokenExpiresAt: new Date(Date.now() + 30_000).toISOString() } }));
    auth.expireAccessTokens();
    const fresh = await source.credentialsFor(server);
    const again = await source.credentialsFor(server);
    expect(count()).toBe(before + 1);
    expect(fresh).toEqual(again);
    expect(fresh).not.toEqual(valid);
    expect((await secretOf('e')).oauth2?.refreshToken).not.toBe(oldRefresh);
    expect(await imapLogin((fresh as { accessToken: string }).accessToken)).toBe(true);
    expect(await imapLogin((valid as { accessToken: string }).accessToken)).toBe(false);
  });

  it('gets app-only tokens by client credentials and by a service account JWT, and both log in', async () => {
    await addServer(oauthServer('cc', { flow: 'client-credentials', clientId: 'daemon' }));
    await addServer(oauthServer('sa', { flow: 'service-account', clientId: 'robot@project.iam.example' }), { oauth2: { privateKey: keys.privateKey } });
    const source = storedCredentialSource(secrets, tokens);
    for (const id of ['cc', 'sa']) {
      const c = await source.credentialsFor((await servers.get(id))!);
      expect(c.kind).toBe('oauth2');
      expect(await imapLogin((c as { accessToken: string }).accessToken)).toBe(true);
    }
    expect(auth.tokenRequests).toEqual(expect.arrayContaining(['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer']));
  });

  it('invalid_grant puts only that server into needs-reauth; the other keeps its state and tokens', async () => {
    await addServer(oauthServer('f'));
    await addServer(oauthServer('g'));
    await consent('f');
    await consent('g');
    const gBefore = await secrets.get('postroom/mail-servers/g');
    auth.revokeGrant((await secretOf('f')).oauth2!.refreshToken!);
    await secrets.put('postroom/mail-servers/f', serializeMailServerSecret({ oauth2: { ...(await secretOf('f')).oauth2, accessTokenExpiresAt: new Date(0).toISOString() } }));
    secrets.writes.length = 0;
    const source = storedCredentialSource(secrets, tokens, { servers });
    const err = await source.credentialsFor((await servers.get('f'))!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailConnectionError);
    expect(err).toMatchObject({ reason: 'needs-reauth', message: expect.stringContaining('invalid_grant') });
    expect(await servers.get('f')).toMatchObject({ state: 'needs-reauth', lastErrorReason: 'needs-reauth' });
    expect((await secretOf('f')).oauth2).toEqual({ clientSecret: CLIENT_SECRET });
    expect(await servers.get('g')).toMatchObject({ state: 'ok' });
    expect(await secrets.get('postroom/mail-servers/g')).toBe(gBefore);
    expect(secrets.writes).toEqual(['postroom/mail-servers/f']);
    await expect(source.credentialsFor((await servers.get('f'))!)).rejects.toMatchObject({ reason: 'needs-reauth' });
    expect(JSON.stringify(await servers.get('f'))).not.toContain(CLIENT_SECRET);
  });

  it('an endpoint that fails or cannot be reached is transient, never needs-reauth', async () => {
    await addServer(oauthServer('h', { flow: 'client-credentials', clientId: 'daemon' }));
    const source = storedCredentialSource(secrets, tokens, { servers });
    auth.failNext.push(503);
    await expect(source.credentialsFor((await servers.get('h'))!)).rejects.toMatchObject({ reason: 'protocol' });
    const gone = oauthServer('h', { flow: 'client-credentials', clientId: 'daemon', tokenUrl: 'http://127.0.0.1:1/token' });
    await expect(source.credentialsFor(gone)).rejects.toMatchObject({ reason: 'tcp' });
    expect((await servers.get('h'))?.state).toBe('ok');
  });

  it('refreshes idle refresh tokens only', async () => {
    await addServer(oauthServer('i'));
    await addServer(oauthServer('j'));
    await consent('i');
    await consent('j');
    const i = (await secretOf('i')).oauth2!;
    await secrets.put('postroom/mail-servers/i', serializeMailServerSecret({ oauth2: { ...i, refreshTokenUsedAt: '2026-01-01T00:00:00Z' } }));
    const out = await refreshIdleTokens(await servers.list(), { secrets, tokens });
    expect(out).toEqual({ refreshed: ['i'], failed: [] });
    expect(Date.parse((await secretOf('i')).oauth2!.refreshTokenUsedAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('basic servers get their password, or no-secret', async () => {
    await addServer(mailServerRecord({ id: 'p', secretRef: 'postroom/mail-servers/p' }), { password: 'pw' });
    const source = storedCredentialSource(secrets, tokens);
    expect(await source.credentialsFor((await servers.get('p'))!)).toEqual({ kind: 'password', user: 'support@example.com', password: 'pw' });
    await expect(source.credentialsFor(mailServerRecord({ id: 'q', secretRef: 'postroom/mail-servers/q' }))).rejects.toMatchObject({ reason: 'no-secret' });
  });
});
