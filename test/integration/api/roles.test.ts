/**
 * Who may do what through the HTTP API (issue 12 item 1), with access tokens signed by a key pair
 * this test owns, over real stores on dynalite: each role is refused what it may not do, the
 * credentials that do not verify are 401, and the IAM path counts only from the Lambda event.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundApiDeps } from '../../../lambdas/adapters/api/deps.ts';
import type { MailContent } from '../../../lambdas/adapters/content/mail-content.ts';
import { DynamoInteractionStore } from '../../../lambdas/adapters/dynamodb/interaction-store.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, waiting, type Tables } from '../dynamodb/fixtures.ts';
import { bearer, testIssuer, type TestIssuer, type TokenClaims } from '../../support/access-tokens.ts';
import { dynamoApiApp } from '../../support/api-app.ts';
import { apiCaller, type ApiAnswer } from '../../support/api-call.ts';
import { at } from '../../support/factories.ts';

describe('roles on the HTTP API', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let issuer: TestIssuer;
  let app: Hono;
  const parts = { acd: true, domains: ['support.example.com'], deadLetters: true, suppressions: true } as const;

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'roles');
    issuer = await testIssuer();
    // The outbox and stored mail as stand-ins: these cases prove refusals before the routes, and one outbox listing.
    const outbound = { outbox: { list: async () => ({ records: [] }), get: async () => undefined } } as unknown as OutboundApiDeps;
    app = dynamoApiApp(tables, parts, { callers: issuer.callers, outbound, content: { mode: 'presign' } as MailContent });
    // Seeded as the CLI does it: an IAM admin (the default resolver of the test app).
    const admin = apiCaller(() => dynamoApiApp(tables, parts));
    for (const id of ['billing', 'sales']) expect((await admin('POST', '/queues', { id, name: id })).status).toBe(201);
    expect((await admin('POST', '/agents', { id: 'ada', name: 'Ada', languages: ['en'], queues: ['billing'] })).status).toBe(201);
    expect((await admin('POST', '/agents', { id: 'bob', name: 'Bob', languages: ['en'], queues: ['sales'] })).status).toBe(201);
    const address = { address: 'help@support.example.com', fromName: 'Help', bcc: ['audit@support.example.com'], routing: { kind: 'queue', queueId: 'billing' } };
    expect((await admin('POST', '/addresses', address)).status).toBe(201);
    const store = new DynamoInteractionStore(tables.doc, tables.interactions);
    await store.create(waiting('i-b1', { queueId: 'billing', enqueuedAt: at(1), priority: 0 }));
    await store.create(waiting('i-b2', { queueId: 'billing', enqueuedAt: at(2), priority: 0 }));
    await store.create(waiting('i-s1', { queueId: 'sales', enqueuedAt: at(1), priority: 0 }));
    expect((await admin('POST', '/agents/ada/next')).body.interaction.id).toBe('i-b1');
    expect((await admin('POST', '/agents/bob/next')).body.interaction.id).toBe('i-s1');
  });
  afterAll(async () => {
    tables?.destroy();
    await dynalite?.stop();
  });

  /** Calls as the bearer of a token with `claims`, or with `headers` as they are. */
  const as = (claims: TokenClaims | { headers: Record<string, string> }) => async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const headers = 'headers' in claims ? claims.headers : bearer(await issuer.token(claims));
    const res = await app.request(path, {
      method,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const ada = as({ username: 'ada', groups: ['agent'] });
  const sam = as({ username: 'sam', groups: ['supervisor'] });
  const root = as({ username: 'root', groups: ['admin', 'agent'] });
  const refusal = (answer: ApiAnswer) => ({ status: answer.status, code: answer.body?.error?.code, reason: answer.body?.error?.reason });
  const forbidden = (reason: string) => ({ status: 403, code: 'forbidden', reason });

  it('answers 401 without a verified token, 403 to a user in no role group; the health check stays open', async () => {
    const token = async (claims: TokenClaims) => ({ headers: bearer(await issuer.token(claims)) });
    expect(refusal(await as({ headers: {} })('GET', '/queues'))).toEqual({ status: 401, code: 'unauthenticated', reason: 'auth.token-missing' });
    expect(refusal(await as(await token({ username: 'ada', groups: ['agent'], expiresIn: -1 }))('GET', '/queues'))).toMatchObject({ status: 401, reason: 'auth.token-expired' });
    expect(refusal(await as(await token({ username: 'ada', groups: ['agent'], clientId: 'another-app' }))('GET', '/queues'))).toMatchObject({ status: 401, reason: 'auth.token-invalid' });
    expect(refusal(await as(await token({ username: 'ada', groups: ['agent'], issuer: 'https://other.test' }))('GET', '/queues'))).toMatchObject({ status: 401, reason: 'auth.token-invalid' });
    expect(refusal(await as({ headers: bearer(await issuer.forged({ username: 'ada', groups: ['admin'] })) })('POST', '/queues', { id: 'x', name: 'x' }))).toMatchObject({ status: 401 });
    expect(refusal(await as({ username: 'nobody', groups: [] })('GET', '/me'))).toEqual(forbidden('auth.role-required'));
    expect((await as({ headers: {} })('GET', '/health')).status).toBe(200);
    // an unknown path is 404 to a known caller only
    expect((await as({ headers: {} })('GET', '/nowhere')).status).toBe(401);
    expect((await ada('GET', '/nowhere')).status).toBe(404);
  });

  it('shows who is signed in: the user with its role, and its agent record', async () => {
    expect(await ada('GET', '/me')).toEqual({ status: 200, body: { user: { username: 'ada', role: 'agent' }, agent: expect.objectContaining({ id: 'ada', queues: ['billing'] }) } });
    expect((await sam('GET', '/me')).body).toEqual({ user: { username: 'sam', role: 'supervisor' } });
  });

  it('narrows an agent to its queues, its claims and itself', async () => {
    expect((await ada('GET', '/queues')).body.queues.map((q: { id: string }) => q.id)).toEqual(['billing']);
    // Transfer targets: every queue, though the agent serves one (their interactions stay narrowed).
    expect((await ada('GET', '/queues?for=transfer')).body.queues.map((q: { id: string }) => q.id)).toEqual(['billing', 'sales']);
    expect((await ada('GET', '/queues/billing/interactions')).status).toBe(200);
    expect(refusal(await ada('GET', '/queues/sales/interactions'))).toEqual(forbidden('auth.not-your-queue'));
    expect((await ada('GET', '/interactions/i-b1')).status).toBe(200);
    expect((await ada('GET', '/interactions/i-b2')).status).toBe(200);
    expect(refusal(await ada('GET', '/interactions/i-s1'))).toEqual(forbidden('auth.not-your-interaction'));
    expect((await ada('GET', '/interactions/i-none')).status).toBe(404);
    expect(refusal(await ada('POST', '/interactions/i-s1/release', {}))).toEqual(forbidden('auth.not-your-interaction'));
    expect(refusal(await ada('POST', '/interactions/i-s1/close', { agentId: 'ada' }))).toEqual(forbidden('auth.not-your-interaction'));
    expect(refusal(await ada('POST', '/interactions/i-s1/transfer', { queueId: 'billing' }))).toEqual(forbidden('auth.not-your-interaction'));
    // a waiting interaction of its own queue is no claim of its own: a supervisor moves it
    expect(refusal(await ada('POST', '/interactions/i-b2/transfer', { queueId: 'sales' }))).toEqual(forbidden('auth.not-your-interaction'));
    expect(refusal(await ada('GET', '/agents/bob/interactions'))).toEqual(forbidden('auth.role-required'));
    expect(refusal(await ada('GET', '/agents/%62ob/interactions'))).toEqual(forbidden('auth.role-required'));
    expect(refusal(await ada('GET', '/interactions/i-s%31'))).toEqual(forbidden('auth.not-your-interaction'));
    expect(refusal(await ada('POST', '/agents/bob/next'))).toEqual(forbidden('auth.role-required'));
    expect(refusal(await ada('GET', '/agents/bob'))).toEqual(forbidden('auth.role-required'));
    expect((await ada('GET', '/agents/ada')).body.agent.id).toBe('ada');
  });

  it('refuses an agent the stored mail and outbox of interactions it may not read, and the whole outbox', async () => {
    for (const path of ['/interactions/i-s1/content', '/interactions/i-s1/attachments', '/interactions/i-s1/attachments/0', '/interactions/i-s1/raw', '/outbox?interaction=i-s1']) {
      expect(refusal(await ada('GET', path)), path).toEqual(forbidden('auth.not-your-interaction'));
    }
    expect(refusal(await ada('POST', '/interactions/i-s1/reply', { text: 'hello' }))).toEqual(forbidden('auth.not-your-interaction'));
    expect(await ada('GET', '/outbox?interaction=i-b1')).toEqual({ status: 200, body: { outbox: [] } });
    expect(refusal(await ada('GET', '/outbox'))).toEqual(forbidden('auth.role-required'));
    expect(refusal(await ada('GET', '/outbox/o-1'))).toEqual(forbidden('auth.role-required'));
    expect((await sam('GET', '/outbox')).status).toBe(200);
  });

  it('refuses an agent naming another agent in the body, and takes the agent from the token when the body names none', async () => {
    expect(refusal(await ada('POST', '/interactions/i-b1/release', { agentId: 'bob' }))).toEqual(forbidden('auth.role-required'));
    const send = { agentId: 'bob', from: 'help@support.example.com', to: ['customer@example.org'], subject: 'Hello', text: 'Hi' };
    expect(refusal(await ada('POST', '/send', send))).toEqual(forbidden('auth.role-required'));
    expect((await ada('GET', '/interactions/i-b1')).body.interaction.state).toBe('claimed');
    const released = await ada('POST', '/interactions/i-b1/release', {});
    expect(released.status).toBe(200);
    expect(released.body.interaction).toMatchObject({ id: 'i-b1', state: 'waiting', queueId: 'billing' });
    expect((await ada('POST', '/agents/ada/next')).body.interaction.id).toBe('i-b1');
  });

  it('refuses an agent the supervisor routes and every configuration write; it reads addresses without their BCC', async () => {
    for (const [method, path] of [['GET', '/agents'], ['GET', '/quarantine'], ['GET', '/disposed'], ['GET', '/dead-letters'], ['GET', '/suppressions']] as const) {
      expect(refusal(await ada(method, path)), `${method} ${path}`).toEqual(forbidden('auth.role-required'));
    }
    for (const [method, path, body] of configWrites) expect(refusal(await ada(method, path, body)), `${method} ${path}`).toEqual(forbidden('auth.role-required'));
    const addresses = await ada('GET', '/addresses');
    expect(addresses.status).toBe(200);
    expect(addresses.body.addresses[0].address).toBe('help@support.example.com');
    expect(addresses.body.addresses[0]).not.toHaveProperty('bcc');
  });

  it('lets a supervisor see every queue, agent and interaction and release anyone\'s claim, but change no configuration', async () => {
    expect((await sam('GET', '/queues')).body.queues.map((q: { id: string }) => q.id)).toEqual(['billing', 'sales']);
    expect((await sam('GET', '/agents')).body.agents.map((a: { id: string }) => a.id)).toEqual(['ada', 'bob']);
    expect((await sam('GET', '/interactions/i-s1')).status).toBe(200);
    expect((await sam('GET', '/quarantine')).status).toBe(200);
    expect((await sam('GET', '/addresses')).body.addresses[0]).not.toHaveProperty('bcc');
    expect((await sam('POST', '/interactions/i-s1/release', { agentId: 'bob' })).body.interaction).toMatchObject({ state: 'waiting' });
    for (const [method, path, body] of configWrites) expect(refusal(await sam(method, path, body)), `${method} ${path}`).toEqual(forbidden('auth.role-required'));
  });

  it('lets an admin change configuration and read the BCC', async () => {
    expect((await root('POST', '/queues', { id: 'vip', name: 'VIP' })).status).toBe(201);
    expect((await root('DELETE', '/queues/vip')).status).toBe(204);
    expect((await root('GET', '/addresses')).body.addresses[0].bcc).toEqual(['audit@support.example.com']);
    expect((await root('GET', '/me')).body.user).toEqual({ username: 'root', role: 'admin' });
  });

  it('takes an IAM principal only from the Lambda event API Gateway verified, never from a header', async () => {
    const arn = 'arn:aws:iam::123456789012:user/cloud-engineer';
    const event = { event: { requestContext: { authorizer: { iam: { userArn: arn } } } } };
    const signed = await app.request('/me', {}, event);
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ user: { username: arn, role: 'admin' } });
    const headers = { 'x-amzn-iam-user-arn': arn, 'x-amz-security-token': 't', authorization: `AWS4-HMAC-SHA256 Credential=AKIA/20261127/eu-west-1/execute-api/aws4_request` };
    expect(refusal(await as({ headers })('GET', '/me'))).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect((await app.request('/me', { headers: { requestContext: JSON.stringify(event.event.requestContext) } })).status).toBe(401);
  });
});

/** Configuration writes only an admin makes (with bodies valid enough to reach the role check first). */
const configWrites: readonly (readonly [string, string, unknown?])[] = [
  ['POST', '/queues', { id: 'new', name: 'New' }],
  ['DELETE', '/queues/sales'],
  ['POST', '/agents', { id: 'eve', name: 'Eve', languages: ['en'], queues: ['sales'] }],
  ['DELETE', '/agents/bob'],
  ['PUT', '/templates/t1', { subject: 'Hi', body: 'Hello' }],
  ['POST', '/addresses', { address: 'new@support.example.com', fromName: 'New', routing: { kind: 'queue', queueId: 'sales' } }],
  ['DELETE', '/addresses/help@support.example.com'],
  ['PUT', '/flows/f1', { name: 'F', rules: [] }],
  ['DELETE', '/suppressions/a@b.example'],
];
