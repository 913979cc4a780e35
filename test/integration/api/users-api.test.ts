/**
 * The user routes over the local user directory (records in dynalite's config table, hashes in a
 * 0600 file), `PUT /agents/:id`, and `postroom user add|list|update|remove` and `agent update`
 * against the served app. No answer, CLI output or stored record carries a password or its hash.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../../lambdas/adapters/secrets/file-secret-store.ts';
import { LocalUserDirectory } from '../../../lambdas/adapters/users/local-user-directory.ts';
import { runCli } from '../../../lambdas/cli/program.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { dynamoApiApp, serveApi, type ServedApi } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';

let dynalite: Dynalite;
let tables: Tables;
let app: Hono;
let served: ServedApi;
let dir: string;
let users: LocalUserDirectory;
const hashFile = () => join(dir, 'passwords.json');
/** Everything the API answered and the CLI printed, searched for secrets at the end. */
const seen: string[] = [];

beforeAll(async () => {
  dynalite = await startDynalite();
  tables = await createTables(dynalite.endpoint, 'users-api');
  dir = await mkdtemp(join(tmpdir(), 'postroom-users-'));
  users = new LocalUserDirectory(tables.doc, tables.config, new FileSecretStore(hashFile()));
  app = dynamoApiApp(tables, { acd: true }, { users });
  served = await serveApi(app);
});

afterAll(async () => {
  await served?.close();
  tables?.destroy();
  await dynalite?.stop();
  await rm(dir, { recursive: true, force: true });
});

const raw = apiCaller(() => app);
const call: typeof raw = async (method, path, body) => {
  const answer = await raw(method, path, body);
  seen.push(JSON.stringify(answer.body ?? null));
  return answer;
};

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--api', served.url, ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, cwd: '/nonexistent' });
  seen.push(out.join(''), err.join(''));
  return { code, out: out.join(''), err: err.join('') };
}

