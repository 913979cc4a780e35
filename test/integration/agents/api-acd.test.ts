/**
 * The ACD routes of the HTTP API over real stores on dynalite: queues admin, agents, `next`, and
 * release / transfer / close, with their field-level errors.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInteractionStore } from '../../../lambdas/adapters/dynamodb/interaction-store.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, waiting, type Tables } from '../dynamodb/fixtures.ts';
import { needs } from './acd-suite.ts';
import { at } from '../../support/factories.ts';
import { dynamoApiApp } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';

describe('ACD routes of the HTTP API on dynalite', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let store: DynamoInteractionStore;
  let app: Hono;

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'api-acd');
    store = new DynamoInteractionStore(tables.doc, tables.interactions);
    app = dynamoApiApp(tables, { acd: true });
  });
  afterAll(async () => {
    tables?.destroy();
    await dynalite?.stop();
  });

  const call = apiCaller(() => app);

  it('creates queues, refuses a taken id and a bad slug with field messages', async () => {
    const created = await call('POST', '/queues', { id: 'support', name: 'Support', description: 'first line' });
    await call('POST', '/queues', { id: 'billing', name: 'Billing' });
    const taken = await call('POST', '/queues', { id: 'support', name: 'Again' });
    const bad = await call('POST', '/queues', { id: 'Not A Slug', name: '' });

    expect(created).toEqual({ status: 201, body: { queue: { id: 'support', name: 'Support', description: 'first line', createdAt: at(10).toISOString(), waiting: 0 } } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.fields).toEqual({ id: 'is taken by an existing queue' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['id', 'name']);
    expect(bad.body.error.fields.id).toMatch(/lower-case slug/);
  });

  it('registers agents; queues must exist, languages are ISO 639-1', async () => {
    const anna = await call('POST', '/agents', { id: 'anna', name: 'Anna', skills: ['Billing'], languages: ['en', 'DE'], queues: ['support', 'billing'] });
    const unknownQueue = await call('POST', '/agents', { id: 'bob', name: 'Bob', languages: ['en'], queues: ['nowhere'] });
    const badLanguage = await call('POST', '/agents', { id: 'bob', name: 'Bob', languages: ['english'], queues: ['support'] });
    const notALanguage = await call('POST', '/agents', { id: 'bob', name: 'Bob', languages: ['en', 'zz'], queues: ['support'] });
    const again = await call('POST', '/agents', { id: 'anna', name: 'Anna', languages: ['en'], queues: ['support'] });

    expect(anna.status).toBe(201);
    expect(anna.body.agent).toEqual({ id: 'anna', name: 'Anna', skills: ['billing'], languages: ['en', 'de'], queues: ['support', 'billing'], createdAt: at(10).toISOString() });
    expect(unknownQueue).toMatchObject({ status: 400, body: { error: { fields: { queues: 'must be existing queues; unknown: nowhere' } } } });
    expect(badLanguage.body.error.fields).toEqual({ 'languages[0]': 'must be an ISO 639-1 code such as en, de or ja' });
    expect(notALanguage.body.error.issues).toEqual([{ path: 'languages[1]', code: 'invalid-value', message: 'must be an ISO 639-1 code such as en, de or ja' }]);
    expect(again.status).toBe(409);
    expect((await call('GET', '/agents')).body.agents.map((a: any) => a.id)).toEqual(['anna']);
    expect((await call('GET', '/agents/anna')).body.agent.name).toBe('Anna');
    expect((await call('GET', '/agents/nobody')).status).toBe(404);
  });

  it('next claims the best eligible interaction, then answers 204 when nothing is left', async () => {
    await store.create(waiting('i-api-low', { queueId: 'support', enqueuedAt: at(4), priority: 10 }));
    await store.create(waiting('i-api-high', { queueId: 'billing', enqueuedAt: at(6), priority: 20 }));
    await store.create(needs(waiting('i-api-ja', { queueId: 'support', enqueuedAt: at(0), priority: 90 }), [], 'ja'));

    const first = await call('POST', '/agents/anna/next');
    const second = await call('POST', '/agents/anna/next');
    const third = await call('POST', '/agents/anna/next');

    expect(first.status).toBe(200);
    expect(first.body.interaction).toMatchObject({ id: 'i-api-high', state: 'claimed', agentId: 'anna', claimedAt: at(10).toISOString() });
    expect(second.body.interaction.id).toBe('i-api-low');
    expect(third).toEqual({ status: 204, body: undefined });
    const held = (await call('GET', '/agents/anna/interactions')).body.interactions;
    expect(held.map((i: any) => i.id)).toEqual(['i-api-high', 'i-api-low']);
    // Core's signal rides on every claimed interaction: nothing came from the customer since the claim.
    expect(held.map((i: any) => i.customerReplied)).toEqual([false, false]);
    expect((await call('POST', '/agents/nobody/next')).status).toBe(404);
  });

  it('release keeps the wait, transfer moves it, close ends it; wrong agent or state is 409', async () => {
    const wrongAgent = await call('POST', '/interactions/i-api-low/release', { agentId: 'bob' });
    const released = await call('POST', '/interactions/i-api-low/release', { agentId: 'anna' });
    const notClaimed = await call('POST', '/interactions/i-api-low/close', { agentId: 'anna' });
    const badTransfer = await call('POST', '/interactions/i-api-low/transfer', { queueId: 'nowhere', priority: 1.5 });
    const transferred = await call('POST', '/interactions/i-api-low/transfer', { queueId: 'billing', priority: 30 });
    const closed = await call('POST', '/interactions/i-api-high/close', { agentId: 'anna' });
    const missingAgent = await call('POST', '/interactions/i-api-high/close', {});

    expect(wrongAgent).toMatchObject({ status: 409, body: { error: { code: 'conflict', fields: { agentId: 'must be the claiming agent (anna)' } } } });
    expect(released.body.interaction).toMatchObject({ state: 'waiting', queueId: 'support', enqueuedAt: at(4).toISOString(), ageMinutes: 6, score: 16 });
    expect(notClaimed).toMatchObject({ status: 409, body: { error: { fields: { state: 'is waiting; only a claimed interaction can be closed' } } } });
    expect(badTransfer.status).toBe(400);
    expect(badTransfer.body.error.fields).toEqual({ priority: 'must be an integer between -1000000 and 1000000' });
    expect(badTransfer.body.error.issues).toEqual([{ path: 'priority', code: 'invalid-type', message: 'must be an integer between -1000000 and 1000000' }]);
    expect(transferred.body.interaction).toMatchObject({ state: 'waiting', queueId: 'billing', priority: 30, score: 36 });
    expect(closed.body.interaction).toMatchObject({ state: 'closed', closedAt: at(10).toISOString() });
    expect(missingAgent.status).toBe(400);
    expect(missingAgent.body.error.fields.agentId).toMatch(/is required/);
    expect(missingAgent.body.error.issues).toEqual([{ path: 'agentId', code: 'required', message: 'is required' }]);
    expect((await call('POST', '/interactions/i-none/close', { agentId: 'anna' })).status).toBe(404);
  });

  it('removes a queue only when no agent uses it and nothing waits in it; removing an agent releases what it holds', async () => {
    const inUse = await call('DELETE', '/queues/billing');
    const claimed = await call('POST', '/agents/anna/next');
    const agentRemoved = await call('DELETE', '/agents/anna');
    const busy = await call('DELETE', '/queues/billing');
    await call('POST', '/queues', { id: 'empty', name: 'Empty' });
    const removed = await call('DELETE', '/queues/empty');
    const gone = await call('DELETE', '/queues/empty');

    expect(inUse).toMatchObject({ status: 409, body: { error: { fields: { id: 'is in use: agent(s) anna take work from it; change or remove them first' } } } });
    expect(claimed.body.interaction.id).toBe('i-api-low');
    expect(agentRemoved).toEqual({ status: 200, body: { agentId: 'anna', released: 1 } });
    expect((await store.get('i-api-low'))?.trail.at(-1)).toMatchObject({ step: 'released', detail: 'agent anna was removed; back to queue billing' });
    expect(busy).toMatchObject({ status: 409, body: { error: { fields: { id: 'has 1 waiting interaction(s); transfer or close them first' } } } });
    expect((await call('GET', '/queues')).body.queues.map((q: any) => q.id)).toContain('billing');
    expect(removed.status).toBe(204);
    expect(gone.status).toBe(404);
    expect((await call('DELETE', '/agents/anna')).status).toBe(404);
  });
});
