/**
 * 4 agents draining 10,000 waiting interactions at once on DynamoDB Local (BENCH_SMALL=1: 2,000):
 * throughput and conflicts per successful claim of `next`, beside a naive ACD measured in the
 * same run ("every agent queries the head and claims it; on conflict, query again"), which lives
 * here only. Targets: >= 2x the naive throughput, <= 0.1 conflicts per claim. Printed, never
 * asserted.
 *
 *   node --import tsx test/bench/drain.bench.ts
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoInteractionClaims } from '../../lambdas/adapters/dynamodb/interaction-claims.ts';
import { BY_BUCKET_INDEX } from '../../contract/tables.ts';
import { queueBucket } from '../../lambdas/adapters/dynamodb/schema.ts';
import { claimTransition } from '../../lambdas/core/agents/transitions.ts';
import type { Interaction } from '../../lambdas/core/interaction.ts';
import type { Tables } from '../integration/dynamodb/fixtures.ts';
import { benchAgent, loadWaiting, startBenchDb } from './acd-load.ts';
import { printRows } from './report.ts';
import type { Agent } from '../../lambdas/core/agents/model.ts';

const COUNT = process.env.BENCH_SMALL === '1' ? 2_000 : 10_000;
const AGENTS = 4;
const WARM_UP = Math.min(1_000, COUNT / 4);

interface Drained {
  readonly seconds: number;
  readonly claims: number;
  readonly conflicts: number;
  readonly unique: number;
}

/** The naive ACD: read the head (one item), claim it; on a lost race, read the head again. */
class NaiveNext {
  conflicts = 0;
  private readonly writer: DynamoInteractionClaims;
  constructor(private readonly tables: Tables) {
    this.writer = new DynamoInteractionClaims(tables.doc, tables.interactions);
  }

  async next(agent: Agent, now: Date): Promise<Interaction | undefined> {
    const queueId = agent.queues[0]!;
    for (;;) {
      const out = await this.tables.doc.send(
        new QueryCommand({
          TableName: this.tables.interactions,
          IndexName: BY_BUCKET_INDEX.name,
          KeyConditionExpression: '#b = :b',
          ExpressionAttributeNames: { '#b': BY_BUCKET_INDEX.partitionKey },
          ExpressionAttributeValues: { ':b': queueBucket(queueId) },
          Limit: 1,
        }),
      );
      const head = out.Items?.[0];
      if (!head) return undefined;
      const claimed = await this.writer.apply(String(head.id), claimTransition(agent, queueId, now));
      if (claimed !== 'conflict') return claimed;
      this.conflicts += 1;
    }
  }
}

/** Runs AGENTS agents, each with its own `next` (its own "container"), until the queue is empty. */
async function drain(queueId: string, nextOf: (n: number) => { next(a: Agent, now: Date): Promise<Interaction | undefined> }, conflicts: () => number): Promise<Drained> {
  const ids: string[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: AGENTS }, async (_, n) => {
      const acd = nextOf(n);
      const agent = benchAgent(`agent-${n}`, [queueId]);
      for (;;) {
        const got = await acd.next(agent, new Date());
        if (!got) return;
        ids.push(got.id);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { seconds, claims: ids.length, conflicts: conflicts(), unique: new Set(ids).size };
}

const db = await startBenchDb('bench-drain');
const { tables } = db;
try {
  console.log(`loading 2 x ${COUNT} waiting interactions ...`);
  await loadWaiting(tables, 'q-ours', COUNT, 'i-ours-');
  await loadWaiting(tables, 'q-naive', COUNT, 'i-naive-');
  // Warm-up: DynamoDB Local's JIT and page cache favour whichever side runs second, so both sides
  // first drain a small queue of their own, unmeasured.
  await loadWaiting(tables, 'q-warm-ours', WARM_UP, 'i-warm-ours-');
  await loadWaiting(tables, 'q-warm-naive', WARM_UP, 'i-warm-naive-');
  const warmOurs = Array.from({ length: AGENTS }, () => new DynamoInteractionClaims(tables.doc, tables.interactions));
  await drain('q-warm-ours', (n) => warmOurs[n]!, () => 0);
  const warmNaive = Array.from({ length: AGENTS }, () => new NaiveNext(tables));
  await drain('q-warm-naive', (n) => warmNaive[n]!, () => 0);

  const ourClaims = Array.from({ length: AGENTS }, () => new DynamoInteractionClaims(tables.doc, tables.interactions));
  const ours = await drain('q-ours', (n) => ourClaims[n]!, () => ourClaims.reduce((s, c) => s + c.stats.conflicts, 0));
  const naives = Array.from({ length: AGENTS }, () => new NaiveNext(tables));
  const naive = await drain('q-naive', (n) => naives[n]!, () => naives.reduce((s, c) => s + c.conflicts, 0));

  for (const [name, r] of [['ours', ours], ['naive', naive]] as const) {
    console.log(`${name}: ${r.claims} claims (${r.unique} distinct) in ${r.seconds.toFixed(1)} s, ${r.conflicts} conflicts`);
  }
  const sum = (key: 'queries' | 'reusedPages') => ourClaims.reduce((s, c) => s + c.stats[key], 0);
  console.log(`ours: ${(sum('queries') / ours.claims).toFixed(2)} queries per claim, ${sum('reusedPages')} calls on a held page`);
  const perClaim = (r: Drained) => r.conflicts / Math.max(1, r.claims);
  printRows(`${AGENTS} agents draining ${COUNT.toLocaleString('en')} interactions on DynamoDB Local`, [
    { name: 'throughput', ours: ours.claims / ours.seconds, baseline: naive.claims / naive.seconds, unit: 'claims/s', target: { ratio: 2, higherIsBetter: true }, note: 'baseline: naive head-claim' },
    {
      name: 'conflicts per claim',
      ours: perClaim(ours),
      baseline: perClaim(naive),
      unit: '',
      note: `target <= 0.1: ${perClaim(ours) <= 0.1 ? 'met' : 'NOT met'}`,
    },
  ]);
} finally {
  await db.stop();
}
