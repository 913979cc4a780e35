/**
 * The address and flow routes of the HTTP API over real stores on dynalite: field-level 400s,
 * 404s, 409s, and flow versions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { DynamoDomainStore } from '../../../lambdas/adapters/dynamodb/domain-store.ts';
import { DynamoQueueStore } from '../../../lambdas/adapters/dynamodb/queue-store.ts';
import { FLOW_MAX_DEFINITION_BYTES, type FlowDefinition } from '../../../lambdas/core/routing/flow.ts';
import { flowDefinitionBytes } from '../../../lambdas/core/routing/flow-validation.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { at, domainRecord, queue } from '../../support/factories.ts';
import { dynamoApiApp } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';

const help = {
  address: 'Help@Support.Example.com',
  fromName: 'Example Support',
  bcc: ['audit@example.org'],
  routing: { kind: 'queue', queueId: 'billing', skills: ['billing'], language: 'ja', priority: 10 },
  spamRouting: { kind: 'disconnect' },
};
const triage = {
  name: 'Triage',
  rules: [{ name: 'refunds', when: [{ field: 'subject', op: 'contains', value: 'refund' }], then: [{ type: 'setQueue', queueId: 'billing' }], stop: true }],
};

describe('address and flow routes on dynalite', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let app: Hono;

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'config-api');
    await new DynamoQueueStore(tables.doc, tables.queues, tables.interactions).ensure(queue('billing', { name: 'Billing' }));
    app = dynamoApiApp(tables, { domains: ['support.example.com', 'example.org'] });
  });
  afterAll(async () => {
    tables?.destroy();
    await dynalite?.stop();
  });

  const call = apiCaller(() => app);

  it('creates an address route, normalized, and answers 409 to a second create', async () => {
    const created = await call('POST', '/addresses', help);
    expect(created.status).toBe(201);
    expect(created.body.address).toEqual({
      address: 'help@support.example.com',
      fromName: 'Example Support',
      fromAddress: 'help@support.example.com',
      bcc: ['audit@example.org'],
      routing: { kind: 'queue', queueId: 'billing', skills: ['billing'], language: 'ja', priority: 10 },
      spamRouting: { kind: 'disconnect' },
      createdAt: at(10).toISOString(),
      updatedAt: at(10).toISOString(),
    });
    const again = await call('POST', '/addresses', help);
    expect(again).toEqual({ status: 409, body: { error: { code: 'conflict', reason: 'address.exists', message: 'address help@support.example.com already has a route' } } });
  });

  it('answers 400 with one message per field, from the schema and from the rules', async () => {
    const shape = await call('POST', '/addresses', { address: 'x@support.example.com', fromName: 7, routing: { kind: 'queue', queueId: 'billing', priority: 'high' }, extra: 1 });
    expect(shape.status).toBe(400);
    expect(Object.keys(shape.body.error.fields).sort()).toEqual(['extra', 'fromName', 'routing.priority']);
    expect(shape.body.error.fields.extra).toBe('is not allowed');
    expect(shape.body.error.issues).toEqual(
      expect.arrayContaining([
        { path: 'fromName', code: 'invalid-type', message: 'must be a string' },
        { path: 'routing.priority', code: 'invalid-type', message: 'must be an integer between -1000000 and 1000000' },
        { path: 'extra', code: 'not-allowed', message: 'is not allowed' },
      ]),
    );

    const rules = await call('POST', '/addresses', {
      address: 'x@elsewhere.test',
      fromName: 'X',
      fromAddress: 'nobody@example.org',
      bcc: ['1@a.test', '2@a.test', '3@a.test', '4@a.test', '5@a.test', '6@a.test'],
      routing: { kind: 'queue', queueId: 'nope', skills: ['Bad Skill'], language: 'xx', priority: 5 },
      spamRouting: { kind: 'flow', flowId: 'missing' },
    });
    expect(rules.status).toBe(400);
    expect(rules.body.error.fields).toEqual({
      address: "must be on one of the organisation's domains (support.example.com, example.org)",
      fromAddress: 'must be a configured address of the organisation (this address or another address route)',
      bcc: 'at most 5 distinct BCC recipients',
      'routing.queueId': 'queue nope does not exist',
      'routing.skills': 'must be a slug: 1-64 lower-case letters, digits and inner hyphens',
      'routing.language': 'must be an ISO 639-1 code such as en, de or ja',
      'spamRouting.flowId': 'flow missing does not exist',
    });
    expect((await call('POST', '/addresses', '{not json')).body.error.fields).toEqual({ body: 'must be a JSON object' });
  });

  it.each([
    ['a name that reads as an address list', '"Bank" <ceo@bank.example>, Evil', "must be a name, not an address: no '@', '<' or '>'"],
    ['NEL', 'Support\u0085Bcc: x@evil.example', 'must be one line without control characters (found U+0085 at position 8)'],
    ['U+2028', 'Support\u2028Team', 'must be one line without control characters (found U+2028 at position 8)'],
    ['NUL', 'Support\u0000', 'must be one line without control characters (found U+0000 at position 8)'],
  ])('refuses a from name with %s, field by field (issue 11 item 6)', async (_what, fromName, message) => {
    const answer = await call('POST', '/addresses', { ...help, address: 'x@support.example.com', fromName, replyTo: 'r\u2028@example.org', bcc: ['a\u0000@example.org'] });
    expect(answer.status).toBe(400);
    expect(answer.body.error.fields).toEqual({ fromName: message, replyTo: 'must be an e-mail address', bcc: 'must list e-mail addresses' });
    expect(answer.body.error.issues).toContainEqual(expect.objectContaining({ path: 'fromName', reason: 'address.from-name-invalid' }));
  });

  it('stores flow versions and serves the current one, any version and the history', async () => {
    const v1 = await call('PUT', '/flows/triage', triage);
    const v2 = await call('PUT', '/flows/triage', { ...triage, name: 'Triage 2' });
    expect([v1.status, v1.body.flow.version, v2.status, v2.body.flow.version]).toEqual([201, 1, 200, 2]);
    expect((await call('GET', '/flows/triage')).body.flow).toMatchObject({ id: 'triage', version: 2, name: 'Triage 2', rules: triage.rules });
    expect((await call('GET', '/flows/triage?version=1')).body.flow).toMatchObject({ version: 1, name: 'Triage' });
    expect((await call('GET', '/flows/triage/versions')).body.versions).toEqual([
      { version: 1, name: 'Triage', rules: 1, createdAt: at(10).toISOString() },
      { version: 2, name: 'Triage 2', rules: 1, createdAt: at(10).toISOString() },
    ]);
    expect((await call('GET', '/flows')).body.flows).toEqual([{ id: 'triage', name: 'Triage 2', version: 2, createdAt: at(10).toISOString(), updatedAt: at(10).toISOString() }]);
    expect((await call('GET', '/flows/triage?version=9')).status).toBe(404);
    expect((await call('GET', '/flows/triage?version=x')).body.error.fields).toEqual({ version: 'must be a version number (1, 2, ...)' });
  });

  it('answers 400 for an invalid flow, keyed by rule and field', async () => {
    const res = await call('PUT', '/flows/bad', {
      name: 'Bad',
      rules: [
        { when: [{ field: 'subject', op: 'matches', value: '(a+)+' }], then: [{ type: 'setQueue', queueId: 'nope' }] },
        { when: [{ field: 'colour', op: 'equals', value: 'red' }], then: [{ type: 'explode' }] },
      ],
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['rules[1].then[0].type', 'rules[1].when[0].field']);
    const semantic = await call('PUT', '/flows/bad', { name: 'Bad', rules: [{ when: [{ field: 'subject', op: 'matches', value: '(a)\\1' }], then: [{ type: 'setQueue', queueId: 'nope' }] }] });
    expect(semantic.body.error.fields).toEqual({
      'rules[0].when[0].value': 'is not a pattern the linear-time engine (RE2) accepts: invalid escape sequence: `\\1` (back-references and lookaround are not supported)',
      'rules[0].then[0].queueId': 'queue nope does not exist',
    });
    expect((await call('GET', '/flows/bad')).status).toBe(404);
  });

  it('stores a flow up to FLOW_MAX_DEFINITION_BYTES and answers 400 (not 500) for a larger one', async () => {
    // One long `in` list per condition: the largest flows are made of values, and they fill the item.
    const flowOf = (chars: number) => {
      const values = Array.from({ length: Math.ceil(chars / 1000) }, (_, n) => `${n}`.padEnd(1000, 'x'));
      const when = [];
      for (let n = 0; n < values.length; n += 200) when.push({ field: 'subject', op: 'in', values: values.slice(n, n + 200) });
      return { name: 'Big', rules: [{ when, then: [{ type: 'setQueue', queueId: 'billing' }] }] };
    };
    let fits = flowOf(FLOW_MAX_DEFINITION_BYTES);
    // Cut the excess (ASCII: one byte per character) from the last values so the flow is exactly at the limit.
    for (let excess = flowDefinitionBytes(fits as FlowDefinition) - FLOW_MAX_DEFINITION_BYTES; excess > 0; excess = flowDefinitionBytes(fits as FlowDefinition) - FLOW_MAX_DEFINITION_BYTES) {
      const values = fits.rules[0]!.when.at(-1)!.values;
      if (values.at(-1)!.length > excess + 1) values[values.length - 1] = values.at(-1)!.slice(0, -excess);
      else values.pop();
    }
    expect(flowDefinitionBytes(fits as FlowDefinition)).toBe(FLOW_MAX_DEFINITION_BYTES);

    const stored = await call('PUT', '/flows/big', fits);
    const tooBig = await call('PUT', '/flows/bigger', flowOf(FLOW_MAX_DEFINITION_BYTES + 2000));
    const overItem = await call('PUT', '/flows/huge', flowOf(500_000));

    expect(stored.status).toBe(201);
    expect((await call('GET', '/flows/big')).body.flow.rules).toEqual(fits.rules);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.fields).toEqual({ body: expect.stringMatching(/^must be at most 262144 bytes as JSON \(this flow is \d+\)/) });
    expect(tooBig.body.error.issues).toEqual([expect.objectContaining({ path: 'body', code: 'too-big' })]);
    expect(overItem).toMatchObject({ status: 400, body: { error: { code: 'validation', issues: [{ path: 'body', code: 'too-big' }] } } });
    expect((await call('GET', '/flows/bigger')).status).toBe(404);
  });

  it('routes an address to a flow, refuses to delete a flow in use (409), and deletes it after', async () => {
    const put = await call('PUT', '/addresses/help@support.example.com', { fromName: 'Support', routing: { kind: 'flow', flowId: 'triage' } });
    expect(put.status).toBe(200);
    expect(put.body.address).toMatchObject({ routing: { kind: 'flow', flowId: 'triage' }, createdAt: at(10).toISOString(), bcc: [] });
    expect(put.body.address.spamRouting).toBeUndefined();
    expect((await call('DELETE', '/flows/triage')).status).toBe(409);
    await call('PUT', '/addresses/help@support.example.com', { fromName: 'Support', routing: { kind: 'none' } });
    expect((await call('DELETE', '/flows/triage')).status).toBe(204);
    expect((await call('GET', '/flows/triage')).status).toBe(404);
    expect((await call('DELETE', '/flows/triage')).status).toBe(404);
  });

  it('lists, shows, 404s and deletes addresses; a from address in use cannot be deleted', async () => {
    await call('POST', '/addresses', { address: 'sales@example.org', fromName: 'Sales', fromAddress: 'help@support.example.com', routing: { kind: 'none' } });
    expect((await call('GET', '/addresses')).body.addresses.map((a: any) => a.address)).toEqual(['help@support.example.com', 'sales@example.org']);
    expect((await call('GET', '/addresses/Sales@Example.org')).body.address.fromName).toBe('Sales');
    expect(await call('GET', '/addresses/nobody@example.org')).toEqual({ status: 404, body: { error: { code: 'not-found', reason: 'address.not-found', message: 'address nobody@example.org not found' } } });
    expect((await call('PUT', '/addresses/nobody@example.org', { fromName: 'X', routing: { kind: 'none' } })).status).toBe(404);
    const inUse = await call('DELETE', '/addresses/help@support.example.com');
    expect(inUse).toEqual({
      status: 409,
      body: { error: { code: 'conflict', reason: 'address.in-use', message: 'address help@support.example.com is the from address of sales@example.org' } },
    });
    expect((await call('DELETE', '/addresses/sales@example.org')).status).toBe(204);
    expect((await call('DELETE', '/addresses/sales@example.org')).status).toBe(404);
  });
});

describe('address routes on the served domains stored in the config table', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let app: Hono;
  let domains: DynamoDomainStore;

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'config-api-domains');
    domains = new DynamoDomainStore(tables.doc, tables.config);
    app = dynamoApiApp(tables, { domains: 'stored' });
  });
  afterAll(async () => {
    tables?.destroy();
    await dynalite?.stop();
  });

  const call = apiCaller(() => app);
  const route = { address: 'help@new.example.com', fromName: 'Help', routing: { kind: 'none' } };

  it('accepts an address on a domain the moment it is stored, and refuses it once it is removed', async () => {
    // Prepare
    const before = await call('POST', '/addresses', route);

    // Act
    await domains.create(domainRecord('new.example.com'));
    const stored = await call('POST', '/addresses', route);
    await domains.delete('new.example.com');
    const removed = await call('POST', '/addresses', { ...route, address: 'sales@new.example.com' });

    // Assess
    expect(before.status).toBe(400);
    expect(before.body.error.fields.address).toBe("must be on one of the organisation's domains (none is served yet)");
    expect(stored.status).toBe(201);
    expect(removed.status).toBe(400);
  });
});
