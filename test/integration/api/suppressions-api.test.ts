/**
 * The suppression routes and `postroom suppression list|lift` over dynalite: what the feedback
 * suppressed is listed newest first, paged, and an admin's lift makes the address sendable again;
 * a lift of an address that is not suppressed is 404 `suppression.not-found`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { DynamoSuppressionStore } from '../../../lambdas/adapters/dynamodb/suppression-store.ts';
import { runCli } from '../../../lambdas/cli/program.ts';
import type { Suppression } from '../../../lambdas/core/outbound/outbound-ports.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { at } from '../../support/factories.ts';
import { createApiApp } from '../../../lambdas/adapters/api/app.ts';
import { fixedCallerResolver } from '../../../lambdas/adapters/auth/token-verifier.ts';
import { dynamoApiApp, dynamoApiDeps, serveApi, type ServedApi } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';

let dynalite: Dynalite;
let tables: Tables;
let app: Hono;
let served: ServedApi;
let store: DynamoSuppressionStore;
/** Who {@link dynamoApiApp}'s fixed admin caller is: the IAM ARN the CLI signs as when deployed. */
const ADMIN_ARN = 'arn:aws:iam::123456789012:user/test-admin';

const suppression = (n: number, over: Partial<Suppression> = {}): Suppression => ({
  address: `bounced${n}@customer.test`,
  reason: 'bounce',
  detail: `Permanent/General: 5.1.1: smtp; 550 5.1.1 <bounced${n}@customer.test> user unknown`,
  at: at(n).toISOString(),
  outboxId: `o-${n}`,
  ...over,
});

beforeAll(async () => {
  dynalite = await startDynalite();
  tables = await createTables(dynalite.endpoint, 'suppressions-api');
  store = new DynamoSuppressionStore(tables.doc, tables.interactions);
  for (const n of [1, 2, 3]) await store.add(suppression(n, n === 3 ? { reason: 'complaint', detail: 'complaint: abuse' } : {}));
  app = dynamoApiApp(tables, { suppressions: true });
  served = await serveApi(app);
});

afterAll(async () => {
  await served?.close();
  tables?.destroy();
  await dynalite?.stop();
});

const call = apiCaller(() => app);

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--api', served.url, ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, cwd: '/nonexistent' });
  return { code, out: out.join(''), err: err.join('') };
}

describe('suppression routes', () => {
  it('lists suppressions newest first, page by page', async () => {
    const first = await call('GET', '/suppressions?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.suppressions).toEqual([suppression(3, { reason: 'complaint', detail: 'complaint: abuse' }), suppression(2)]);
    const second = await call('GET', `/suppressions?limit=2&cursor=${first.body.cursor}`);
    expect(second.body).toEqual({ suppressions: [suppression(1)] });
  });

  it('lifts a suppression (any case), then answers 404 for it', async () => {
    expect((await call('DELETE', '/suppressions/Bounced1%40Customer.Test')).status).toBe(204);
    expect(await store.find(['bounced1@customer.test'])).toEqual([]);
    const again = await call('DELETE', '/suppressions/bounced1%40customer.test');
    expect(again.status).toBe(404);
    expect(again.body.error).toMatchObject({ code: 'not-found', reason: 'suppression.not-found' });
  });

  it('adds a manual suppression with who and when, once: a second add and a bounced address change nothing', async () => {
    // Act
    const added = await call('POST', '/suppressions', { address: ' Quiet@Customer.Test ', note: 'asked by phone, ticket 4711' });
    const again = await call('POST', '/suppressions', { address: 'quiet@customer.test', note: 'another note' });
    const bounced = await call('POST', '/suppressions', { address: 'bounced3@customer.test' });

    // Assess
    const manual = { address: 'quiet@customer.test', reason: 'manual', detail: 'asked by phone, ticket 4711', at: at(10).toISOString(), addedBy: ADMIN_ARN };
    expect(added).toMatchObject({ status: 201, body: { suppression: manual, created: true } });
    expect(again).toMatchObject({ status: 200, body: { suppression: manual, created: false } });
    expect(bounced).toMatchObject({ status: 200, body: { suppression: { reason: 'complaint', outboxId: 'o-3' }, created: false } });
    expect(await store.find(['quiet@customer.test'])).toEqual([manual]);
    expect((await call('GET', '/suppressions?limit=1')).body.suppressions).toEqual([manual]);
    // Liftable as any other.
    expect((await call('DELETE', '/suppressions/quiet%40customer.test')).status).toBe(204);
  });

  it('refuses to add what is not one e-mail address with a 422 on the field; only an admin adds', async () => {
    const bad = await call('POST', '/suppressions', { address: 'Quiet <quiet@customer.test>' });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ fields: { address: expect.stringContaining('one bare e-mail address') }, issues: [{ path: 'address', reason: 'suppression.address-invalid' }] });
    const supervisor = createApiApp(dynamoApiDeps(tables, { suppressions: true }, { callers: fixedCallerResolver({ id: 'sue', role: 'supervisor', kind: 'user' }) }));
    const refused = await supervisor.request('/suppressions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ address: 'x@customer.test' }) });
    expect(refused.status).toBe(403);
    expect(await store.find(['x@customer.test'])).toEqual([]);
  });

  it('refuses what is not an address with a field message', async () => {
    const bad = await call('DELETE', '/suppressions/not%20an%20address');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({ address: 'must be an e-mail address' });
  });
});

describe('postroom suppression', () => {
  it('adds an address by hand, lists it as manual with who added it, and says so when it stood already', async () => {
    const add = await cli('suppression', 'add', 'by-hand@customer.test', '--note', 'known-bad address');
    expect(add).toMatchObject({ code: 0, out: 'Suppressed by-hand@customer.test: the outbox will not send to it.\n' });
    const again = await cli('suppression', 'add', 'by-hand@customer.test');
    expect(again.out).toBe(`by-hand@customer.test was suppressed already (manual, since ${at(10).toISOString()}).\n`);
    const list = await cli('suppression', 'list');
    const row = list.out.split('\n').find((l) => l.startsWith('by-hand@'))!.split(/\s{2,}/);
    expect(row).toEqual(['by-hand@customer.test', at(10).toISOString(), 'manual', `by ${ADMIN_ARN}`, 'known-bad address']);
    const bad = await cli('suppression', 'add', 'not an address');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('not an e-mail address to suppress');
    expect((await cli('suppression', 'lift', 'by-hand@customer.test')).code).toBe(0);
  });

  it('lists suppressed recipients with reason and outbox record', async () => {
    const run = await cli('suppression', 'list');
    expect(run.code).toBe(0);
    const rows = run.out.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(rows[0]).toEqual(['ADDRESS', 'SINCE', 'REASON', 'OUTBOX RECORD / BY', 'DETAIL']);
    expect(rows.slice(1).map((r) => r.slice(0, 4))).toEqual([
      ['bounced3@customer.test', at(3).toISOString(), 'complaint', 'o-3'],
      ['bounced2@customer.test', at(2).toISOString(), 'bounce', 'o-2'],
    ]);
  });

  it('lifts one, and says in words when there was nothing to lift', async () => {
    const lift = await cli('suppression', 'lift', 'bounced2@customer.test');
    expect(lift).toMatchObject({ code: 0, out: 'The suppression of bounced2@customer.test was lifted.\n' });
    const again = await cli('suppression', 'lift', 'bounced2@customer.test');
    expect(again.code).not.toBe(0);
    expect(again.err).toContain('the address is not suppressed');
  });
});
