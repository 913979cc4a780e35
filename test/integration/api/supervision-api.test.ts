/**
 * The supervisor's routes over real stores on dynalite (issue 12 item 3): assign a waiting
 * interaction to a named agent, force-release another agent's claim, and re-route a quarantined
 * false positive into a queue; each answered with field messages when refused.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAgentStore } from '../../../lambdas/adapters/dynamodb/agent-store.ts';
import { DynamoInteractionClaims } from '../../../lambdas/adapters/dynamodb/interaction-claims.ts';
import { DynamoInteractionStore } from '../../../lambdas/adapters/dynamodb/interaction-store.ts';
import { DynamoQueueStore } from '../../../lambdas/adapters/dynamodb/queue-store.ts';
import { releaseInteraction } from '../../../lambdas/core/agents/actions.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { at } from '../../support/factories.ts';
import { dynamoApiApp } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';
import { createTables, quarantined, waiting, type Tables } from '../dynamodb/fixtures.ts';

describe('supervisor routes of the HTTP API on dynalite', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let store: DynamoInteractionStore;
  let app: Hono;

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'api-supervise');
    store = new DynamoInteractionStore(tables.doc, tables.interactions);
    app = dynamoApiApp(tables, { acd: true, domains: ['example.test'] });
    for (const q of [{ id: 'support', name: 'Support' }, { id: 'billing', name: 'Billing' }]) expect((await call('POST', '/queues', q)).status).toBe(201);
    for (const a of [
      { id: 'anna', name: 'Anna', languages: ['en'], queues: ['support'] },
      { id: 'bob', name: 'Bob', languages: ['en'], queues: ['support'] },
      { id: 'carl', name: 'Carl', languages: ['en'], queues: ['billing'] },
    ]) expect((await call('POST', '/agents', a)).status).toBe(201);
  });
  afterAll(async () => {
    tables?.destroy();
    await dynalite?.stop();
  });

  const call = apiCaller(() => app);

  it('assigns a waiting interaction to the named agent; next no longer offers it to another', async () => {
    await store.create(waiting('i-assign-1', { queueId: 'support', enqueuedAt: at(1), priority: 50 }));

    const assigned = await call('POST', '/interactions/i-assign-1/assign', { agentId: 'bob' });
    const annaNext = await call('POST', '/agents/anna/next');

    expect(assigned.status).toBe(200);
    expect(assigned.body.interaction).toMatchObject({ id: 'i-assign-1', state: 'claimed', agentId: 'bob', claimedAt: at(10).toISOString() });
    expect(assigned.body.interaction.trail.at(-1)).toEqual({ at: at(10).toISOString(), step: 'assigned', detail: 'assigned by arn:aws:iam::123456789012:user/test-admin to agent bob from queue support' });
    expect(annaNext).toEqual({ status: 204, body: undefined });
    expect((await call('GET', '/queues/support/interactions')).body.interactions).toEqual([]);
    expect((await call('GET', '/agents/bob/interactions')).body.interactions.map((i: any) => i.id)).toEqual(['i-assign-1']);
  });

  it('refuses to re-assign a claimed interaction until it is released (409), and force-release works for another holder', async () => {
    const again = await call('POST', '/interactions/i-assign-1/assign', { agentId: 'anna' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ reason: 'interaction.already-claimed', fields: { state: 'is claimed by agent bob; release it first' } });

    const released = await call('POST', '/interactions/i-assign-1/release', { agentId: 'bob' });
    expect(released.body.interaction).toMatchObject({ state: 'waiting', queueId: 'support' });
    const reassigned = await call('POST', '/interactions/i-assign-1/assign', { agentId: 'anna' });
    expect(reassigned.body.interaction).toMatchObject({ state: 'claimed', agentId: 'anna' });
  });

  it('names the supervisor in the trail of a force-release', async () => {
    const deps = { interactions: store, queues: new DynamoQueueStore(tables.doc, tables.queues, tables.interactions), claims: new DynamoInteractionClaims(tables.doc, tables.interactions) };
    const released = await releaseInteraction(deps, 'i-assign-1', 'anna', at(11), 'sue');
    expect(released).toMatchObject({ state: 'waiting', queueId: 'support' });
    expect(released.trail.at(-1)).toEqual({ at: at(11).toISOString(), step: 'released', detail: 'released by supervisor sue from agent anna back to queue support' });
  });

  it('refuses an unknown agent and one who does not serve the queue with 422 field messages', async () => {
    const unknown = await call('POST', '/interactions/i-assign-1/assign', { agentId: 'nobody' });
    const otherQueue = await call('POST', '/interactions/i-assign-1/assign', { agentId: 'carl' });
    const missing = await call('POST', '/interactions/i-none/assign', { agentId: 'anna' });

    expect(unknown.status).toBe(422);
    expect(unknown.body.error.issues).toEqual([{ path: 'agentId', code: 'invalid', reason: 'agent.not-found', message: 'must be a registered agent (nobody is not)' }]);
    expect(otherQueue.status).toBe(422);
    expect(otherQueue.body.error.fields).toEqual({ agentId: 'must take work from queue support (agent carl serves billing)' });
    expect(missing.status).toBe(404);
    expect(await new DynamoAgentStore(tables.doc, tables.config).get('carl')).toBeDefined();
  });

  it('re-routes a quarantined interaction into the given queue; the quarantine no longer lists it', async () => {
    await store.create(quarantined('i-quar-1', at(2)));
    expect((await call('GET', '/quarantine')).body.interactions.map((i: any) => i.id)).toEqual(['i-quar-1']);

    const rerouted = await call('POST', '/quarantine/i-quar-1/reroute', { queueId: 'billing' });

    expect(rerouted.status).toBe(200);
    expect(rerouted.body.interaction).toMatchObject({ id: 'i-quar-1', state: 'waiting', queueId: 'billing', priority: 0, enqueuedAt: at(2).toISOString(), ageMinutes: 8 });
    expect(rerouted.body.interaction.trail.at(-1).detail).toBe(
      're-routed by arn:aws:iam::123456789012:user/test-admin from the quarantine (unparseable: judged a false positive) to queue billing with priority 0 (queue given)',
    );
    expect((await call('GET', '/quarantine')).body.interactions).toEqual([]);
    expect((await call('POST', '/agents/carl/next')).body.interaction).toMatchObject({ id: 'i-quar-1', agentId: 'carl' });
    const twice = await call('POST', '/quarantine/i-quar-1/reroute', { queueId: 'billing' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.reason).toBe('interaction.not-quarantined');
  });

  it('re-routes into the address route\'s queue, or asks for a queue when there is none', async () => {
    await store.create(quarantined('i-quar-2', at(3)));
    const noRoute = await call('POST', '/quarantine/i-quar-2/reroute', {});
    expect(noRoute.status).toBe(422);
    expect(noRoute.body.error.fields).toEqual({ queueId: 'is required: no recipient has an address route to a queue' });
    const unknownQueue = await call('POST', '/quarantine/i-quar-2/reroute', { queueId: 'nowhere' });
    expect(unknownQueue.status).toBe(422);

    const route = await call('POST', '/addresses', { address: 'support@example.test', fromName: 'Support', routing: { kind: 'queue', queueId: 'support', skills: ['billing'], priority: 20 } });
    expect(route.status).toBe(201);
    const rerouted = await call('POST', '/quarantine/i-quar-2/reroute', {});
    expect(rerouted.body.interaction).toMatchObject({ state: 'waiting', queueId: 'support', priority: 20, skills: ['billing'] });
    expect(rerouted.body.interaction.trail.at(-1).detail).toMatch(/to queue support with priority 20 \(address route support@example\.test\)$/);
  });
});
