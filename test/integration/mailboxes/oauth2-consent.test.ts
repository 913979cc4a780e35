/**
 * The OAuth2 consent end to end (issue 10 item 3): the authorization-code flow with PKCE through the
 * API callback and the CLI against a loopback authorization server, XOAUTH2 logins to Dovecot's
 * IMAP, POP3 and submission with the tokens it stored, states that cannot be forged or replayed, a
 * declined consent, re-authenticate on save, and client secrets stored without an echo.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectPop3 } from '../../../lambdas/adapters/mailboxes/pop3-client.ts';
import { verifySmtp } from '../../../lambdas/adapters/mailboxes/smtp-connect.ts';
import { createAgentApiApp } from '../../../lambdas/adapters/api/api-app.ts';
import { oauth2Routes } from '../../../lambdas/adapters/api/routes/oauth2.ts';
import { reauthenticate } from '../../../lambdas/adapters/oauth2/consent.ts';
import { storedCredentialSource } from '../../../lambdas/adapters/oauth2/credential-source.ts';
import { adminCallers, serveApi } from '../../support/api-app.ts';
import { runPostroom } from '../../support/cli.ts';
import { dovecotServer } from '../../support/dovecot-servers.ts';
import { mailServerRecord } from '../../support/mail-servers.ts';
import { addServer, app, auth, CLIENT_SECRET, consent, dovecot, imapLogin, keys, logs, oauthServer, REDIRECT, secretOf, secrets, servers, tokens, USER, useOAuth2Fixture } from '../../support/oauth2-fixture.ts';

useOAuth2Fixture();

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
      createAgentApiApp({ callers: adminCallers, interactions: {} as never, queues: {} as never, now: () => new Date() }, [oauth2Routes({ servers, secrets, tokens, now: () => new Date() })]),
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

