/**
 * The specific reasons (core/error-reasons.ts) the HTTP API answers beside its codes, on real
 * stores on dynalite: one representative route per family (a taken id, a broken address rule, a
 * missing thing, a thing in use), each with its unchanged `code` and English message.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDomainStore } from '../../../lambdas/adapters/dynamodb/domain-store.ts';
import { ALL_ERROR_REASONS } from '../../../lambdas/core/error-reasons.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { dynamoApiApp } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';
import { domainRecord } from '../../support/factories.ts';

describe('error reasons of the HTTP API on dynalite', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let app: Hono;

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'api-reasons');
    // The served domains as deployed: read from the config table, where they are data.
    await new DynamoDomainStore(tables.doc, tables.config).create(domainRecord('support.example.com'));
    app = dynamoApiApp(tables, { domains: 'stored', acd: true });
  });
  afterAll(async () => {
    tables?.destroy();
    await dynalite?.stop();
  });

  const call = apiCaller(() => app);

  it('answers queue.id-taken for a queue id that exists, on the field too', async () => {
    expect((await call('POST', '/queues', { id: 'support', name: 'Support' })).status).toBe(201);
    expect(await call('POST', '/queues', { id: 'support', name: 'Again' })).toEqual({
      status: 409,
      body: {
        error: {
          code: 'conflict',
          reason: 'queue.id-taken',
          message: 'queue support already exists',
          fields: { id: 'is taken by an existing queue' },
          issues: [{ path: 'id', code: 'conflict', reason: 'queue.id-taken', message: 'is taken by an existing queue' }],
        },
      },
    });
  });

  it('answers address.domain-not-served on the address field of a 400', async () => {
    const res = await call('POST', '/addresses', { address: 'help@elsewhere.test', fromName: 'Help', routing: { kind: 'none' } });
    expect(res).toEqual({
      status: 400,
      body: {
        error: {
          code: 'validation',
          reason: 'request.invalid',
          message: 'invalid request: address',
          fields: { address: "must be on one of the organisation's domains (support.example.com)" },
          issues: [
            { path: 'address', code: 'invalid', reason: 'address.domain-not-served', message: "must be on one of the organisation's domains (support.example.com)" },
          ],
        },
      },
    });
  });

  it('answers interaction.not-found for an interaction that does not exist, read or acted on', async () => {
    const notFound = { code: 'not-found', reason: 'interaction.not-found', message: 'interaction i-nope not found' };
    expect(await call('GET', '/interactions/i-nope')).toEqual({ status: 404, body: { error: notFound } });
    expect(await call('POST', '/interactions/i-nope/close', { agentId: 'anna' })).toEqual({ status: 404, body: { error: notFound } });
  });

  it('answers flow.in-use (code flow-in-use) for a flow an address route names', async () => {
    const flow = { name: 'Triage', rules: [{ when: [], then: [{ type: 'setQueue', queueId: 'support' }] }] };
    expect((await call('PUT', '/flows/triage', flow)).status).toBe(201);
    const route = { address: 'help@support.example.com', fromName: 'Help', routing: { kind: 'flow', flowId: 'triage' } };
    expect((await call('POST', '/addresses', route)).status).toBe(201);
    expect(await call('DELETE', '/flows/triage')).toEqual({
      status: 409,
      body: { error: { code: 'flow-in-use', reason: 'flow.in-use', message: 'flow triage is in use by address help@support.example.com' } },
    });
  });

  it('answers only listed reasons, also for unknown routes and refused methods', async () => {
    const answers = [await call('GET', '/nowhere'), await call('DELETE', '/queues'), await call('GET', '/agents/nobody')];
    expect(answers.map((a) => [a.status, a.body.error.reason])).toEqual([
      [404, 'route.not-found'],
      [405, 'route.method-not-allowed'],
      [404, 'agent.not-found'],
    ]);
    for (const a of answers) expect(ALL_ERROR_REASONS).toContain(a.body.error.reason);
  });
});
