/**
 * DynamoBatchPutWriter on dynalite: every put resolves only once its item is in the table, more
 * puts than one BatchWriteItem takes are split, a second put of one key in the same linger lands
 * after the first (last one wins), and a failed batch rejects its puts as classified errors.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoBatchPutWriter } from '../../../lambdas/adapters/dynamodb/batch-put-writer.ts';
import { DeploymentError } from '../../../lambdas/core/errors.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from './fixtures.ts';

let dynalite: Dynalite;
let tables: Tables;

beforeAll(async () => {
  dynalite = await startDynalite();
  tables = await createTables(dynalite.endpoint, 'batch-put');
});

afterAll(async () => {
  tables?.destroy();
  await dynalite?.stop();
});

const read = async (pk: string) => (await tables.doc.send(new GetCommand({ TableName: tables.interactions, Key: { pk }, ConsistentRead: true }))).Item;

describe('DynamoBatchPutWriter', () => {
  it('writes 60 puts (three batches) and each resolves with its item stored', async () => {
    // Prepare
    const writer = new DynamoBatchPutWriter(tables.doc, tables.interactions);

    // Act
    const stored = await Promise.all(Array.from({ length: 60 }, async (_, i) => (await writer.put({ pk: `BATCH#${i}`, n: i }), read(`BATCH#${i}`))));

    // Assess
    expect(stored.map((item) => item?.n)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('writes a second put of one key after the first, so the last one stays', async () => {
    // Prepare
    const writer = new DynamoBatchPutWriter(tables.doc, tables.interactions);

    // Act
    await Promise.all([writer.put({ pk: 'TWICE#1', state: 'skipped' }), writer.put({ pk: 'TWICE#1', state: 'fetched' })]);

    // Assess
    expect((await read('TWICE#1'))?.state).toBe('fetched');
  });

  it('rejects every put of a batch into a missing table as storage-misconfigured', async () => {
    // Prepare
    const writer = new DynamoBatchPutWriter(tables.doc, 'no-such-table');

    // Act
    const results = await Promise.allSettled([writer.put({ pk: 'A' }), writer.put({ pk: 'B' })]);

    // Assess
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DeploymentError);
    }
  });
});
