/**
 * Shared by the ACD benchmarks: DynamoDB Local with fresh tables, bulk loading of waiting
 * interactions with concurrent BatchWriteItem writers, and latency percentiles.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { interactionToItem } from '../../lambdas/adapters/dynamodb/item-codec.ts';
import { createTables, waiting, type Tables } from '../integration/dynamodb/fixtures.ts';
import { startDynamoDbLocal } from '../support/dynamodb-local.ts';
import type { RunningService } from '../../lambdas/local/services.ts';
import type { Agent } from '../../lambdas/core/agents/model.ts';

/** BatchWriteItem takes at most 25 items per call. */
const BATCH_ITEMS = 25;
/** Concurrent writers while loading: enough to keep DynamoDB Local busy on a small machine. */
const WRITERS = 8;
const T0 = Date.UTC(2026, 10, 23, 0, 0);

export interface BenchDb {
  readonly service: RunningService;
  readonly tables: Tables;
  stop(): Promise<void>;
}

export async function startBenchDb(prefix: string): Promise<BenchDb> {
  const service = await startDynamoDbLocal();
  const tables = await createTables(service.endpoint, prefix);
  return { service, tables, stop: async () => (tables.destroy(), await service.stop()) };
}

/** An agent of `queues` with no skill requirements to fail. */
export function benchAgent(id: string, queues: string[]): Agent {
  return { id, name: id, skills: [], languages: ['en'], queues, createdAt: new Date(T0).toISOString() };
}

/**
 * Writes `count` waiting interactions into `queueId`, one second apart with priorities 0-9, in
 * batches of 25 from {@link WRITERS} concurrent writers; unprocessed items are retried.
 */
export async function loadWaiting(tables: Tables, queueId: string, count: number, idPrefix: string): Promise<number> {
  const started = performance.now();
  let next = 0;
  const writer = async () => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + BATCH_ITEMS);
      let requests = Array.from({ length: next - from }, (_, k) => {
        const n = from + k;
        const item = interactionToItem(waiting(`${idPrefix}${n}`, { queueId, enqueuedAt: new Date(T0 + n * 1000), priority: n % 10 }));
        return { PutRequest: { Item: item } };
      });
      while (requests.length) {
        const out = await tables.doc.send(new BatchWriteCommand({ RequestItems: { [tables.interactions]: requests } }));
        requests = (out.UnprocessedItems?.[tables.interactions] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  return (performance.now() - started) / 1000;
}

/** The p-th percentile (0-100) of `samples` in the unit they are in. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/** Times `fn` `runs` times in sequence; milliseconds each. */
export async function timeEach(runs: number, fn: (n: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let n = 0; n < runs; n += 1) {
    const t = performance.now();
    await fn(n);
    out.push(performance.now() - t);
  }
  return out;
}
