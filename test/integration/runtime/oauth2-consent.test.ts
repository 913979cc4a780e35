/**
 * The OAuth2 consent on the local runtime (issue 10 item 3): `POST /servers/:id/oauth2/consent`
 * answers a consent URL whose redirect URI is the runtime's own API address; the provider (a
 * loopback test authorization server) sends the browser to the runtime's `/oauth2/callback`, which
 * stores the refresh token in the 0600 secrets file and never shows a token in an answer.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { runtimeCaller, shareRuntimeKey } from '../../support/runtime-auth.ts';
import { runPostroom } from '../../support/cli.ts';
import { startTestOAuth2Server, type TestOAuth2Server } from '../../support/oauth2-server.ts';

let runtime: LocalRuntime;
let auth: TestOAuth2Server;
const call = runtimeCaller(() => runtime);

beforeAll(async () => {
  auth = await startTestOAuth2Server();
  auth.clients.set('local-app', {});
  runtime = await startLocalRuntime({ memory: true, smtpPort: 0, apiPort: 0, dnsServers: ['127.0.0.1:9'] });
  shareRuntimeKey(runtime);
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  await auth?.stop();
});

describe('OAuth2 consent on the local runtime', () => {
  it('stores the consent through the callback, answers no token, and refuses the same state twice', async () => {
    // Prepare: a disabled OAuth2 server of a custom provider on loopback (http is allowed there only)
    const created = await call('POST', '/servers', {
      type: 'imap', name: 'Consent <test>', host: 'imap.example.test', user: 'support@example.test', authType: 'oauth2', enabled: false,
      oauth2: { provider: 'custom', flow: 'authorization-code', clientId: 'local-app', authorizeUrl: auth.authorizeUrl, tokenUrl: auth.tokenUrl, scopes: ['mail'] },
    });
    expect(created.status).toBe(201);
    const id = created.body.server.id as string;
    // Act: the admin asks for the URL, the browser consents and comes back
    const started = await call('POST', `/servers/${id}/oauth2/consent`);
    expect(started.status).toBe(200);
    const location = (await fetch(started.body.url as string, { redirect: 'manual' })).headers.get('location')!;
    expect(location.startsWith(`${runtime.apiUrl.replace(/\/$/, '')}/oauth2/callback?`)).toBe(true);
    const page = await fetch(location);
    // Assess
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Postroom: consent stored for Consent &lt;test&gt;');
    const secrets = await readFile(runtime.secretsFile, 'utf8');
    expect(secrets).toMatch(/rt-[0-9a-f]{32}/);
    const shown = JSON.stringify([(await call('GET', `/servers/${id}`)).body, (await call('GET', '/servers/status')).body, (await call('GET', '/servers')).body]);
    expect(shown).not.toMatch(/rt-[0-9a-f]{32}|at-[0-9a-f]{32}/);
    expect((await fetch(location)).status).toBe(400);
    // Re-authenticate on save (seed step 7): the refresh token is dropped, the server needs a consent, the save prints its URL
    const refresh = /rt-[0-9a-f]{32}/.exec(secrets)![0];
    const saved = await runPostroom([
      'server', 'update', id, '--oauth2-provider', 'custom', '--oauth2-flow', 'authorization-code', '--oauth2-client-id', 'local-app',
      '--oauth2-authorize-url', auth.authorizeUrl, '--oauth2-token-url', auth.tokenUrl, '--oauth2-scope', 'mail', '--reauthenticate', '--api', runtime.apiUrl,
    ]);
    expect(saved.stderr).toBe('');
    const url = new URL(/^Re-authenticate: .*\n(\S+)$/m.exec(saved.stdout)![1]!);
    expect(url.searchParams.get('redirect_uri')).toBe(new URL('/oauth2/callback', runtime.apiUrl).toString());
    expect(await readFile(runtime.secretsFile, 'utf8')).not.toContain(refresh);
    expect((await call('GET', `/servers/${id}`)).body.server.state).toBe('needs-reauth');
  });

  it('GET /servers/status warns of a client secret that expires within 14 days', async () => {
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const created = await call('POST', '/servers', {
      type: 'smtp', name: 'App-only', host: 'smtp.example.test', user: 'support@example.test', authType: 'oauth2', enabled: false,
      oauth2: { provider: 'microsoft', flow: 'client-credentials', clientId: 'app', tenant: 'contoso.example', clientSecretExpiresAt: soon },
    });
    expect(created.status).toBe(201);
    const rows = (await call('GET', '/servers/status')).body.servers as { id: string; warnings?: { kind: string }[] }[];
    expect(rows.find((r) => r.id === created.body.server.id)?.warnings).toMatchObject([{ kind: 'client-secret-expiring' }]);
    const status = await runPostroom(['server', 'status', '--api', runtime.apiUrl]);
    expect(status.stdout).toMatch(/^warning: App-only: the OAuth2 client secret expires in 3 days/m);
    const bad = await call('POST', '/servers', {
      type: 'smtp', name: 'Bad', host: 'smtp.example.test', user: 'support@example.test', authType: 'oauth2', enabled: false,
      oauth2: { provider: 'google', flow: 'client-credentials', clientId: 'app' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('oauth2.flow');
  });

  it('refuses a consent URL for a Basic server and a callback with a made-up state', async () => {
    const basic = await call('POST', '/servers', { type: 'pop3', name: 'Basic', host: 'pop.example.test', user: 'support@example.test', enabled: false });
    expect(basic.status).toBe(201);
    expect((await call('POST', `/servers/${basic.body.server.id}/oauth2/consent`)).status).toBe(409);
    const forged = await fetch(`${runtime.apiUrl.replace(/\/$/, '')}/oauth2/callback?state=${Buffer.from(basic.body.server.id).toString('base64url')}.${'A'.repeat(43)}&code=x`);
    expect(forged.status).toBe(400);
  });
});
