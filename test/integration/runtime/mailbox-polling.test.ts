/**
 * Mailbox polling end to end in the local runtime (issue 10 items 4 to 6): a mail waiting in a
 * Dovecot IMAP mailbox is fetched once the server is saved (the registry's onSaved hook enqueues
 * an immediate poll job on the FIFO queue), routed into the default queue, and the server's health
 * says what the poll did. The Dovecot certificate is trusted through the runtime's mailCaFiles.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailConnectionTester } from '../../../lambdas/adapters/mailboxes/connection-tester.ts';
import { FileSecretStore } from '../../../lambdas/adapters/secrets/file-secret-store.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { runtimeCaller } from '../../support/runtime-auth.ts';
import { startDovecot, type DovecotServer } from '../../support/dovecot.ts';
import { eventually } from '../../support/eventually.ts';
import { SecretCredentials } from '../../support/memory-mail-servers.ts';

const USER = 'support@example.test';
const PASSWORD = 'polling-e2e-password';

describe('mailbox polling in the local runtime', () => {
  let dovecot: DovecotServer;
  let runtime: LocalRuntime;
  let dir: string;
  const call = runtimeCaller(() => runtime);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'postroom-polling-'));
    dovecot = await startDovecot({ users: { [USER]: PASSWORD } });
    const ca = join(dir, 'dovecot-ca.pem');
    await writeFile(ca, dovecot.certificate);
    const dataDir = join(dir, 'data');
    runtime = await startLocalRuntime({
      dataDir,
      smtpPort: 0,
      apiPort: 0,
      stateDir: dir,
      mailCaFiles: [ca],
      mailServers: { tester: new MailConnectionTester({ ca: dovecot.certificate, timeoutMs: 5_000 }), credentials: new SecretCredentials(FileSecretStore.inDataDir(dataDir)) },
    });
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
    await dovecot?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('fetches a waiting mail once the server is saved, routes it, and records the poll in the health', async () => {
    const subject = `Polled order question ${Date.now()}`;
    await dovecot.deliver(USER, `From: ada@customer.example\r\nTo: ${USER}\r\nSubject: ${subject}\r\nMessage-ID: <polled-1@customer.example>\r\nDate: ${new Date().toUTCString()}\r\n\r\nWhere is my order?\r\n`);
    expect((await call('PUT', '/flows/polled', { name: 'Polled', rules: [] })).status).toBeLessThan(300);
    const added = await call('POST', '/servers', {
      type: 'imap',
      name: 'Support IMAP',
      host: dovecot.host,
      port: dovecot.ports.imaps,
      sniServerName: 'localhost',
      user: USER,
      password: PASSWORD,
      routing: { kind: 'flow', flowId: 'polled' },
      enabled: true,
    });
    expect(added.status).toBe(201);
    const id = added.body.server.id as string;

    const waiting = await eventually(
      async () => {
        const { body } = await call('GET', '/queues/default/interactions');
        return body.interactions?.find((i: { subject: string }) => i.subject === subject);
      },
      { what: 'the polled mail to wait in the default queue', timeoutMs: 30_000 },
    );
    expect(waiting).toBeDefined();
    const { body } = await call('GET', `/servers/${id}`);
    expect(body.server).toMatchObject({ state: 'ok', messagesFetched: 1, backlog: 0, consecutiveFailures: 0 });
    expect(body.server.lastSuccessAt).toBeDefined();
  });
});
