/**
 * SMTP integrations on dynalite: the `SMTPI#<serverId>` settings and state joined with the
 * registry's SMTP servers, and the `RATE#<serverId>` token bucket that concurrent senders share:
 * however many acquire at once, no rolling minute holds more grants than the budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMailServerStore } from '../../../lambdas/adapters/dynamodb/mail-server-store.ts';
import { DynamoSendRateLimiter } from '../../../lambdas/adapters/dynamodb/send-rate-limiter.ts';
import { DynamoSmtpIntegrationStore } from '../../../lambdas/adapters/dynamodb/smtp-integration-store.ts';
import { smtpSenderPieces } from '../../../lambdas/adapters/smtp/smtp-sender-pieces.ts';
import { ValidationError } from '../../../lambdas/core/errors.ts';
import { outboxIdFor, type OutboxRecord } from '../../../lambdas/core/outbound/outbox.ts';
import type { MailServer } from '../../../lambdas/core/mailboxes/server.ts';
import { startDynalite, type RunningService } from '../../../lambdas/local/services.ts';
import { imapServerSettings, mailServerRecord } from '../../support/mail-servers.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';

function smtpRecord(id: string, over: Partial<MailServer> = {}): MailServer {
  return mailServerRecord({ ...imapServerSettings({ type: 'smtp', port: 465, routing: undefined }), imapFolder: undefined, id, name: `Out ${id}`, ...over });
}

let service: RunningService;
let tables: Tables;
let servers: DynamoMailServerStore;
let integrations: DynamoSmtpIntegrationStore;
let limiter: DynamoSendRateLimiter;

beforeAll(async () => {
  service = await startDynalite();
  tables = await createTables(service.endpoint, 'smtpi');
  servers = new DynamoMailServerStore(tables.doc, tables.config);
  integrations = new DynamoSmtpIntegrationStore(tables.doc, tables.config, servers, () => new Date('2026-11-27T00:00:00Z'));
  limiter = new DynamoSendRateLimiter(tables.doc, tables.interactions);
  await servers.create(smtpRecord('s-1', { user: 'Sales@Example.com', additionalSenders: ['news@example.com'] }));
  await servers.create(smtpRecord('s-2', { enabled: false }));
  await servers.create(mailServerRecord({ id: 'in-1' }));
});
afterAll(async () => {
  tables?.destroy();
  await service?.stop();
});

describe('SMTP integration store', () => {
  it('lists the SMTP servers only, with the defaults while they have no settings', async () => {
    const list = await integrations.list();

    expect(list.map((i) => i.serverId).sort()).toEqual(['s-1', 's-2']);
    expect(list.find((i) => i.serverId === 's-1')).toMatchObject({ state: 'valid', messagesPerMinute: 30, enabled: true, senders: ['sales@example.com', 'news@example.com'] });
    expect(list.find((i) => i.serverId === 's-2')?.enabled).toBe(false);
  });

  it('applies a preset, a custom rate, and refuses a rate out of range per field', async () => {
    expect(await integrations.update('s-1', { preset: 'google-workspace' })).toMatchObject({ preset: 'google-workspace', messagesPerMinute: 20 });
    expect(await integrations.update('s-1', { messagesPerMinute: 250 })).toMatchObject({ preset: 'custom', messagesPerMinute: 250 });
    const refused = await integrations.update('s-1', { messagesPerMinute: 1001 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fieldReasons).toEqual({ messagesPerMinute: 'smtp-integration.rate-invalid' });
    expect(await integrations.update('in-1', { messagesPerMinute: 5 })).toBeUndefined();
    expect((await integrations.view('s-1'))?.messagesPerMinute).toBe(250);
  });

  it('sets error with the failure and back to valid, keeping the settings', async () => {
    const failure = { reason: 'smtp.authentication-failed', detail: '535 5.7.8 bad credentials', at: '2026-11-27T00:00:00.000Z' };
    // The sending state is the sender's directory's (list); the view answers the joined status.
    const sending = async (id: string) => (await integrations.list()).find((i) => i.serverId === id);
    await integrations.setError('s-1', failure);
    expect(await sending('s-1')).toMatchObject({ state: 'error', lastError: failure, messagesPerMinute: 250 });

    expect(await integrations.setValid('s-1')).toBe('error');
    const after = await sending('s-1');
    expect(after).toMatchObject({ state: 'valid', messagesPerMinute: 250 });
    expect(after?.lastError).toBeUndefined();
    expect(await integrations.setValid('s-2')).toBe('none');
  });

  it('sets error on a server without settings, with the default rate', async () => {
    await integrations.setError('s-2', { reason: 'smtp.repeated-rejections', detail: '3 x 550', at: '2026-11-27T00:00:00.000Z' });
    expect(await integrations.get('s-2')).toMatchObject({ state: 'error', messagesPerMinute: 30, preset: 'custom' });
  });
});

describe('send rate limiter (RATE#<serverId>)', () => {
  it('never grants more than the budget in any rolling minute, however many acquire at once', async () => {
    const rate = 30;
    const start = Date.parse('2026-11-27T01:00:00Z');
    const granted: number[] = [];
    // 90 s of simulated time, a tick every second, 6 senders racing on each tick.
    for (let t = start; t < start + 90_000; t += 1000) {
      const waits = await Promise.all(Array.from({ length: 6 }, () => limiter.acquire('race', rate, new Date(t))));
      granted.push(...waits.filter((w) => w === 0).map(() => t));
    }

    for (const from of granted) expect(granted.filter((g) => g >= from && g < from + 60_000).length).toBeLessThanOrEqual(rate);
    expect(granted.length).toBe(45);
  });

  it('answers the wait until the next slot when it refuses', async () => {
    const t = Date.parse('2026-11-27T02:00:00Z');
    expect(await limiter.acquire('wait', 60, new Date(t))).toBe(0);
    const wait = await limiter.acquire('wait', 60, new Date(t + 250));

    expect(wait).toBe(750);
    expect(await limiter.acquire('wait', 60, new Date(t + 250 + wait))).toBe(0);
  });

  it('keeps the rate across real concurrent senders on the wall clock', async () => {
    const rate = 1000;
    const granted: number[] = [];
    const until = Date.now() + 1500;
    const sender = async () => {
      while (Date.now() < until) {
        const now = new Date();
        const wait = await limiter.acquire('wall', rate, now);
        if (wait === 0) granted.push(now.getTime());
        else await new Promise((r) => setTimeout(r, wait));
      }
    };
    await Promise.all(Array.from({ length: 4 }, sender));

    const sorted = [...granted].sort((a, b) => a - b);
    const gaps = sorted.slice(1).map((g, i) => g - sorted[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(60);
    // About 25 on an idle machine; a loaded one (parallel suites) answers slower, so only progress is asserted.
    expect(granted.length).toBeGreaterThanOrEqual(5);
  });
});

describe('the SMTP pieces of the sender', () => {
  it('gives SMTP routes a VERP return path and the SMTP transport, other routes the From address and the other transport', async () => {
    const sent: string[] = [];
    const pieces = smtpSenderPieces(tables.doc, {
      configTable: tables.config,
      interactionsTable: tables.interactions,
      returnPathDomain: 'Bounce.Example.com',
      credentials: { credentialsFor: async () => Promise.reject(new Error('not in this test')) },
      content: { stream: async () => Promise.reject(new Error('not in this test')) },
      other: { send: async (route) => (sent.push(route.kind), { providerMessageId: 'ses-1' }) },
    });
    const record = { id: outboxIdFor('i-1', 'reply'), from: { address: 'support@example.com' } } as OutboxRecord;

    expect(pieces.returnPathFor({ kind: 'smtp', serverId: 's-1', reason: 'r' }, record)).toBe(`bounces+${record.id}@bounce.example.com`);
    expect(pieces.returnPathFor({ kind: 'ses', identity: 'example.com', reason: 'r' }, record)).toBe('support@example.com');
    await pieces.transport.send({ kind: 'ses', identity: 'example.com', reason: 'r' }, { bucket: 'b', key: 'k' }, { returnPath: 'x@example.com', recipients: ['a@b.example'] }, record);
    await expect(pieces.transport.send({ kind: 'smtp', serverId: 'gone', reason: 'r' }, { bucket: 'b', key: 'k' }, { returnPath: 'x@example.com', recipients: ['a@b.example'] }, record)).rejects.toMatchObject({ code: 'smtp-integration.not-found' });
    expect(sent).toEqual(['ses']);
    expect((await pieces.integrations.list()).map((i) => i.serverId).sort()).toEqual(['s-1', 's-2']);
    pieces.smtp.close();
  });
});
