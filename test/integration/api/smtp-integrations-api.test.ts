/**
 * SMTP integrations through the API on dynalite, wired as deployed (mail-server-service-env.ts,
 * smtp-integration-store.ts): the registry's SMTP servers with their sending settings and state,
 * field errors for rates and presets, at most 20 SMTP servers, and the reset on toggling on.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpIntegrationStore, type DynamoSmtpIntegrationStore } from '../../../lambdas/adapters/dynamodb/smtp-integration-store.ts';
import { mailServerService } from '../../../lambdas/adapters/mail-server-service-env.ts';
import { oauth2Wiring } from '../../../lambdas/adapters/oauth2/oauth2-wiring.ts';
import { FileSecretStore } from '../../../lambdas/adapters/secrets/file-secret-store.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { dynamoApiApp } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import type { ConnectionTestResult } from '../../../lambdas/core/mailboxes/connection.ts';
import { refusals } from '../../../lambdas/core/outbound/submit-send.ts';

const CONNECTED: ConnectionTestResult = { ok: true, message: 'connection successful' };
const smtp = (name: string) => ({ type: 'smtp', name, host: 'smtp.example.com', user: `${name.toLowerCase().replace(/\W/g, '')}@example.com`, password: 'app password 1', enabled: false });

describe('SMTP integrations API', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let dir: string;
  let app: Hono;
  let store: DynamoSmtpIntegrationStore;
  /** What the connection tester answers next; a test sets a failure and puts success back. */
  let nextTest: ConnectionTestResult = CONNECTED;
  const call = apiCaller(() => app);

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'smtpi-api');
    dir = await mkdtemp(join(tmpdir(), 'smtpi-api-'));
    store = smtpIntegrationStore(tables.doc, tables.config);
    const tester = { test: async () => nextTest };
    const credentials = { credentialsFor: async () => ({ kind: 'oauth2' as const, user: 'oauth@example.com', accessToken: 'test token' }) };
    const secrets = FileSecretStore.inDataDir(dir);
    app = dynamoApiApp(tables, {}, { mailServers: mailServerService(tables.doc, tables.config, secrets, { tester, credentials }), oauth2: oauth2Wiring(tables.doc, tables.config, secrets).api, smtpIntegrations: store });
  });
  afterAll(async () => {
    tables?.destroy();
    await dynalite?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the SMTP servers with their defaults, and shows one', async () => {
    const { body: created } = await call('POST', '/servers', smtp('Campaigns'));
    await call('POST', '/servers', { type: 'imap', name: 'Inbox', host: 'imap.example.com', user: 'in@example.com' });

    const list = await call('GET', '/smtp-integrations');
    const one = await call('GET', `/smtp-integrations/${created.server.id}`);

    expect(list.body.integrations).toEqual([expect.objectContaining({ serverId: created.server.id, name: 'Campaigns', status: 'disabled', messagesPerMinute: 30, preset: 'custom', enabled: false })]);
    expect(list.body.integrations[0]).not.toHaveProperty('state');
    expect(one.body.integration).toMatchObject({ serverId: created.server.id, host: 'smtp.example.com', senders: ['campaigns@example.com'] });
    expect(JSON.stringify(list.body)).not.toContain('app password');
  });

  it('updates the rate and the preset, and refuses bad ones per field', async () => {
    const { body: created } = await call('POST', '/servers', smtp('Notices'));
    const id = created.server.id as string;

    const preset = await call('PUT', `/smtp-integrations/${id}`, { preset: 'microsoft365' });
    const tooFast = await call('PUT', `/smtp-integrations/${id}`, { messagesPerMinute: 1001 });
    const conflict = await call('PUT', `/smtp-integrations/${id}`, { preset: 'google-workspace', messagesPerMinute: 50 });
    const empty = await call('PUT', `/smtp-integrations/${id}`, {});
    const custom = await call('PUT', `/smtp-integrations/${id}`, { messagesPerMinute: 600 });

    expect(preset.body.integration).toMatchObject({ preset: 'microsoft365', messagesPerMinute: 30 });
    expect(tooFast.status).toBe(400);
    expect(tooFast.body.error.issues).toEqual([expect.objectContaining({ path: 'messagesPerMinute', reason: 'smtp-integration.rate-invalid' })]);
    expect(conflict.body.error.issues).toEqual([expect.objectContaining({ path: 'messagesPerMinute', reason: 'smtp-integration.preset-conflict' })]);
    expect(empty.status).toBe(400);
    expect(custom.body.integration).toMatchObject({ preset: 'custom', messagesPerMinute: 600 });
  });

  it('answers 404 for a server that is no SMTP server', async () => {
    const { body: inbound } = await call('POST', '/servers', { type: 'pop3', name: 'Pop', host: 'pop.example.com', user: 'pop@example.com' });
    for (const id of ['nope', inbound.server.id]) {
      const answer = await call('GET', `/smtp-integrations/${id}`);
      expect([answer.status, answer.body.error.reason]).toEqual([404, 'smtp-integration.not-found']);
    }
  });

  it('resets an integration in error when its server is turned on, keeping its rate', async () => {
    const { body: created } = await call('POST', '/servers', smtp('Broken'));
    const id = created.server.id as string;
    await call('PUT', `/smtp-integrations/${id}`, { messagesPerMinute: 12 });
    await store.setError(id, { reason: 'smtp.authentication-failed', detail: '535 5.7.8 bad credentials', at: '2026-11-27T00:00:00.000Z' });
    expect((await call('GET', `/smtp-integrations/${id}`)).body.integration).toMatchObject({ status: 'disabled', problem: { source: 'sending', reason: 'smtp.authentication-failed' } });

    const on = await call('PATCH', `/servers/${id}`, { enabled: true });

    expect(on.status, JSON.stringify(on.body)).toBe(200);
    const after = (await call('GET', `/smtp-integrations/${id}`)).body.integration;
    expect(after).toMatchObject({ status: 'ok', enabled: true, messagesPerMinute: 12 });
    expect(after.problem).toBeUndefined();
  });

  it('resets an integration in error when a new OAuth2 client secret is stored', async () => {
    const oauth = { type: 'smtp', name: 'OAuth out', host: 'smtp.office365.com', user: 'oauth@example.com', authType: 'oauth2', oauth2: { provider: 'microsoft', flow: 'client-credentials', clientId: 'client-1', tenant: 'contoso.onmicrosoft.com' }, enabled: true };
    const { body: created, status } = await call('POST', '/servers', oauth);
    expect(status, JSON.stringify(created)).toBe(201);
    const id = created.server.id as string;
    await store.setError(id, { reason: 'smtp.authentication-failed', detail: '535 5.7.3 Authentication unsuccessful', at: '2026-11-27T00:00:00.000Z' });
    expect((await call('GET', `/smtp-integrations/${id}`)).body.integration).toMatchObject({ status: 'error', problem: { source: 'sending', detail: '535 5.7.3 Authentication unsuccessful' } });

    expect((await call('PUT', `/servers/${id}/oauth2/secret`, { clientSecret: 'new client secret' })).status).toBe(204);

    expect((await call('GET', `/smtp-integrations/${id}`)).body.integration).toMatchObject({ status: 'ok' });
  });

  it('shows the server disabled after a failed connection test, with its error, and refuses sends through it naming why', async () => {
    nextTest = { ok: false, reason: 'tcp', message: 'nothing listens on smtp.example.com port 587 (connection refused)' };
    const { body: created, status } = await call('POST', '/servers', { ...smtp('Refused'), enabled: true, onConnectionFailure: 'save-inactive' });
    nextTest = CONNECTED;
    expect(status, JSON.stringify(created)).toBe(201);
    const id = created.server.id as string;
    expect(created.server).toMatchObject({ enabled: false, state: 'disabled' });

    const one = (await call('GET', `/smtp-integrations/${id}`)).body.integration;
    const listed = (await call('GET', '/smtp-integrations')).body.integrations.find((i: { serverId: string }) => i.serverId === id);
    const issues = await refusals(
      { id: 'o-1', purpose: 'new', from: 'refused@example.com', to: [{ address: 'customer@example.net' }], subject: 'Hello', messageId: '<o-1@example.com>' } as never,
      { suppressions: { find: async () => [] } as never, sendingDomains: { isVerifiedForSending: async () => false }, integrations: () => store.list() },
    );

    const problem = { source: 'server', reason: 'tcp', detail: 'nothing listens on smtp.example.com port 587 (connection refused)' };
    expect(one).toMatchObject({ status: 'disabled', enabled: false, problem });
    expect(listed).toMatchObject({ status: 'disabled', problem });
    expect(issues).toEqual([expect.objectContaining({ field: 'from', reason: 'outbound.no-route-for-sender' })]);
    expect(issues[0]!.message).toContain('"Refused" that sends as refused@example.com is disabled');
    expect(issues[0]!.message).toContain('connection refused');
  });

  it('refuses a 21st SMTP server on the field type', async () => {
    const existing = (await call('GET', '/smtp-integrations')).body.integrations.length as number;
    for (let i = existing; i < 20; i += 1) expect((await call('POST', '/servers', smtp(`Out ${i}`))).status).toBe(201);

    const refused = await call('POST', '/servers', smtp('One too many'));

    expect(refused.status).toBe(400);
    expect(refused.body.error.issues).toEqual([expect.objectContaining({ path: 'type', reason: 'mail-server.smtp-limit-reached' })]);
    expect((await call('GET', '/smtp-integrations')).body.integrations).toHaveLength(20);
  });
});
