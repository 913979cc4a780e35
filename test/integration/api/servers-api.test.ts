/**
 * The mail server routes of the HTTP API over dynalite, the 0600 secrets file and a scripted
 * connection tester: enable = test answered in words (201, 422 with the test, save inactive), partial
 * updates, duplicate, delete, test, status, and no answer that carries a password or a secret's
 * reference.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePorts } from '../../support/dovecot-process.ts';
import { DynamoFlowStore } from '../../../lambdas/adapters/dynamodb/flow-store.ts';
import { mailServerService } from '../../../lambdas/adapters/mail-server-service-env.ts';
import { MailConnectionTester } from '../../../lambdas/adapters/mailboxes/connection-tester.ts';
import { FileSecretStore } from '../../../lambdas/adapters/secrets/file-secret-store.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { dynamoApiApp } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';
import { ScriptedTester, SecretCredentials } from '../../support/memory-mail-servers.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';

const CANARY = 'canary-7f3a-Pässwort';
const imap = { type: 'imap', name: 'Support', host: 'imap.example.com', user: 'support@example.com', password: CANARY, routing: { kind: 'flow', flowId: 'triage' } };


describe('mail server routes on dynalite', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let dir: string;
  let app: Hono;
  let wired: Hono;
  let secrets: FileSecretStore;
  const tester = new ScriptedTester();
  const call = apiCaller(() => app);

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'servers-api');
    dir = await mkdtemp(join(tmpdir(), 'servers-api-'));
    secrets = FileSecretStore.inDataDir(dir);
    await new DynamoFlowStore(tables.doc, tables.config).put('triage', { name: 'Triage', rules: [] } as never, new Date());
    app = dynamoApiApp(tables, {}, { mailServers: mailServerService(tables.doc, tables.config, secrets, { tester, credentials: new SecretCredentials(secrets) }) });
    wired = dynamoApiApp(tables, {}, { mailServers: mailServerService(tables.doc, tables.config, secrets, { tester: new MailConnectionTester() }) });
  });
  afterAll(async () => {
    tables?.destroy();
    await dynalite?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    tester.next = { ok: true, message: 'connection successful: 2 messages in INBOX', backlog: 2 };
  });

  it('adds an enabled server after its test and never shows the password', async () => {
    const added = await call('POST', '/servers', { ...imap, enabled: true });

    expect(added.status).toBe(201);
    expect(added.body.test).toEqual({ ok: true, message: 'connection successful: 2 messages in INBOX', backlog: 2 });
    expect(added.body.server).toMatchObject({ type: 'imap', port: 993, imapFolder: 'INBOX', enabled: true, state: 'ok', hasSecret: true });
    expect(added.body.server).not.toHaveProperty('secretRef');
    const shown = await call('GET', `/servers/${added.body.server.id}`);
    expect(shown.body.server).toEqual(added.body.server);
    expect(JSON.stringify([added.body, shown.body, (await call('GET', '/servers')).body])).not.toContain(CANARY);
    expect(JSON.parse((await secrets.get(`postroom/mail-servers/${added.body.server.id}`))!)).toEqual({ password: CANARY });
  });

  it('answers a failed test with 422 in words and stores nothing, or saves it inactive when asked', async () => {
    tester.next = { ok: false, reason: 'authentication', message: 'the server refused the user name or password' };
    const before = (await call('GET', '/servers')).body.servers.length;

    const refused = await call('POST', '/servers', { ...imap, name: 'Refused', enabled: true });
    const inactive = await call('POST', '/servers', { ...imap, name: 'Inactive', enabled: true, onConnectionFailure: 'save-inactive' });

    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({
      error: { code: 'mail-server-connection-failed', reason: 'mail-server.connection-failed', message: 'connection failed: the server refused the user name or password' },
      test: { ok: false, reason: 'authentication', message: 'connection failed: the server refused the user name or password' },
    });
    expect(inactive.status).toBe(201);
    expect(inactive.body.server).toMatchObject({ enabled: false, state: 'disabled', lastError: 'the server refused the user name or password', lastErrorReason: 'authentication' });
    expect((await call('GET', '/servers')).body.servers.length).toBe(before + 1);
  });

  it('tests an enabled save with the real connection test (a closed port: TCP, in words), and takes a disabled one', async () => {
    const wiredCall = apiCaller(() => wired);
    const port = (await freePorts(1))[0]!;
    const closed = { ...imap, name: 'Closed port', host: 'localhost', port, tls: false };

    const enabled = await wiredCall('POST', '/servers', { ...closed, enabled: true });
    const disabled = await wiredCall('POST', '/servers', closed);

    expect(enabled.status).toBe(422);
    expect(enabled.body.error).toMatchObject({ code: 'mail-server-connection-failed' });
    expect(JSON.stringify(enabled.body)).toMatch(new RegExp(`connection failed: .*localhost:${port}`));
    expect(JSON.stringify(enabled.body)).not.toContain(CANARY);
    expect(disabled.status).toBe(201);
    expect(disabled.body.server).toMatchObject({ enabled: false, state: 'disabled' });
  });

  it('updates partially, clears with null, and keeps the secret when no password is sent', async () => {
    const { body } = await call('POST', '/servers', { ...imap, name: 'Patch me', host: '192.0.2.7', sniServerName: 'imap.example.com' });
    const id = body.server.id as string;

    const patched = await call('PATCH', `/servers/${id}`, { description: 'Ünïcode ✉', host: 'imap.example.com', sniServerName: null, enabled: true });

    expect(patched.status).toBe(200);
    expect(patched.body.server).toMatchObject({ name: 'Patch me', description: 'Ünïcode ✉', host: 'imap.example.com', enabled: true, state: 'ok', hasSecret: true });
    expect(patched.body.server).not.toHaveProperty('sniServerName');
    expect(tester.calls.at(-1)!.credentials).toMatchObject({ kind: 'password', password: CANARY });
    expect((await call('PATCH', '/servers/nope', { description: 'x' })).status).toBe(404);
    expect((await call('PATCH', `/servers/${id}`, { colour: 'red' })).body.error.fields).toEqual({ colour: 'is not allowed' });
  });

  it('answers field errors of the rules with their reasons', async () => {
    const res = await call('POST', '/servers', { ...imap, type: 'pop3', imapFolder: 'Archive', routing: { kind: 'flow', flowId: 'nope' }, enabled: true });

    expect(res.status).toBe(400);
    expect(res.body.error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'imapFolder', reason: 'mail-server.option-not-for-type' }),
        expect.objectContaining({ path: 'routing.flowId', reason: 'flow.not-found' }),
      ]),
    );
  });

  it('duplicates, tests, shows the status and deletes with the secret', async () => {
    const { body } = await call('POST', '/servers', { ...imap, name: 'Original', enabled: true });
    const id = body.server.id as string;

    const copy = await call('POST', `/servers/${id}/duplicate`, { name: 'Copy' });
    tester.next = { ok: false, reason: 'folder-missing', message: 'the folder INBOX does not exist' };
    const tested = await call('POST', `/servers/${id}/test`);
    const status = await call('GET', '/servers/status');
    const deleted = await call('DELETE', `/servers/${id}`);

    expect(copy.status).toBe(201);
    expect(copy.body.server).toMatchObject({ name: 'Copy', enabled: false, hasSecret: false, host: 'imap.example.com' });
    expect(tested.body.test).toEqual({ ok: false, reason: 'folder-missing', message: 'connection failed: the folder INBOX does not exist' });
    expect(status.body.servers.find((s: { id: string }) => s.id === id)).toMatchObject({ state: 'error', lastError: 'the folder INBOX does not exist', messagesFetched: 0, consecutiveFailures: 0 });
    expect(deleted.status).toBe(204);
    expect((await call('GET', `/servers/${id}`)).status).toBe(404);
    expect(await secrets.get(`postroom/mail-servers/${id}`)).toBeUndefined();
  });
});
