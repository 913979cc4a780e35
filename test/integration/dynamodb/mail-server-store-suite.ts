/**
 * The mail server store (SRV#<id> items of the config table and the SRVROLE#template guard), run
 * unchanged on DynamoDB Local and dynalite (decision 7): a create happens once, an update only from
 * the version it read and never undoes health, health never undoes settings, and at most one server
 * is the template server however saves race.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMailServerStore, TEMPLATE_GUARD_PK, TEMPLATE_GUARD_STALE_MS } from '../../../lambdas/adapters/dynamodb/mail-server-store.ts';
import { DynamoDomainStore } from '../../../lambdas/adapters/dynamodb/domain-store.ts';
import { ValidationError } from '../../../lambdas/core/errors.ts';
import type { MailServer } from '../../../lambdas/core/mailboxes/server.ts';
import type { RunningService } from '../../../lambdas/local/services.ts';
import { imapServerSettings, mailServerRecord } from '../../support/mail-servers.ts';
import { createTables, type Tables } from './fixtures.ts';
import { storedDomain } from './domain-store-suite.ts';

/** A stored SMTP server record with `id`. */
function smtpRecord(id: string, over: Partial<MailServer> = {}): MailServer {
  return mailServerRecord({ ...imapServerSettings({ type: 'smtp', port: 465, routing: undefined }), imapFolder: undefined, id, name: `Out ${id}`, ...over });
}

export function describeMailServerStore(emulator: string, start: () => Promise<RunningService>, prefix: string): void {
  describe(`mail server store on ${emulator}`, () => {
    let service: RunningService;
    let tables: Tables;
    let store: DynamoMailServerStore;

    beforeAll(async () => {
      service = await start();
      tables = await createTables(service.endpoint, prefix);
      store = new DynamoMailServerStore(tables.doc, tables.config);
    });
    afterAll(async () => {
      tables?.destroy();
      await service?.stop();
    });

    it('creates a server once and reads it back unchanged', async () => {
      const server = mailServerRecord({ id: 'once', name: 'Ünïcode 📬 mailbox' });

      const outcomes = [await store.create(server), await store.create({ ...server, name: 'other' })];

      expect(outcomes).toEqual(['created', 'exists']);
      expect(await store.get('once')).toEqual(server);
      expect(await store.get('never')).toBeUndefined();
    });

    it('lists servers only, by name', async () => {
      await new DynamoDomainStore(tables.doc, tables.config).create(storedDomain('list.example.com'));
      await store.create(mailServerRecord({ id: 'l-b', name: 'Zeta' }));
      await store.create(mailServerRecord({ id: 'l-a', name: 'Alpha' }));

      const names = (await store.list()).map((s) => s.name);

      expect(names).toEqual([...names].sort());
      expect(names).toEqual(expect.arrayContaining(['Alpha', 'Zeta']));
      expect((await store.list()).every((s) => typeof s.id === 'string' && s.type !== undefined)).toBe(true);
    });

    it('updates only from the version it read, and says when the server is gone', async () => {
      const server = mailServerRecord({ id: 'upd' });
      await store.create(server);
      const next = { ...server, description: 'changed', updatedAt: '2026-11-23T10:00:00.000Z' };

      const outcomes = [await store.update(next, server.updatedAt), await store.update({ ...next, description: 'stale' }, server.updatedAt)];

      expect(outcomes).toEqual(['updated', 'conflict']);
      expect((await store.get('upd'))?.description).toBe('changed');
      expect(await store.update(mailServerRecord({ id: 'gone' }), server.updatedAt)).toBe('missing');
    });

    it('writes health whatever the version, and an update does not undo it', async () => {
      const server = mailServerRecord({ id: 'health', lastError: 'old failure', lastErrorReason: 'tcp', state: 'error' });
      await store.create(server);

      await store.setHealth('health', { state: 'ok', lastSuccessAt: '2026-11-23T09:30:00.000Z', messagesFetched: 12, lastError: undefined, lastErrorReason: undefined });
      await store.update({ ...server, description: 'edited', state: 'disabled', messagesFetched: 0, updatedAt: '2026-11-23T10:00:00.000Z' }, server.updatedAt);
      await store.setHealth('health', { state: 'ok', backlog: 3 });

      const stored = await store.get('health');
      expect(stored).toMatchObject({ description: 'edited', state: 'ok', lastSuccessAt: '2026-11-23T09:30:00.000Z', messagesFetched: 12, backlog: 3 });
      expect(stored).not.toHaveProperty('lastError');
      expect(stored).not.toHaveProperty('lastErrorReason');
      expect(stored?.updatedAt).toBe('2026-11-23T10:00:00.000Z');
      expect(await store.setHealth('nobody', { state: 'ok' })).toBe('missing');
    });

    it('lets exactly one of two concurrent saves become the template server', async () => {
      const results = await Promise.allSettled([store.create(smtpRecord('t-1', { role: 'template' })), store.create(smtpRecord('t-2', { role: 'template' }))]);

      const created = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(created).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.reason).toBeInstanceOf(ValidationError);
      expect((refused[0]!.reason as ValidationError).fieldReasons.role).toBe('mail-server.template-taken');
      expect((await store.list()).filter((s) => s.role === 'template')).toHaveLength(1);
    });

    it('frees the template role when its server becomes an agent server or is deleted', async () => {
      const holder = (await store.list()).find((s) => s.role === 'template')!;
      const other = smtpRecord('t-3');
      await store.create(other);
      await expect(store.update({ ...other, role: 'template', updatedAt: 'v2' }, other.updatedAt)).rejects.toBeInstanceOf(ValidationError);

      await store.update({ ...holder, role: 'agent', updatedAt: 'v2' }, holder.updatedAt);
      expect(await store.update({ ...other, role: 'template', updatedAt: 'v2' }, other.updatedAt)).toBe('updated');
      await expect(store.create(smtpRecord('t-4', { role: 'template' }))).rejects.toBeInstanceOf(ValidationError);
      await store.delete('t-3');

      expect(await store.create(smtpRecord('t-4', { role: 'template' }))).toBe('created');
      expect(await store.delete('t-4')).toBe(true);
      expect(await store.delete('t-4')).toBe(false);
    });

    it('reclaims a guard a crashed save left behind, but not one a save may still be using', async () => {
      const guard = (takenAt: Date) =>
        tables.doc.send(new PutCommand({ TableName: tables.config, Item: { pk: TEMPLATE_GUARD_PK, serverId: 'crashed', takenAt: takenAt.toISOString() } }));
      await guard(new Date());
      await expect(store.create(smtpRecord('t-5', { role: 'template' }))).rejects.toBeInstanceOf(ValidationError);

      await guard(new Date(Date.now() - TEMPLATE_GUARD_STALE_MS - 1_000));

      expect(await store.create(smtpRecord('t-5', { role: 'template' }))).toBe('created');
    });
  });
}
