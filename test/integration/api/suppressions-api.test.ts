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
import { dynamoApiApp, serveApi, type ServedApi } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';

let dynalite: Dynalite;
let tables: Tables;
let app: Hono;
let served: ServedApi;
let store: DynamoSuppressionStore;

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

  it('refuses what is not an address with a field message', async () => {
    const bad = await call('DELETE', '/suppressions/not%20an%20address');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({ address: 'must be an e-mail address' });
  });
});

describe('postroom suppression', () => {
  it('lists suppressed recipients with reason and outbox record', async () => {
    const run = await cli('suppression', 'list');
    expect(run.code).toBe(0);
    const rows = run.out.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(rows[0]).toEqual(['ADDRESS', 'SINCE', 'REASON', 'OUTBOX RECORD', 'DETAIL']);
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
