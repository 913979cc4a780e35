/**
 * Concurrent `next` on DynamoDB Local (Amazon's own emulator): 8 agents, each its own claims
 * instance as if in its own Lambda container, drain 50 waiting interactions at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInteractionClaims } from '../../../lambdas/adapters/dynamodb/interaction-claims.ts';
import { DynamoInteractionStore } from '../../../lambdas/adapters/dynamodb/interaction-store.ts';
import type { RunningService } from '../../../lambdas/local/services.ts';
import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import { createTables, waiting, type Tables } from '../dynamodb/fixtures.ts';
import { agent, at } from '../../support/factories.ts';

const AGENTS = 8;
const INTERACTIONS = 50;

describe('concurrent next on DynamoDB Local', () => {
  let service: RunningService;
  let tables: Tables;

  beforeAll(async () => {
    service = await startDynamoDbLocal();
    tables = await createTables(service.endpoint, 'ddblocal-concurrency');
  });
  afterAll(async () => {
    tables?.destroy();
    await service?.stop();
  });

  it('8 agents on 50 waiting interactions: each claimed exactly once, by one agent', async () => {
    // Prepare
    const store = new DynamoInteractionStore(tables.doc, tables.interactions);
    const ids = Array.from({ length: INTERACTIONS }, (_, n) => `i-c${String(n).padStart(2, '0')}`);
    await Promise.all(ids.map((id, n) => store.create(waiting(id, { queueId: 'q-busy', enqueuedAt: at(n % 30), priority: n % 7 }))));
    const claimers = Array.from({ length: AGENTS }, () => new DynamoInteractionClaims(tables.doc, tables.interactions));

    // Act: every agent asks again until nothing is left
    const got = await Promise.all(
      claimers.map(async (claims, n) => {
        const mine: string[] = [];
        for (;;) {
          const next = await claims.next(agent(`agent-${n}`, ['q-busy']), at(40));
          if (!next) return mine;
          mine.push(next.id);
        }
      }),
    );

    // Assess
    const all = got.flat();
    expect(all.sort()).toEqual(ids);
    expect(new Set(all).size).toBe(INTERACTIONS);
    const stored = await Promise.all(ids.map((id) => store.get(id)));
    for (const [n, mine] of got.entries()) {
      for (const id of mine) expect(stored.find((i) => i?.id === id)).toMatchObject({ state: 'claimed', agentId: `agent-${n}` });
    }
    expect(stored.every((i) => i?.trail.filter((t) => t.step === 'claimed').length === 1)).toBe(true);
  });
});