describe('user routes', () => {
  it('creates a user with a generated temporary password, answered once, that signs in', async () => {
    const created = await call('POST', '/users', { username: 'anna', role: 'agent', email: 'anna@example.test' });
    expect(created.status).toBe(201);
    expect(created.body.user).toEqual({ username: 'anna', role: 'agent', enabled: true, email: 'anna@example.test', createdAt: expect.any(String), status: 'FORCE_CHANGE_PASSWORD' });
    const password = created.body.temporaryPassword as string;
    expect(password).toMatch(/^.{20}$/);
    expect(await users.authenticate('anna', password)).toMatchObject({ user: { username: 'anna', role: 'agent' }, outcome: 'new-password-required' });
    expect(await users.authenticate('anna', `${password}x`)).toBeUndefined();
    expect((await call('GET', '/users')).body).toEqual({ users: [created.body.user] });
  });

  it('keeps a given password without answering it; the hash file is the owner\'s only', async () => {
    const created = await call('POST', '/users', { username: 'sam.lead', role: 'supervisor', password: 'correct horse battery' });
    expect(created.body).toEqual({ user: expect.objectContaining({ username: 'sam.lead', role: 'supervisor', status: 'CONFIRMED' }) });
    expect(await users.authenticate('sam.lead', 'correct horse battery')).toMatchObject({ outcome: 'signed-in' });
    expect((await stat(hashFile())).mode & 0o777).toBe(0o600);
    const file = await readFile(hashFile(), 'utf8');
    expect(file).toMatch(/"sam\.lead":"scrypt\$32768\$8\$1\$/);
    expect(file).not.toContain('correct horse battery');
  });

  it('refuses a taken username (409), bad fields (400 per field), and unknown users (404)', async () => {
    const taken = await call('POST', '/users', { username: 'anna', role: 'admin' });
    expect(taken).toMatchObject({ status: 409, body: { error: { code: 'conflict', reason: 'user.name-taken' } } });
    const bad = await call('POST', '/users', { username: '-x', role: 'boss', email: 'nope', password: 'short', extra: 1 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['email', 'extra', 'password', 'role', 'username']);
    expect((await call('PATCH', '/users/nobody', { role: 'admin' })).body.error.reason).toBe('user.not-found');
    expect((await call('PATCH', '/users/anna', {})).status).toBe(400);
    expect((await call('DELETE', '/users/nobody')).body.error.reason).toBe('user.not-found');
  });

  it('changes the role, disables (no sign-in) and removes a user', async () => {
    await call('POST', '/users', { username: 'bo', role: 'agent', password: 'bo-password-123' });
    expect((await call('PATCH', '/users/bo', { role: 'admin', enabled: false })).body.user).toMatchObject({ role: 'admin', enabled: false });
    expect(await users.authenticate('bo', 'bo-password-123')).toBeUndefined();
    expect((await call('PATCH', '/users/bo', { enabled: true })).body.user.enabled).toBe(true);
    expect(await users.authenticate('bo', 'bo-password-123')).toMatchObject({ user: { role: 'admin' } });
    expect(await call('DELETE', '/users/bo')).toEqual({ status: 200, body: { username: 'bo' } });
    expect(await users.authenticate('bo', 'bo-password-123')).toBeUndefined();
    expect(await readFile(hashFile(), 'utf8')).not.toContain('"bo"');
  });

  it('resets a password to a new temporary one, answered once; the old one stops working', async () => {
    await call('POST', '/users', { username: 'dee', role: 'agent', password: 'Dee-password-1' });
    const reset = await call('POST', '/users/dee/reset-password');
    expect(reset).toMatchObject({ status: 200, body: { user: { username: 'dee', status: 'FORCE_CHANGE_PASSWORD' }, temporaryPassword: expect.stringMatching(/^.{20}$/) } });
    expect(await users.authenticate('dee', 'Dee-password-1')).toBeUndefined();
    expect(await users.authenticate('dee', reset.body.temporaryPassword)).toMatchObject({ outcome: 'new-password-required' });
    expect((await call('GET', '/users')).body.users.find((u: { username: string }) => u.username === 'dee').status).toBe('FORCE_CHANGE_PASSWORD');
    expect((await call('POST', '/users/nobody/reset-password')).body.error.reason).toBe('user.not-found');
  });
});

describe('PUT /agents/:id', () => {
  it('updates an agent in place, keeping its createdAt; unknown queues and agents are refused', async () => {
    await call('POST', '/queues', { id: 'support', name: 'Support' });
    await call('POST', '/queues', { id: 'billing', name: 'Billing' });
    const { body } = await call('POST', '/agents', { id: 'anna', name: 'Anna', languages: ['en'], queues: ['support'] });
    const updated = await call('PUT', '/agents/anna', { name: 'Anna K.', skills: ['VIP'], languages: ['de', 'en'], queues: ['support', 'billing'] });
    expect(updated).toEqual({ status: 200, body: { agent: { ...body.agent, name: 'Anna K.', skills: ['vip'], languages: ['de', 'en'], queues: ['support', 'billing'] } } });
    expect((await call('GET', '/agents/anna')).body.agent).toEqual(updated.body.agent);
    const unknownQueue = await call('PUT', '/agents/anna', { name: 'A', languages: ['en'], queues: ['nope'] });
    expect(unknownQueue.body.error.issues).toEqual([expect.objectContaining({ path: 'queues', reason: 'queue.not-found' })]);
    expect((await call('PUT', '/agents/ghost', { name: 'G', languages: ['en'], queues: ['support'] })).body.error.reason).toBe('agent.not-found');
    expect((await call('PUT', '/agents/anna', { id: 'other', name: 'A', languages: ['en'], queues: ['support'] })).body.error.fields).toEqual({ id: 'is not allowed' });
  });
});

describe('postroom user and agent update', () => {
  it('adds a user printing the temporary password once, lists, updates and removes', async () => {
    const add = await cli('user', 'add', 'cleo', '--role', 'agent');
    expect(add.code).toBe(0);
    const password = /Temporary password \(shown once\): (\S+)/.exec(add.out)?.[1];
    expect(password).toHaveLength(20);
    expect(await users.authenticate('cleo', password!)).toBeDefined();
    const list = await cli('user', 'list');
    expect(list.out).toMatch(/cleo\s+agent\s+yes\s+must change password/);
    expect(list.out).not.toContain(password);
    expect((await cli('user', 'update', 'cleo', '--role', 'supervisor', '--disable')).out).toMatch(/cleo\s+supervisor\s+no/);
    expect((await cli('user', 'update', 'cleo')).err).toContain('--role, --enable, --disable or --reset-password');
    expect((await cli('user', 'add', 'cleo', '--role', 'agent')).err).toContain('the username is taken');
    expect((await cli('user', 'remove', 'cleo')).out).toBe('Removed user cleo.\n');
  });

  it('resets a password with update --reset-password, printing the new temporary one once', async () => {
    await cli('user', 'add', 'finn', '--role', 'agent', '--password', 'Finn-password-1');
    expect((await cli('user', 'list')).out).toMatch(/finn\s+agent\s+yes\s+active/);
    const reset = await cli('user', 'update', 'finn', '--reset-password');
    expect(reset.out).toMatch(/finn\s+agent\s+yes\s+must change password/);
    const password = /Temporary password \(shown once\): (\S+)/.exec(reset.out)?.[1];
    expect(await users.authenticate('finn', password!)).toMatchObject({ outcome: 'new-password-required' });
    expect((await cli('user', 'update', 'nobody', '--reset-password')).code).not.toBe(0);
  });

  it('updates only the agent fields given', async () => {
    const run = await cli('agent', 'update', 'anna', '--queue', 'billing', '--no-skills');
    expect(run.code).toBe(0);
    expect((await call('GET', '/agents/anna')).body.agent).toMatchObject({ name: 'Anna K.', skills: [], languages: ['de', 'en'], queues: ['billing'] });
  });

  it('never showed a hash, and the config table holds none', async () => {
    const items = await tables.doc.send(new ScanCommand({ TableName: tables.config }));
    const stored = JSON.stringify(items.Items);
    expect(stored).toContain('USER#anna');
    for (const text of [...seen, stored]) expect(text).not.toMatch(/scrypt|correct horse|bo-password|hash/i);
  });
});
