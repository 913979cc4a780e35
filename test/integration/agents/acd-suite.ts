/**
 * The ACD adapters (agents, queue admin, `next`, release, transfer, close), run unchanged against
 * DynamoDB Local and dynalite (decision 7: one code path for every DynamoDB).
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAgentStore } from '../../../lambdas/adapters/dynamodb/agent-store.ts';
import { DynamoInteractionClaims } from '../../../lambdas/adapters/dynamodb/interaction-claims.ts';
import { DynamoInteractionStore } from '../../../lambdas/adapters/dynamodb/interaction-store.ts';
import { DynamoQueueStore } from '../../../lambdas/adapters/dynamodb/queue-store.ts';
import { closeInteraction, releaseInteraction, transferInteraction } from '../../../lambdas/core/agents/actions.ts';
import type { AcdActionDeps } from '../../../lambdas/core/agents/ports.ts';
import { ConflictError, ValidationError } from '../../../lambdas/core/errors.ts';
import type { Interaction } from '../../../lambdas/core/interaction.ts';
import { ITEM_LIMITS } from '../../../lambdas/core/limits.ts';
import { orderKey } from '../../../lambdas/core/score.ts';
import type { RunningService } from '../../../lambdas/local/services.ts';
import { createTables, waiting, type Tables } from '../dynamodb/fixtures.ts';
import { agent, at } from '../../support/factories.ts';

/** A waiting interaction with required skills and language. */
export function needs(i: Interaction, skills: string[], language?: string): Interaction {
  return { ...i, skills, ...(language !== undefined && { language }) };
}

/**
 * A gate for `parties` claimers: each one's first UpdateItem (its claim) waits until every party
 * has reached its own, so the claims race for real instead of by luck of scheduling.
 */
function claimGate(parties: number): { client(doc: DynamoDBDocumentClient): DynamoDBDocumentClient } {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    client(doc) {
      let first = true;
      return new Proxy(doc, {
        get(target, prop, receiver) {
          if (prop !== 'send') return Reflect.get(target, prop, receiver);
          return async (command: unknown, ...rest: unknown[]) => {
            if (first && command instanceof UpdateCommand) {
              first = false;
              if (++arrived === parties) open();
              await opened;
            }
            return (target.send as (...args: unknown[]) => unknown).call(target, command, ...rest);
          };
        },
      });
    },
  };
}

