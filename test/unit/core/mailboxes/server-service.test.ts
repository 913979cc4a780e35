/**
 * The mail server registry's service with in-memory ports and a scripted tester: every outcome of
 * enable = test, partial updates, the secret merge, duplicate, delete, test and the template race.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../../../lambdas/core/errors.ts';
import { MailConnectionError } from '../../../../lambdas/core/mailboxes/connection.ts';
import { ConnectionTestFailedError, ConnectionTestUnavailableError, MailServerService, type MailServerServiceDeps } from '../../../../lambdas/core/mailboxes/server-service.ts';
import { imapServerInput, smtpServerInput } from '../../../support/mail-servers.ts';
import { MemoryMailServerStore, MemorySecretStore, ScriptedTester, SecretCredentials } from '../../../support/memory-mail-servers.ts';

const CANARY = 'canary-Pässwört-7d1f';
const NOW = new Date('2026-11-26T10:00:00.000Z');

describe('MailServerService', () => {
  let store: MemoryMailServerStore;
  let secrets: MemorySecretStore;
  let tester: ScriptedTester;
  let credentials: SecretCredentials;
  let saved: string[];
  let logged: string[];
  let service: MailServerService;
  let ids: number;

  const make = (over: Partial<MailServerServiceDeps> = {}) =>
    new MailServerService({
      store,
      secrets,
      addresses: { list: async () => [{ address: 'support@example.com', routing: { kind: 'queue', queueId: 'q' } }, { address: 'out@example.com', routing: { kind: 'none' } }] as never },
      flows: { list: async () => [{ id: 'triage' }] as never },
      credentials,
      tester,
      onSaved: async (s) => {
        saved.push(s.id);
      },
      log: (message) => logged.push(message),
      now: () => NOW,
      newId: () => `srv-${(ids += 1)}`,
      ...over,
    });

  beforeEach(() => {
    store = new MemoryMailServerStore();
    secrets = new MemorySecretStore();
    tester = new ScriptedTester();
    credentials = new SecretCredentials(secrets);
    saved = [];
    logged = [];
    ids = 0;
    service = make();
  });

  it('adds an enabled server after a successful test, with its password only in the secret store', async () => {
    const { server, test } = await service.add(imapServerInput({ password: CANARY, backfillDays: 3 }));

    expect(test).toMatchObject({ ok: true });
    expect(server).toMatchObject({ id: 'srv-1', enabled: true, state: 'ok', lastSuccessAt: NOW.toISOString(), backlog: 3, secretRef: 'postroom/mail-servers/srv-1' });
    expect(tester.calls[0]).toMatchObject({ credentials: { kind: 'password', password: CANARY }, backfillDays: 3 });
    expect(JSON.parse(secrets.values.get('postroom/mail-servers/srv-1')!)).toEqual({ password: CANARY });
    expect(JSON.stringify(await store.list())).not.toContain(CANARY);
    expect(saved).toEqual(['srv-1']);
  });

  it('stores nothing when the test of an enabled save fails, and answers the failure', async () => {
    tester.next = { ok: false, reason: 'authentication', message: 'the server refused the user name or password' };

    const err = await service.add(imapServerInput()).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ConnectionTestFailedError);
    expect((err as ConnectionTestFailedError).message).toBe('connection failed: the server refused the user name or password');
    expect((err as ConnectionTestFailedError).result.reason).toBe('authentication');
    expect(await store.list()).toEqual([]);
    expect(secrets.values.size).toBe(0);
    expect(saved).toEqual([]);
  });

  it('saves a failing server inactive when asked, with the failure beside it', async () => {
    tester.next = { ok: false, reason: 'dns', message: 'imap.example.com does not resolve' };

    const { server, test } = await service.add(imapServerInput(), { onConnectionFailure: 'save-inactive' });

    expect(test).toMatchObject({ ok: false, reason: 'dns' });
    expect(server).toMatchObject({ enabled: false, state: 'disabled', lastError: 'imap.example.com does not resolve', lastErrorReason: 'dns' });
    expect(await store.get(server.id)).toMatchObject({ enabled: false, state: 'disabled', lastErrorReason: 'dns' });
    expect(secrets.values.size).toBe(1);
    expect(saved).toEqual([]);
  });

  it('saves a disabled server without a test, and refuses an enabled one when nothing can test', async () => {
    const untested = make({ tester: undefined });

    const { server, test } = await untested.add(imapServerInput({ enabled: false }));

    expect(test).toBeUndefined();
    expect(server.state).toBe('disabled');
    await expect(untested.add(imapServerInput())).rejects.toBeInstanceOf(ConnectionTestUnavailableError);
    expect(tester.calls).toHaveLength(0);
  });

  it('counts a credential failure as a failed test', async () => {
    const { server } = await service.add(imapServerInput({ enabled: false }));
    credentials.failWith = new MailConnectionError('needs-reauth', 'the OAuth2 grant was revoked; consent again');

    const err = await service.update(server.id, { enabled: true }).catch((e: unknown) => e);

    expect((err as ConnectionTestFailedError).result).toEqual({ ok: false, reason: 'needs-reauth', message: 'the OAuth2 grant was revoked; consent again' });
    expect((await store.get(server.id))?.enabled).toBe(false);
  });

  it('updates partially: omitted fields and an empty password keep what is stored; null clears', async () => {
    const { server } = await service.add(imapServerInput({ host: '192.0.2.10', sniServerName: 'imap.example.com', description: 'first' }));

    const { server: next } = await service.update(server.id, { description: 'second', password: '', host: 'imap.example.com', sniServerName: null });

    expect(next).toMatchObject({ description: 'second', host: 'imap.example.com', user: 'support@example.com', routing: { kind: 'flow', flowId: 'triage' } });
    expect(next).not.toHaveProperty('sniServerName');
    expect(tester.calls[1]!.credentials).toEqual({ kind: 'password', user: 'support@example.com', password: 'correct horse battery staple' });
    expect(await store.get(server.id)).toMatchObject({ description: 'second', state: 'ok', updatedAt: NOW.toISOString() });
  });

  it('merges a new password into the secret and keeps its OAuth2 fields', async () => {
    const { server } = await service.add(imapServerInput());
    await secrets.put(server.secretRef!, JSON.stringify({ password: 'old', oauth2: { refreshToken: 'rt' } }));

    await service.update(server.id, { password: CANARY });

    expect(JSON.parse(secrets.values.get(server.secretRef!)!)).toEqual({ password: CANARY, oauth2: { refreshToken: 'rt' } });
    expect(tester.calls[1]!.credentials).toMatchObject({ password: CANARY });
  });

  it('refuses an update over a change made since it read, and an unknown id', async () => {
    const { server } = await service.add(imapServerInput({ enabled: false }));
    const racing = make({ now: () => new Date(NOW.getTime() + 1) });
    const slowStore = Object.create(store) as MemoryMailServerStore;
    slowStore.update = async (s, expected) => {
      await racing.update(server.id, { description: 'theirs' });
      return store.update(s, expected);
    };

    await expect(make({ store: slowStore }).update(server.id, { description: 'mine' })).rejects.toBeInstanceOf(ConflictError);
    expect((await store.get(server.id))?.description).toBe('theirs');
    await expect(service.update('nope', { description: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses invalid settings field by field, storing nothing', async () => {
    const err = (await service.add(imapServerInput({ routing: { kind: 'address', address: 'out@example.com' }, name: '' })).catch((e: unknown) => e)) as ValidationError;

    expect(Object.keys(err.fields).sort()).toEqual(['name', 'routing.address']);
    expect(await store.list()).toEqual([]);
  });

  it('duplicates a server disabled, as an agent server, without its secret', async () => {
    const { server } = await service.add(smtpServerInput({ role: 'template' }));

    const copy = await service.duplicate(server.id, 'Outbound (copy)');

    expect(copy).toMatchObject({ name: 'Outbound (copy)', enabled: false, role: 'agent', state: 'disabled', host: 'smtp.example.com' });
    expect(copy.secretRef).toBeUndefined();
    expect(secrets.values.size).toBe(1);
    await expect(service.duplicate(server.id, '')).rejects.toBeInstanceOf(ValidationError);
  });

  it('deletes a server and its secret', async () => {
    const { server } = await service.add(imapServerInput());

    await service.delete(server.id);

    expect(secrets.values.size).toBe(0);
    await expect(service.get(server.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.delete(server.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('tests a stored server and records the outcome as its health only', async () => {
    const { server } = await service.add(imapServerInput());
    tester.next = { ok: false, reason: 'tls-certificate', message: 'the certificate is not valid for imap.example.com' };
    const failed = await service.test(server.id);
    credentials.failWith = new MailConnectionError('needs-reauth', 'consent again');
    const reauth = await service.test(server.id);
    credentials.failWith = undefined;
    tester.next = { ok: true, message: 'connection successful', backlog: 9 };
    const ok = await service.test(server.id);

    expect([failed.server.state, reauth.server.state, ok.server.state]).toEqual(['error', 'needs-reauth', 'ok']);
    expect(failed.server).toMatchObject({ lastError: 'the certificate is not valid for imap.example.com', lastErrorReason: 'tls-certificate' });
    const stored = await store.get(server.id);
    expect(stored).toMatchObject({ state: 'ok', backlog: 9, updatedAt: server.updatedAt });
    expect(stored).not.toHaveProperty('lastError');
  });

  it('lets only one of two concurrent saves become the template server', async () => {
    const results = await Promise.allSettled([service.add(smtpServerInput({ role: 'template', name: 'A' })), service.add(smtpServerInput({ role: 'template', name: 'B' }))]);

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect((refused.reason as ValidationError).fieldReasons.role).toBe('mail-server.template-taken');
    expect(secrets.values.size).toBe(1);
    await expect(service.add(smtpServerInput({ role: 'template', name: 'C' }))).rejects.toBeInstanceOf(ValidationError);
  });

  it('keeps a save whose immediate poll fails, logging it', async () => {
    const failing = make({ onSaved: async () => Promise.reject(new Error('queue down')) });

    const { server } = await failing.add(imapServerInput());

    expect(await store.get(server.id)).toBeDefined();
    expect(logged).toEqual(['mail server saved, immediate poll failed']);
  });

  it('answers every server in the status, counters zero when never polled', async () => {
    await service.add(imapServerInput({ enabled: false }));
    await store.setHealth('srv-1', { state: 'error', lastError: 'timeout', consecutiveFailures: 3, nextPollAt: '2026-11-26T10:05:00.000Z' });

    expect(await service.status()).toEqual([
      expect.objectContaining({ id: 'srv-1', state: 'error', lastError: 'timeout', consecutiveFailures: 3, messagesFetched: 0, nextPollAt: '2026-11-26T10:05:00.000Z' }),
    ]);
  });
});
