/**
 * The stored credential source against a loopback authorization server and Dovecot (issue 10 items
 * 3 and 7): an expired access token refreshed exactly once and a valid one never, rotated refresh
 * tokens kept, client credentials and a service account JWT, invalid_grant confined to its server,
 * transient endpoint failures, idle refresh tokens, and Basic passwords.
 */
import { describe, expect, it } from 'vitest';
import { refreshIdleTokens, storedCredentialSource } from '../../../lambdas/adapters/oauth2/credential-source.ts';
import { MailConnectionError } from '../../../lambdas/core/mailboxes/connection.ts';
import { serializeMailServerSecret } from '../../../lambdas/core/mailboxes/oauth2-settings.ts';
import { mailServerRecord } from '../../support/mail-servers.ts';
import { addServer, auth, CLIENT_SECRET, consent, imapLogin, keys, oauthServer, secretOf, secrets, servers, tokens, useOAuth2Fixture } from '../../support/oauth2-fixture.ts';

useOAuth2Fixture();

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
