/**
 * The HTTP API over real stores on dynalite: what agents and admins see through `GET` routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { DynamoInteractionStore } from '../../../lambdas/adapters/dynamodb/interaction-store.ts';
import { DynamoQueueStore } from '../../../lambdas/adapters/dynamodb/queue-store.ts';
import { TransientError } from '../../../lambdas/core/errors.ts';
import type { InteractionStore } from '../../../lambdas/core/ports.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, quarantined, waiting, type Tables } from '../dynamodb/fixtures.ts';
import { at, queue } from '../../support/factories.ts';
import { dynamoApiApp } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';

describe('HTTP API on dynalite', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let interactions: DynamoInteractionStore;
  let queues: DynamoQueueStore;
  let app: Hono;
  const logged: string[] = [];

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'api');
    interactions = new DynamoInteractionStore(tables.doc, tables.interactions);
    queues = new DynamoQueueStore(tables.doc, tables.queues, tables.interactions);
    // The documented example, read at 09:10: priority 10 since 09:04, priority 20 since 09:06.
    await queues.ensure(queue('default', { name: 'Default', description: 'all mail' }));
    await queues.ensure(queue('billing', { name: 'Billing' }));
    await interactions.create(waiting('i-low', { enqueuedAt: at(4), priority: 10, subject: 'Where is my order?' }));
    await interactions.create(waiting('i-high', { enqueuedAt: at(6), priority: 20, subject: 'Urgent: refund' }));
    await interactions.create(waiting('i-mid', { enqueuedAt: at(1), priority: 12 }));
    await interactions.create(quarantined('i-bad-old', at(2), 'no-served-recipient'));
    await interactions.create(quarantined('i-bad-new', at(8)));
    app = dynamoApiApp(tables, {}, { log: (message) => logged.push(message) });
  });
  afterAll(async () => {
    tables?.destroy();
    await dynalite?.stop();
  });

  const call = apiCaller(() => app);
  const get = (path: string) => call('GET', path);

  it('answers the health check', async () => {
    expect(await get('/health')).toEqual({ status: 200, body: { ok: true } });
  });

  it('lists queues with their waiting counts', async () => {
    const { status, body } = await get('/queues');
    expect(status).toBe(200);
    expect(body.queues).toEqual([
      { id: 'billing', name: 'Billing', createdAt: at(0).toISOString(), waiting: 0 },
      { id: 'default', name: 'Default', description: 'all mail', createdAt: at(0).toISOString(), waiting: 3 },
    ]);
  });

  it("lists a queue's interactions in score order with live scores", async () => {
    const { status, body } = await get('/queues/default/interactions');
    expect(status).toBe(200);
    expect(body.queueId).toBe('default');
    expect(body.interactions.map((i: any) => [i.id, i.ageMinutes, i.priority, i.score])).toEqual([
      ['i-high', 4, 20, 24],
      ['i-mid', 9, 12, 21],
      ['i-low', 6, 10, 16],
    ]);
    expect(body.interactions[0]).toEqual({
      id: 'i-high',
      from: { address: 'alice@customer.test', name: 'Alice Example' },
      subject: 'Urgent: refund',
      enqueuedAt: at(6).toISOString(),
      ageMinutes: 4,
      priority: 20,
      score: 24,
    });
    expect(body.cursor).toBeUndefined();
  });

  it('pages a queue with limit and cursor', async () => {
    const first = await get('/queues/default/interactions?limit=2');
    const second = await get(`/queues/default/interactions?limit=2&cursor=${first.body.cursor}`);
    expect(first.body.interactions.map((i: any) => i.id)).toEqual(['i-high', 'i-mid']);
    expect(second.body.interactions.map((i: any) => i.id)).toEqual(['i-low']);
  });

  it('shows one interaction with its live score', async () => {
    const { status, body } = await get('/interactions/i-high');
    expect(status).toBe(200);
    expect(body.interaction).toMatchObject({ id: 'i-high', state: 'waiting', queueId: 'default', score: 24, ageMinutes: 4 });
    expect(body.interaction.message.attachments).toEqual([
      { filename: 'invoice.pdf', contentType: 'application/pdf', size: 1234, inline: false },
    ]);
    expect(body.interaction.trail.map((t: any) => t.step)).toEqual(['received', 'queued']);
  });

  it('shows a quarantined interaction without a score', async () => {
    const { body } = await get('/interactions/i-bad-new');
    expect(body.interaction.quarantine).toEqual({ reason: 'unparseable', detail: 'unparseable detail' });
    expect(body.interaction.score).toBeUndefined();
  });

  it('lists the quarantine newest first with reasons', async () => {
    const { status, body } = await get('/quarantine');
    expect(status).toBe(200);
    expect(body.interactions.map((i: any) => [i.id, i.quarantine.reason, i.receivedAt])).toEqual([
      ['i-bad-new', 'unparseable', at(8).toISOString()],
      ['i-bad-old', 'no-served-recipient', at(2).toISOString()],
    ]);
  });

  it('answers 404 for an unknown interaction, queue or route', async () => {
    expect(await get('/interactions/i-nope')).toEqual({
      status: 404,
      body: { error: { code: 'not-found', reason: 'interaction.not-found', message: 'interaction i-nope not found' } },
    });
    expect((await get('/queues/nope/interactions')).body.error).toEqual({ code: 'not-found', reason: 'queue.not-found', message: 'queue nope not found' });
    expect(await get('/nowhere')).toEqual({ status: 404, body: { error: { code: 'not-found', reason: 'route.not-found', message: 'no route for GET /nowhere' } } });
  });

  it('answers 400 with field messages for bad parameters', async () => {
    const tooMany = await get('/queues/default/interactions?limit=500');
    const notNumber = await get('/quarantine?limit=ten&cursor=%24%24');
    const badId = await get(`/interactions/${'x'.repeat(200)}`);
    const forged = await get(`/queues/default/interactions?cursor=${Buffer.from('{"pk":"I#x"}').toString('base64url')}`);

    expect(tooMany).toEqual({
      status: 400,
      body: {
        error: {
          code: 'validation',
          reason: 'request.invalid',
          message: 'invalid request: limit',
          fields: { limit: 'must be an integer between 1 and 200' },
          issues: [{ path: 'limit', code: 'too-big', message: 'must be an integer between 1 and 200' }],
        },
      },
    });
    expect(Object.keys(notNumber.body.error.fields)).toEqual(['limit', 'cursor']);
    expect(notNumber.body.error.issues.map((i: any) => i.code)).toEqual(['invalid-format', 'invalid-format']);
    expect(badId.body.error.fields).toEqual({ id: "must be 1-128 letters, digits, '.', '_', ':' or '-'" });
    expect(forged.status).toBe(400);
    expect(forged.body.error.fields.cursor).toMatch(/not a valid cursor/);
    expect(forged.body.error.issues).toEqual([{ path: 'cursor', code: 'invalid', reason: 'cursor.invalid', message: 'is not a valid cursor for this list' }]);
  });

  it('answers 503 for a transient failure and 500 with a generic message otherwise, logging both', async () => {
    const failing = (err: Error): InteractionStore => ({
      create: (i) => interactions.create(i),
      get: () => Promise.reject(err),
      listWaiting: (q, l, c) => interactions.listWaiting(q, l, c),
      listQuarantined: (l, c) => interactions.listQuarantined(l, c),
      listDisposed: (l, c) => interactions.listDisposed(l, c),
    });
    const secret = new Error('arn:aws:dynamodb:eu-west-1:123456789012:table/secret');
    const unavailable = dynamoApiApp(tables, {}, { interactions: failing(new TransientError('storage-unavailable', 'slow down')), log: (m) => logged.push(m) });
    const broken = dynamoApiApp(tables, {}, { interactions: failing(secret), log: (m) => logged.push(m) });

    const r503 = await unavailable.request('/interactions/i-high');
    const r500 = await broken.request('/interactions/i-high');
    const text500 = await r500.text();

    expect(r503.status).toBe(503);
    expect(((await r503.json()) as any).error).toEqual({ code: 'unavailable', reason: 'server.unavailable', message: 'the service is briefly unavailable, please retry' });
    expect(r500.status).toBe(500);
    expect(JSON.parse(text500)).toEqual({ error: { code: 'internal', reason: 'server.internal', message: 'internal error' } });
    expect(text500).not.toContain('123456789012');
    expect(logged).toEqual(expect.arrayContaining(['transient failure', 'unexpected failure']));
  });
});
