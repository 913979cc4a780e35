/**
 * Every text limit of a mail server through the API (seed: name 200, description 250, host 70,
 * user 255, password 255, IMAP folder 255, SNI name 255), counted in Unicode code points: a value
 * at the limit is accepted, one character more is refused with that field's message.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailServerService } from '../../../lambdas/adapters/mail-server-service-env.ts';
import { FileSecretStore } from '../../../lambdas/adapters/secrets/file-secret-store.ts';
import { MAIL_SERVER_LIMITS as L } from '../../../lambdas/core/mailboxes/server.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { dynamoApiApp } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';

/** `n` code points, mixing a letter outside the BMP (two UTF-16 units) with accented and CJK ones. */
const chars = (n: number): string => Array.from({ length: n }, (_, i) => ['𝔸', 'é', '語'][i % 3]).join('');
/** A host name of exactly `n` characters: labels of 'a' joined by dots, every label at most 63. */
const hostOf = (n: number): string => {
  const labels: string[] = [];
  let left = n;
  while (left > 0) {
    const size = Math.min(left, 50);
    labels.push('a'.repeat(size));
    left -= size + 1;
  }
  const host = labels.join('.');
  return host.length === n ? host : `${host.slice(0, n - 1)}b`;
};

const base = { type: 'imap', name: 'Limits', host: 'imap.example.com', user: 'u@example.com' };
const cases: readonly { field: string; limit: number; body: (v: string) => object; value: (n: number) => string; message: string }[] = [
  { field: 'name', limit: L.maxNameChars, body: (v) => ({ name: v }), value: chars, message: `must be 1-${L.maxNameChars} characters` },
  { field: 'description', limit: L.maxDescriptionChars, body: (v) => ({ description: v }), value: chars, message: `must be at most ${L.maxDescriptionChars} characters` },
  { field: 'host', limit: L.maxHostChars, body: (v) => ({ host: v }), value: hostOf, message: `must be 1-${L.maxHostChars} characters` },
  { field: 'user', limit: L.maxUserChars, body: (v) => ({ user: v }), value: chars, message: `must be 1-${L.maxUserChars} characters` },
  { field: 'password', limit: L.maxPasswordChars, body: (v) => ({ password: v }), value: chars, message: `must be 1-${L.maxPasswordChars} characters` },
  { field: 'imapFolder', limit: L.maxImapFolderChars, body: (v) => ({ imapFolder: v }), value: chars, message: `must be 1-${L.maxImapFolderChars} characters` },
  { field: 'sniServerName', limit: L.maxSniServerNameChars, body: (v) => ({ sniServerName: v }), value: hostOf, message: `must be 1-${L.maxSniServerNameChars} characters` },
];

describe('mail server field limits through the API', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let dir: string;
  let app: Hono;
  const call = apiCaller(() => app);

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'server-limits');
    dir = await mkdtemp(join(tmpdir(), 'server-limits-'));
    app = dynamoApiApp(tables, {}, { mailServers: mailServerService(tables.doc, tables.config, FileSecretStore.inDataDir(dir)) });
  });
  afterAll(async () => {
    tables?.destroy();
    await dynalite?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(`${c.field}: ${c.limit} characters are accepted, ${c.limit + 1} refused`, async () => {
      const atLimit = await call('POST', '/servers', { ...base, ...c.body(c.value(c.limit)) });
      const over = await call('POST', '/servers', { ...base, ...c.body(c.value(c.limit + 1)) });

      expect(atLimit.status, JSON.stringify(atLimit.body)).toBe(201);
      expect(over.status).toBe(400);
      expect(over.body.error.fields).toEqual({ [c.field]: c.message });
      expect(over.body.error.issues).toEqual([{ path: c.field, code: 'invalid', reason: 'value.out-of-range', message: c.message }]);
    });
  }

  it('updates are held to the same limits', async () => {
    const { body } = await call('POST', '/servers', base);

    const over = await call('PATCH', `/servers/${body.server.id}`, { name: chars(L.maxNameChars + 1) });
    const atLimit = await call('PATCH', `/servers/${body.server.id}`, { name: chars(L.maxNameChars) });

    expect(over.body.error.fields).toEqual({ name: `must be 1-${L.maxNameChars} characters` });
    expect(atLimit.body.server.name).toBe(chars(L.maxNameChars));
  });
});
