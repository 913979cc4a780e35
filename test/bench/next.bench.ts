/**
 * `next` latency on DynamoDB Local with 10,000 and 100,000 interactions waiting in one queue
 * (BENCH_SMALL=1: 1,000 and 10,000), beside the floor of one DynamoDB round trip measured in the
 * same run: a GetItem by key on the same table. Target: p99 <= 15 ms. Printed, never asserted.
 *
 *   node --import tsx test/bench/next.bench.ts
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoInteractionClaims } from '../../lambdas/adapters/dynamodb/interaction-claims.ts';
import { interactionPk } from '../../lambdas/adapters/dynamodb/schema.ts';
import { benchAgent, loadWaiting, percentile, startBenchDb, timeEach } from './acd-load.ts';
import { printRows, type BenchRow } from './report.ts';

const SIZES = process.env.BENCH_SMALL === '1' ? [1_000, 10_000] : [10_000, 100_000];
// DynamoDB Local runs on the JVM: a few hundred calls before measuring, or the first size pays for the JIT.
const WARMUP = 300;
const SAMPLES = 500;
const TARGET_P99_MS = 15;

const db = await startBenchDb('bench-next');
const { tables } = db;
const rows: BenchRow[] = [];
try {
  for (const size of SIZES) {
    const queueId = `q-${size}`;
    const loadS = await loadWaiting(tables, queueId, size, `i-${size}-`);
    console.log(`loaded ${size} waiting interactions in ${loadS.toFixed(1)} s`);
    const claims = new DynamoInteractionClaims(tables.doc, tables.interactions);
    const agent = benchAgent('bench', [queueId]);
    const now = new Date();
    const getItem = (n: number) =>
      tables.doc.send(new GetCommand({ TableName: tables.interactions, Key: { pk: interactionPk(`i-${size}-${(n * 7919) % size}`) } }));

    await timeEach(WARMUP, getItem);
    await timeEach(WARMUP, () => claims.next(agent, now));
    const base = await timeEach(SAMPLES, getItem);
    const ours = await timeEach(SAMPLES, async () => {
      if (!(await claims.next(agent, now))) throw new Error('queue ran dry');
    });
    for (const p of [50, 99]) {
      const value = percentile(ours, p);
      rows.push({
        name: `next p${p}, ${size.toLocaleString('en')} waiting`,
        ours: value,
        baseline: percentile(base, p),
        unit: 'ms',
        note: `baseline: GetItem p${p}${p === 99 ? `; target p99 <= ${TARGET_P99_MS} ms: ${value <= TARGET_P99_MS ? 'met' : 'NOT met'}` : ''}`,
      });
    }
  }
  printRows('next latency on DynamoDB Local (one agent, claims the head each call)', rows);
} finally {
  await db.stop();
}
