/**
 * How the token client reads a token endpoint's answers: which failures need an admin's new
 * consent (needs-reauth) and which are transient, with messages that quote the provider but never
 * a token or secret. The endpoint is a fetch that answers a fixed response.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { emitSecretExpiryWarnings, eventBridgeSecretExpiringPublisher, type SecretExpiringEvent } from '../../../../lambdas/adapters/oauth2/secret-expiry-events.ts';
import { createTokenClient } from '../../../../lambdas/adapters/oauth2/token-client.ts';
import { parseMailServerSecret, serializeMailServerSecret } from '../../../../lambdas/core/mailboxes/oauth2-settings.ts';
import { mailServerRecord } from '../../../support/mail-servers.ts';
import { MemorySecretStore } from '../../../support/oauth2-memory-stores.ts';

const answer = (status: number, body: unknown) => createTokenClient({ fetch: async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status }), now: () => new Date('2026-11-26T12:00:00Z') });
const refresh = (status: number, body: unknown) => answer(status, body).refresh({ tokenUrl: 'https://login.example/token', clientId: 'c', clientSecret: 'SECRET-1', refreshToken: 'RT-1', scopes: ['s'] });

describe('token client answers', () => {
  it('reads a token set; expires_in defaults to an hour', async () => {
    await expect(refresh(200, { access_token: 'AT', expires_in: 600, refresh_token: 'RT-2' })).resolves.toEqual({ accessToken: 'AT', expiresAt: '2026-11-26T12:10:00.000Z', refreshToken: 'RT-2' });
    await expect(refresh(200, { access_token: 'AT' })).resolves.toEqual({ accessToken: 'AT', expiresAt: '2026-11-26T13:00:00.000Z' });
  });

  it.each([
    [400, { error: 'invalid_grant', error_description: 'AADSTS700082: The refresh token has expired due to inactivity.' }],
    [401, { error: 'invalid_client', error_description: 'AADSTS7000222: The provided client secret keys are expired.' }],
    [400, { error: 'unauthorized_client' }],
    [400, { error: 'invalid_request', error_description: 'AADSTS65001: The user or administrator has not consented to use the application.' }],
  ])('HTTP %i %j needs a new consent', async (status, body) => {
    const err = (await refresh(status, body).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ name: 'MailConnectionError', reason: 'needs-reauth' });
    expect(err.message).toContain(body.error);
    for (const secret of ['SECRET-1', 'RT-1']) expect(err.message).not.toContain(secret);
  });

  it.each([
    [503, { error: 'temporarily_unavailable' }, 'protocol'],
    [502, '<html>bad gateway</html>', 'protocol'],
    [429, { error: 'slow_down' }, 'protocol'],
    [400, { error: 'invalid_scope' }, 'authentication'],
    [200, { token_type: 'Bearer' }, 'protocol'],
  ])('HTTP %i %j is %s, not needs-reauth', async (status, body, reason) => {
    await expect(refresh(status, body)).rejects.toMatchObject({ reason });
  });

  it('a timeout and an unknown host are transient', async () => {
    const slow = createTokenClient({ timeoutMs: 50, fetch: (_u, init) => new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))) });
    await expect(slow.clientCredentials({ tokenUrl: 'https://login.example/token', clientId: 'c', clientSecret: 's', scopes: [] })).rejects.toMatchObject({ reason: 'timeout' });
    const dns = createTokenClient({ fetch: async () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } })) });
    await expect(dns.clientCredentials({ tokenUrl: 'https://nowhere.example/token', clientId: 'c', clientSecret: 's', scopes: [] })).rejects.toMatchObject({ reason: 'dns' });
  });
});

describe('Mail Server Secret Expiring events', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  const expiring = mailServerRecord({ id: 'x', name: 'Outlook', authType: 'oauth2', secretRef: 'ref/x', oauth2: { provider: 'microsoft', flow: 'client-credentials', clientId: 'c', tenant: 't', clientSecretExpiresAt: '2026-12-01' } });
  const fine = mailServerRecord({ id: 'y', authType: 'oauth2', secretRef: 'ref/y', oauth2: { ...expiring.oauth2!, clientSecretExpiresAt: '2027-06-01' } });

  it('are emitted once a day per server, without the secret, and sent to EventBridge', async () => {
    const secrets = new MemorySecretStore();
    await secrets.put('ref/x', serializeMailServerSecret({ oauth2: { clientSecret: 'SECRET-X' } }));
    const sent: SecretExpiringEvent[][] = [];
    const deps = { secrets, publish: async (e: readonly SecretExpiringEvent[]) => void sent.push([...e]), now: () => now };
    expect(await emitSecretExpiryWarnings([expiring, fine], deps)).toHaveLength(1);
    expect(await emitSecretExpiryWarnings([expiring, fine], { ...deps, now: () => new Date(now.getTime() + 3_600_000) })).toEqual([]);
    expect(await emitSecretExpiryWarnings([expiring], { ...deps, now: () => new Date(now.getTime() + 86_400_000) })).toHaveLength(1);
    expect(sent[0]).toEqual([{ serverId: 'x', serverName: 'Outlook', kind: 'client-secret-expiring', expiresAt: '2026-12-01T00:00:00.000Z', message: expect.stringContaining('in 5 days') }]);
    expect(parseMailServerSecret(await secrets.get('ref/x')).oauth2?.clientSecret).toBe('SECRET-X');

    const client = new EventBridgeClient({ region: 'eu-west-1' });
    const entries: PutEventsRequestEntry[] = [];
    mockClient(client).on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => (entries.push(...input.Entries), { FailedEntryCount: 0, Entries: [] }));
    await eventBridgeSecretExpiringPublisher(client, 'bus')(sent[0]!);
    expect(entries.map((e) => [e.Source, e.DetailType, e.EventBusName])).toEqual([['postroom', 'Mail Server Secret Expiring', 'bus']]);
    expect(entries[0]!.Detail).not.toContain('SECRET-X');
  });
});
