/**
 * The dead-letter routes over dynalite: newest first, paged with cursors, one dead letter with its
 * body, and redrive answered 503 `redrive-unavailable` by an API deployed without the inbound queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { DynamoDeadLetterStore } from '../../../lambdas/adapters/dynamodb/dead-letter-store.ts';
import type { DeadLetter } from '../../../lambdas/core/dead-letters.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { at } from '../../support/factories.ts';
import { dynamoApiApp } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';

let dynalite: Dynalite;
let tables: Tables;
let app: Hono;

const deadLetter = (n: number): DeadLetter => ({
  id: `dl-${n}`,
  state: 'dead',
  deadLetteredAt: at(n).toISOString(),
  sqsMessageId: `m-${n}`,
  receiveCount: 5,
  transportKey: `ses:m${n}`,
  reason: { code: 'storage-rejected', message: 'DynamoDB GetItem failed: ResourceNotFoundException' },
  body: `{"n":${n}}`,
  bodyBytes: 7,
});

beforeAll(async () => {
  dynalite = await startDynalite();
  tables = await createTables(dynalite.endpoint, 'dead-letters-api');
  const store = new DynamoDeadLetterStore(tables.doc, tables.interactions);
  for (const n of [1, 2, 3]) await store.create(deadLetter(n));
  app = dynamoApiApp(tables, { deadLetters: true });
});

afterAll(async () => {
  tables?.destroy();
  await dynalite?.stop();
});

const call = apiCaller(() => app);
const get = (path: string) => call('GET', path);

describe('dead-letter routes', () => {
  it('lists dead letters newest first, page by page, without their bodies', async () => {
    const first = await get('/dead-letters?limit=2');
    expect(first.body.deadLetters.map((d: DeadLetter) => d.id)).toEqual(['dl-3', 'dl-2']);
    expect(first.body.deadLetters[0].body).toBeUndefined();
    const second = await get(`/dead-letters?limit=2&cursor=${first.body.cursor}`);
    expect(second.body.deadLetters.map((d: DeadLetter) => d.id)).toEqual(['dl-1']);
    expect((await get('/dead-letters?state=redriven')).body).toEqual({ deadLetters: [] });
  });

  it('refuses a cursor of another list', async () => {
    const first = await get('/dead-letters?limit=1');
    const other = await get(`/dead-letters?state=redriven&cursor=${first.body.cursor}`);
    expect(other.status).toBe(400);
    expect(other.body.error.fields).toEqual({ cursor: 'is not a valid cursor for this list' });
  });

  it('shows one dead letter with its body, and 404 for an unknown one', async () => {
    expect((await get('/dead-letters/dl-2')).body.deadLetter).toEqual(deadLetter(2));
    const missing = await get('/dead-letters/dl-9');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not-found');
    expect(missing.body.error.reason).toBe('dead-letter.not-found');
  });

  it('answers redrives with 503 redrive-unavailable when deployed without the inbound queue', async () => {
    for (const path of ['/dead-letters/dl-1/redrive', '/dead-letters/redrive']) {
      const res = await app.request(path, { method: 'POST' });
      expect(res.status).toBe(503);
      expect(((await res.json()) as any).error).toEqual({
        code: 'redrive-unavailable',
        reason: 'dead-letter.redrive-unavailable',
        message: 'this API was deployed without the inbound queue; redrive is not available',
      });
    }
    expect((await get('/dead-letters/dl-1')).body.deadLetter.state).toBe('dead');
  });
});
