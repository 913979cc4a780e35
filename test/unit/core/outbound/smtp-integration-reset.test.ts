/**
 * The registry's SMTP rules: at most 20 SMTP servers (a field error on `type`), and the reset rule
 * (OUT-5): a save with a new password, or one that turns the server on, sets its integration valid
 * and resumes the sends it held at once; a save that changes neither leaves them held.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lambdas/core/errors.ts';
import { MailServerService } from '../../../../lambdas/core/mailboxes/server-service.ts';
import { resetOnSmtpServerSave } from '../../../../lambdas/core/outbound/smtp-integration-reset.ts';
import { smtpServerInput } from '../../../support/mail-servers.ts';
import { MemoryMailServerStore, MemorySecretStore, ScriptedTester, SecretCredentials } from '../../../support/memory-mail-servers.ts';

const NOW = new Date('2026-11-27T00:00:00.000Z');

describe('SMTP servers in the registry', () => {
  let store: MemoryMailServerStore;
  let state: Map<string, 'valid' | 'error'>;
  let held: Map<string, string[]>;
  let notified: string[][];
  let service: MailServerService;
  let ids: number;

  beforeEach(() => {
    store = new MemoryMailServerStore();
    const secrets = new MemorySecretStore();
    state = new Map();
    held = new Map();
    notified = [];
    ids = 0;
    const deps = {
      integrations: { setValid: async (id: string) => (state.set(id, 'valid'), 'error' as const) },
      outbox: { listHeld: async (id: string) => [...(held.get(id) ?? [])], unhold: async (id: string) => ([...held.values()].forEach((l) => l.splice(l.indexOf(id), 1)), true) },
      notifier: { notify: async (ids: readonly string[]) => void notified.push([...ids]) },
      now: () => NOW,
    };
    service = new MailServerService({
      store,
      secrets,
      addresses: { list: async () => [] },
      flows: { list: async () => [] },
      credentials: new SecretCredentials(secrets),
      tester: new ScriptedTester(),
      onSmtpSaved: async (save) => void (await resetOnSmtpServerSave(save, deps)),
      now: () => NOW,
      newId: () => `srv-${(ids += 1)}`,
    });
  });

  it('refuses a 21st SMTP server, and a server turned SMTP beyond 20, on the field type', async () => {
    for (let i = 0; i < 20; i += 1) await service.add(smtpServerInput({ name: `Out ${i}`, enabled: false }));
    const refused = await service.add(smtpServerInput({ name: 'Out 21', enabled: false })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fieldReasons).toEqual({ type: 'mail-server.smtp-limit-reached' });

    const imap = await service.add({ type: 'imap', name: 'In', host: 'imap.example.com', user: 'in@example.com', enabled: false });
    await expect(service.update(imap.server.id, { type: 'smtp' })).rejects.toBeInstanceOf(ValidationError);
    await expect(service.update('srv-1', { name: 'Out 0 renamed' })).resolves.toMatchObject({ server: { name: 'Out 0 renamed' } });
    expect((await store.list()).filter((s) => s.type === 'smtp')).toHaveLength(20);
  });

  it('resumes held sends at once when the password is changed', async () => {
    const { server } = await service.add(smtpServerInput());
    state.set(server.id, 'error');
    held.set(server.id, ['o-1', 'o-2']);

    await service.update(server.id, { password: 'the fixed password' });

    expect(state.get(server.id)).toBe('valid');
    expect(notified).toEqual([['o-1', 'o-2']]);
    expect(held.get(server.id)).toEqual([]);
  });

  it('resumes on toggling off and on, not on a save that changes neither', async () => {
    const { server } = await service.add(smtpServerInput());
    state.set(server.id, 'error');
    held.set(server.id, ['o-3']);

    await service.update(server.id, { description: 'nothing about credentials' });
    expect([state.get(server.id), notified]).toEqual(['error', []]);

    await service.update(server.id, { enabled: false });
    expect(notified).toEqual([]);
    await service.update(server.id, { enabled: true });
    expect([state.get(server.id), notified]).toEqual(['valid', [['o-3']]]);
  });

  it('only logs a failing reset: the save stands', async () => {
    const logged: string[] = [];
    const failing = new MailServerService({
      store,
      secrets: new MemorySecretStore(),
      addresses: { list: async () => [] },
      flows: { list: async () => [] },
      onSmtpSaved: async () => Promise.reject(new Error('queue down')),
      log: (m) => logged.push(m),
      now: () => NOW,
    });
    const { server } = await failing.add(smtpServerInput({ enabled: false, password: undefined }));
    expect(await store.get(server.id)).toBeDefined();
    expect(logged).toEqual(['mail server saved, integration reset failed']);
  });
});
