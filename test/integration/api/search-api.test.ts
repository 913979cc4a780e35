/**
 * `GET /interactions?q=` over real stores on dynalite (issue 12 item 3): search by sender, by
 * reference token and by subject words across open and closed interactions, with the state
 * filter, paging, and the bound on how far back subject search reads (said in the answer).
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInteractionClaims } from '../../../lambdas/adapters/dynamodb/interaction-claims.ts';
import { DynamoInteractionStore } from '../../../lambdas/adapters/dynamodb/interaction-store.ts';
import { DynamoSearchIndex, withSearchIndex } from '../../../lambdas/adapters/dynamodb/search-index.ts';
import { DynamoThreadIndex } from '../../../lambdas/adapters/dynamodb/thread-index.ts';
import type { InteractionStore } from '../../../lambdas/core/ports.ts';
import { referenceTokenFor } from '../../../lambdas/core/routing/reference-token.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { at } from '../../support/factories.ts';
import { dynamoApiApp } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';
import { createTables, quarantined, waiting, type Tables } from '../dynamodb/fixtures.ts';

const DAY_MS = 86_400_000;

describe('interaction search of the HTTP API on dynalite', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let store: InteractionStore;
  let app: Hono;

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'api-search');
    // As ingest's stores are wired (ingest-deps.ts): every created interaction is indexed.
    store = withSearchIndex(new DynamoInteractionStore(tables.doc, tables.interactions), new DynamoSearchIndex(tables.doc, tables.interactions));
    app = dynamoApiApp(tables, { acd: true });
    await store.create(waiting('i-s-1', { queueId: 'support', enqueuedAt: at(1), priority: 0, subject: 'Order 4711 has not arrived', from: 'Alice@Customer.test' }));
    await store.create(waiting('i-s-2', { queueId: 'support', enqueuedAt: at(2), priority: 0, subject: 'Invoice for order 4711', from: 'bob@customer.test' }));
    await store.create(waiting('i-s-3', { queueId: 'support', enqueuedAt: at(3), priority: 0, subject: 'AW: Rechnung', from: 'alice@customer.test' }));
    await store.create(waiting('i-s-old', { queueId: 'support', enqueuedAt: new Date(at(0).getTime() - 40 * DAY_MS), priority: 0, subject: 'Order 4711 long ago', from: 'alice@customer.test' }));
    await store.create(waiting('i-s-yesterday', { queueId: 'support', enqueuedAt: new Date(at(0).getTime() - DAY_MS), priority: 0, subject: 'Order 99 yesterday', from: 'carol@customer.test' }));
    await store.create(quarantined('i-s-q', at(4)));
    // i-s-3 is closed: claimed and closed by an agent.
    const claims = new DynamoInteractionClaims(tables.doc, tables.interactions);
    await claims.apply('i-s-3', { from: { state: 'waiting', queueId: 'support' }, to: { state: 'claimed', agentId: 'anna', claimedAt: at(5).toISOString() }, trail: { at: at(5).toISOString(), step: 'claimed', detail: 'x' } });
    await claims.apply('i-s-3', { from: { state: 'claimed', agentId: 'anna' }, to: { state: 'closed', closedAt: at(6).toISOString() }, trail: { at: at(6).toISOString(), step: 'closed', detail: 'x' } });
    await new DynamoThreadIndex(tables.doc, tables.interactions).recordToken(referenceTokenFor('i-s-2'), 'i-s-2', at(2), 'bob@customer.test');
  });
  afterAll(async () => {
    tables?.destroy();
    await dynalite?.stop();
  });

  const call = apiCaller(() => app);
  const ids = (body: any) => body.interactions.map((i: any) => i.id);

  it('finds by sender address, exactly and in any case, open and closed, newest first', async () => {
    const all = await call('GET', '/interactions?q=ALICE%40customer.test');
    expect(all.status).toBe(200);
    expect(ids(all.body)).toEqual(['i-s-3', 'i-s-1', 'i-s-old']);
    expect(all.body.searched.by).toBe('sender');
    expect(ids((await call('GET', '/interactions?q=alice%40customer.test&state=closed')).body)).toEqual(['i-s-3']);
    expect(ids((await call('GET', '/interactions?q=alice%40customer.test&state=open')).body)).toEqual(['i-s-1', 'i-s-old']);
    expect(ids((await call('GET', '/interactions?q=alice%40customer')).body)).toEqual([]);
  });

  it('pages sender results with a cursor', async () => {
    const first = await call('GET', '/interactions?q=alice%40customer.test&limit=2');
    const second = await call('GET', `/interactions?q=alice%40customer.test&limit=2&cursor=${first.body.cursor}`);
    expect(ids(first.body)).toEqual(['i-s-3', 'i-s-1']);
    expect(ids(second.body)).toEqual(['i-s-old']);
  });

  it('finds by reference token, as typed by a person', async () => {
    const token = referenceTokenFor('i-s-2');
    const found = await call('GET', `/interactions?q=${encodeURIComponent(`[${token.toLowerCase()}]`)}`);
    expect(ids(found.body)).toEqual(['i-s-2']);
    expect(found.body.searched.by).toBe('token');
  });

  it('finds by subject words within the days it reads, and says how far back it looked', async () => {
    const found = await call('GET', '/interactions?q=order%204711');
    expect(ids(found.body)).toEqual(['i-s-2', 'i-s-1']);
    expect(found.body.searched).toMatchObject({ by: 'subject', to: '2026-11-23', from: '2026-10-25' });
    expect(ids((await call('GET', '/interactions?q=ORDER')).body)).toEqual(['i-s-2', 'i-s-1', 'i-s-yesterday']);
    expect(ids((await call('GET', '/interactions?q=rechnung&state=open')).body)).toEqual([]);
  });

  it('pages subject results across days with a cursor', async () => {
    const first = await call('GET', '/interactions?q=order&limit=1');
    const second = await call('GET', `/interactions?q=order&limit=1&cursor=${first.body.cursor}`);
    const third = await call('GET', `/interactions?q=order&limit=1&cursor=${second.body.cursor}`);
    expect([ids(first.body), ids(second.body), ids(third.body)]).toEqual([['i-s-2'], ['i-s-1'], ['i-s-yesterday']]);
  });

  it('refuses a missing query and a forged cursor with field messages', async () => {
    expect((await call('GET', '/interactions')).body.error.fields).toHaveProperty('q');
    expect((await call('GET', '/interactions?q=order&state=gone')).body.error.fields).toEqual({ state: 'must be open, closed or all' });
    const forged = await call('GET', '/interactions?q=order&cursor=99');
    expect(forged.status).toBe(400);
    expect(forged.body.error.fields).toHaveProperty('cursor');
  });
});