export function describeAcd(emulator: string, start: () => Promise<RunningService>, prefix: string): void {
  describe(`ACD adapters on ${emulator}`, () => {
    let service: RunningService;
    let tables: Tables;
    let store: DynamoInteractionStore;
    let queues: DynamoQueueStore;
    let agents: DynamoAgentStore;
    let claims: DynamoInteractionClaims;
    let deps: AcdActionDeps;

    beforeAll(async () => {
      service = await start();
      tables = await createTables(service.endpoint, prefix);
      store = new DynamoInteractionStore(tables.doc, tables.interactions);
      queues = new DynamoQueueStore(tables.doc, tables.queues, tables.interactions);
      agents = new DynamoAgentStore(tables.doc, tables.config);
      claims = new DynamoInteractionClaims(tables.doc, tables.interactions);
      deps = { interactions: store, queues, claims };
    });
    afterAll(async () => {
      tables?.destroy();
      await service?.stop();
    });

    it('agents: create once, get, list sorted, remove', async () => {
      const anna = agent('anna', ['support'], { skills: ['billing'], languages: ['en', 'de'] });
      const outcomes = [await agents.create(anna), await agents.create({ ...anna, name: 'Other' }), await agents.create(agent('aaron', []))];
      const list = await agents.list();
      const removed = [await agents.remove('aaron'), await agents.remove('aaron')];
      expect(outcomes).toEqual(['created', 'exists', 'created']);
      expect(list.map((a) => a.id)).toEqual(['aaron', 'anna']);
      expect(await agents.get('anna')).toEqual(anna);
      expect(removed).toEqual([true, false]);
      expect(await agents.get('aaron')).toBeUndefined();
    });

    it('queues: create refuses a taken id; remove deletes a closing queue once', async () => {
      const queue = { id: 'tmp', name: 'Temporary', createdAt: at(0).toISOString() };
      const created = [await queues.create(queue), await queues.create({ ...queue, name: 'Again' })];
      await queues.markClosing('tmp', at(1));
      const removed = [await queues.remove('tmp'), await queues.remove('tmp')];
      expect(created).toEqual(['created', 'exists']);
      expect(removed).toEqual([true, false]);
      expect(await queues.get('tmp')).toBeUndefined();
    });

    it('next skips what the agent lacks skills or language for, and claims the best of the rest', async () => {
      await store.create(needs(waiting('i-sk-best', { queueId: 'q-skill', enqueuedAt: at(0), priority: 50 }), ['billing', 'vip']));
      await store.create(needs(waiting('i-sk-ja', { queueId: 'q-skill', enqueuedAt: at(0), priority: 40 }), [], 'ja'));
      await store.create(needs(waiting('i-sk-ok', { queueId: 'q-skill', enqueuedAt: at(0), priority: 30 }), ['Billing'], 'de'));
      await store.create(needs(waiting('i-sk-any', { queueId: 'q-skill', enqueuedAt: at(0), priority: 10 }), []));
      const bea = agent('bea', ['q-skill'], { skills: ['billing'], languages: ['en', 'de'] });

      const first = await claims.next(bea, at(10));
      const second = await claims.next(bea, at(11));
      const third = await claims.next(bea, at(12));

      expect([first?.id, second?.id, third]).toEqual(['i-sk-ok', 'i-sk-any', undefined]);
      expect(first).toMatchObject({ state: 'claimed', agentId: 'bea', claimedAt: at(10).toISOString() });
      expect(first?.trail.at(-1)).toEqual({ at: at(10).toISOString(), step: 'claimed', detail: 'claimed by agent bea from queue q-skill (skills billing; languages en, de)' });
      expect((await store.listWaiting('q-skill', 10)).items.map((e) => e.id)).toEqual(['i-sk-best', 'i-sk-ja']);
      expect((await claims.listClaimed('bea', 10)).items.map((i) => i.id)).toEqual(['i-sk-ok', 'i-sk-any']);
    });

    it('next follows score order across two queues: priority 20 waiting 4 min before priority 10 waiting 6 min', async () => {
      await store.create(waiting('i-two-low', { queueId: 'q-a', enqueuedAt: at(4), priority: 10 }));
      await store.create(waiting('i-two-high', { queueId: 'q-b', enqueuedAt: at(6), priority: 20 }));
      await store.create(waiting('i-two-mid', { queueId: 'q-a', enqueuedAt: at(1), priority: 12 }));
      const cleo = agent('cleo', ['q-a', 'q-b']);

      const ids = [];
      for (let n = 0; n < 4; n += 1) ids.push((await claims.next(cleo, at(10)))?.id);

      expect(ids).toEqual(['i-two-high', 'i-two-mid', 'i-two-low', undefined]);
    });

    it('next reads past a long ineligible head page by page', async () => {
      await Promise.all(
        Array.from({ length: 60 }, (_, n) => store.create(needs(waiting(`i-deep${n}`, { queueId: 'q-deep', enqueuedAt: at(0), priority: 100 - n }), ['french']))),
      );
      await store.create(waiting('i-deep-open', { queueId: 'q-deep', enqueuedAt: at(30), priority: 0 }));
      const dora = agent('dora', ['q-deep']);

      const got = await claims.next(dora, at(40));

      expect(got?.id).toBe('i-deep-open');
    });

    it('release puts it back with its original wait; close ends it; only the claiming agent may', async () => {
      await store.create(waiting('i-rel', { queueId: 'q-rel', enqueuedAt: at(2), priority: 5 }));
      await queues.ensure({ id: 'q-rel', name: 'Release', createdAt: at(0).toISOString() });
      const eve = agent('eve', ['q-rel']);
      const claimed = await claims.next(eve, at(10));

      const foreign = await releaseInteraction(deps, 'i-rel', 'mallory', at(11)).catch((e: unknown) => e);
      const released = await releaseInteraction(deps, 'i-rel', 'eve', at(12));
      const again = await releaseInteraction(deps, 'i-rel', 'eve', at(13)).catch((e: unknown) => e);

      expect(claimed?.id).toBe('i-rel');
      expect(foreign).toBeInstanceOf(ConflictError);
      expect((foreign as ConflictError).fields).toEqual({ agentId: 'must be the claiming agent (eve)' });
      expect(released).toMatchObject({ state: 'waiting', queueId: 'q-rel', enqueuedAt: at(2).toISOString(), priority: 5, orderKey: orderKey(at(2), 5) });
      expect(released.agentId).toBeUndefined();
      expect(again).toBeInstanceOf(ConflictError);
      expect((await store.listWaiting('q-rel', 5)).items).toEqual([expect.objectContaining({ id: 'i-rel', orderKey: orderKey(at(2), 5) })]);

      await claims.next(eve, at(14));
      const closed = await closeInteraction(deps, 'i-rel', 'eve', at(15));
      expect(closed).toMatchObject({ state: 'closed', closedAt: at(15).toISOString(), agentId: 'eve' });
      expect(closed.trail.map((t) => t.step)).toEqual(['received', 'queued', 'claimed', 'released', 'claimed', 'closed']);
      expect((await claims.listClaimed('eve', 10)).items).toEqual([]);
      expect(await queues.countWaiting('q-rel')).toBe(0);
      expect(await claims.next(eve, at(16))).toBeUndefined();
    });

    it('keeps a full trail bounded through claims and releases: the action goes through, the trail is cut, never refused', async () => {
      // Prepare: an interaction whose trail is already at ITEM_LIMITS.maxTrailEntries
      await queues.ensure({ id: 'q-full', name: 'Full', createdAt: at(0).toISOString() });
      const full = Array.from({ length: ITEM_LIMITS.maxTrailEntries }, (_, n) => ({ at: at(1).toISOString(), step: n === 0 ? 'received' : 'note', detail: `entry ${n}` }));
      await store.create({ ...waiting('i-full', { queueId: 'q-full', enqueuedAt: at(2), priority: 1 }), trail: full });
      const ivy = agent('ivy', ['q-full']);

      // Act: three claim/release rounds, each appending two entries to a full trail
      for (let round = 0; round < 3; round++) {
        expect((await claims.next(ivy, at(10 + round * 2)))?.id).toBe('i-full');
        await releaseInteraction(deps, 'i-full', 'ivy', at(11 + round * 2));
      }

      // Assess
      const stored = (await store.get('i-full'))!;
      expect(stored.state).toBe('waiting');
      expect(stored.trail.length).toBeLessThanOrEqual(ITEM_LIMITS.maxTrailEntries);
      expect(stored.trail[0]?.step).toBe('received');
      expect(stored.trail.some((e) => e.step === 'trail-cut')).toBe(true);
      expect(stored.trail.slice(-2).map((e) => e.step)).toEqual(['claimed', 'released']);
    });

    it('transfer moves a claimed interaction to another queue with a new priority, keeping its enqueue time', async () => {
      await queues.ensure({ id: 'q-from', name: 'From', createdAt: at(0).toISOString() });
      await queues.ensure({ id: 'q-to', name: 'To', createdAt: at(0).toISOString() });
      await store.create(waiting('i-tr', { queueId: 'q-from', enqueuedAt: at(3), priority: 1 }));
      await claims.next(agent('finn', ['q-from']), at(5));

      const missing = await transferInteraction(deps, 'i-tr', { queueId: 'q-nowhere', agentId: 'finn' }, at(6)).catch((e: unknown) => e);
      const moved = await transferInteraction(deps, 'i-tr', { queueId: 'q-to', priority: 30, agentId: 'finn' }, at(6));
      const byOther = await claims.next(agent('gil', ['q-to']), at(7));

      expect(missing).toBeInstanceOf(ValidationError);
      expect(moved).toMatchObject({ state: 'waiting', queueId: 'q-to', priority: 30, enqueuedAt: at(3).toISOString(), orderKey: orderKey(at(3), 30) });
      expect(moved.trail.at(-1)?.detail).toBe('transferred by agent finn from queue q-from to queue q-to with priority 30');
      expect(byOther?.id).toBe('i-tr');
      expect(await queues.countWaiting('q-from')).toBe(0);
    });

    it('a lost race moves on: two agents calling next at once never get the same interaction', async () => {
      // Prepare: both claimers read the same page, and neither claims before the other is about to,
      // so both try the best candidate (i-race-a) at once and exactly one of them must lose
      await Promise.all(['i-race-a', 'i-race-b'].map((id, n) => store.create(waiting(id, { queueId: 'q-race2', enqueuedAt: at(n), priority: 0 }))));
      const startTogether = claimGate(2);
      const [x, y] = [
        new DynamoInteractionClaims(startTogether.client(tables.doc), tables.interactions),
        new DynamoInteractionClaims(startTogether.client(tables.doc), tables.interactions),
      ];

      const got = await Promise.all([x.next(agent('hal', ['q-race2']), at(9)), y.next(agent('ida', ['q-race2']), at(9))]);

      expect(got.map((i) => i?.id).sort()).toEqual(['i-race-a', 'i-race-b']);
      expect(new Set(got.map((i) => i?.agentId))).toEqual(new Set(['hal', 'ida']));
      // the race was lost: one conditional claim failed, the other claimer won the best candidate
      expect([x.stats.conflicts, y.stats.conflicts].sort()).toEqual([0, 1]);
      const [winner, loser] = x.stats.conflicts === 0 ? [got[0], got[1]] : [got[1], got[0]];
      expect(winner?.id).toBe('i-race-a');
      // and the loser moved on: it claimed the next candidate of the page it had read, without a new query
      expect(loser?.id).toBe('i-race-b');
      expect((x.stats.conflicts === 1 ? x : y).stats).toMatchObject({ claims: 1, queries: 1 });
    });
  });
}
