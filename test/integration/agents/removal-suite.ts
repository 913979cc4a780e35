/**
 * Removing agents and queues without stranding mail (core agents/removal.ts), run unchanged against
 * DynamoDB Local and dynalite: an agent's claimed interactions go back with their original order
 * keys; a queue goes only through its `closing` mark, and never while anything uses it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAgentStore } from '../../../lambdas/adapters/dynamodb/agent-store.ts';
import { DynamoAddressRouteStore } from '../../../lambdas/adapters/dynamodb/config-store.ts';
import { DynamoInteractionClaims } from '../../../lambdas/adapters/dynamodb/interaction-claims.ts';
import { DynamoInteractionStore } from '../../../lambdas/adapters/dynamodb/interaction-store.ts';
import { DynamoQueueStore } from '../../../lambdas/adapters/dynamodb/queue-store.ts';
import { closeInteraction, releaseInteraction } from '../../../lambdas/core/agents/actions.ts';
import type { AgentRemovalDeps, QueueRemovalDeps } from '../../../lambdas/core/agents/ports.ts';
import { removeAgent, removeQueue } from '../../../lambdas/core/agents/removal.ts';
import { ConflictError, NotFoundError } from '../../../lambdas/core/errors.ts';
import { orderKey } from '../../../lambdas/core/score.ts';
import type { RunningService } from '../../../lambdas/local/services.ts';
import { createTables, waiting, type Tables } from '../dynamodb/fixtures.ts';
import { addressRoute, agent, at, queue } from '../../support/factories.ts';

/** An address route sending all its mail to `queueId`. */
const routeTo = (address: string, queueId: string) => addressRoute(address, { routing: { kind: 'queue', queueId, skills: [], priority: 0 } });

export function describeRemoval(emulator: string, start: () => Promise<RunningService>, prefix: string): void {
  describe(`agent and queue removal on ${emulator}`, () => {
    let service: RunningService;
    let tables: Tables;
    let store: DynamoInteractionStore;
    let queues: DynamoQueueStore;
    let agents: DynamoAgentStore;
    let addresses: DynamoAddressRouteStore;
    let claims: DynamoInteractionClaims;
    let agentDeps: AgentRemovalDeps;
    let queueDeps: QueueRemovalDeps;

    beforeAll(async () => {
      service = await start();
      tables = await createTables(service.endpoint, prefix);
      store = new DynamoInteractionStore(tables.doc, tables.interactions);
      queues = new DynamoQueueStore(tables.doc, tables.queues, tables.interactions);
      agents = new DynamoAgentStore(tables.doc, tables.config);
      addresses = new DynamoAddressRouteStore(tables.doc, tables.config);
      claims = new DynamoInteractionClaims(tables.doc, tables.interactions);
      agentDeps = { agents, queues, claims };
      // emulators update the index synchronously: nothing to settle
      queueDeps = { queueAdmin: queues, queues, agents, addresses, settle: async () => {} };
    });
    afterAll(async () => {
      tables?.destroy();
      await service?.stop();
    });

    it('removing an agent releases what it holds with the original order keys, skips what it closed, then deletes it', async () => {
      // Prepare
      await Promise.all(['q-ra', 'q-rb'].map((id) => queues.create(queue(id))));
      await store.create(waiting('i-ra1', { queueId: 'q-ra', enqueuedAt: at(1), priority: 5 }));
      await store.create(waiting('i-ra2', { queueId: 'q-rb', enqueuedAt: at(3), priority: 40 }));
      await store.create(waiting('i-ra3', { queueId: 'q-ra', enqueuedAt: at(2), priority: 0 }));
      const rex = agent('rex', ['q-ra', 'q-rb']);
      await agents.create(rex);
      for (let n = 0; n < 3; n += 1) await claims.next(rex, at(10));
      await closeInteraction({ interactions: store, queues, claims }, 'i-ra3', 'rex', at(11));

      // Act
      const removal = await removeAgent(agentDeps, 'rex', at(12));
      const again = await removeAgent(agentDeps, 'rex', at(13)).catch((e: unknown) => e);

      // Assess
      expect(removal).toEqual({ released: 2 });
      expect(again).toBeInstanceOf(NotFoundError);
      expect(await agents.get('rex')).toBeUndefined();
      expect((await claims.listClaimed('rex', 10)).items).toEqual([]);
      expect((await store.listWaiting('q-ra', 10)).items).toEqual([expect.objectContaining({ id: 'i-ra1', orderKey: orderKey(at(1), 5) })]);
      expect((await store.listWaiting('q-rb', 10)).items).toEqual([expect.objectContaining({ id: 'i-ra2', orderKey: orderKey(at(3), 40) })]);
      const released = await store.get('i-ra1');
      expect(released).toMatchObject({ state: 'waiting', queueId: 'q-ra', enqueuedAt: at(1).toISOString(), orderKey: orderKey(at(1), 5) });
      expect(released?.agentId).toBeUndefined();
      expect(released?.trail.at(-1)).toEqual({ at: at(12).toISOString(), step: 'released', detail: 'agent rex was removed; back to queue q-ra' });
      expect(await store.get('i-ra3')).toMatchObject({ state: 'closed' });
    });

    it('a close racing the removal wins cleanly: each interaction ends either closed or waiting, once', async () => {
      await queues.create(queue('q-rc'));
      await store.create(waiting('i-rc', { queueId: 'q-rc', enqueuedAt: at(4), priority: 1 }));
      const sam = agent('sam', ['q-rc']);
      await agents.create(sam);
      await claims.next(sam, at(10));

      const [removal, close] = await Promise.allSettled([
        removeAgent(agentDeps, 'sam', at(12)),
        closeInteraction({ interactions: store, queues, claims }, 'i-rc', 'sam', at(12)),
      ]);

      const stored = await store.get('i-rc');
      const steps = stored?.trail.map((t) => t.step) ?? [];
      expect(removal).toMatchObject({ status: 'fulfilled' });
      expect(await agents.get('sam')).toBeUndefined();
      if (close.status === 'fulfilled') {
        expect(stored?.state).toBe('closed');
        expect(removal).toEqual({ status: 'fulfilled', value: { released: 0 } });
        expect(steps.filter((s) => s === 'released')).toEqual([]);
      } else {
        expect(close.reason).toBeInstanceOf(ConflictError);
        expect(stored).toMatchObject({ state: 'waiting', queueId: 'q-rc', orderKey: orderKey(at(4), 1) });
        expect(removal).toEqual({ status: 'fulfilled', value: { released: 1 } });
      }
      expect(steps.filter((s) => s === 'released' || s === 'closed')).toHaveLength(1);
    });

    it('queue removal is refused while an agent or an address route uses it, and while mail waits; the mark is taken back', async () => {
      // Prepare
      await queues.create(queue('q-used'));
      await agents.create(agent('uma', ['q-used']));
      await addresses.create(routeTo('help@support.example.com', 'q-used'));

      // Act and assess: each refusal names what uses the queue
      const byBoth = (await removeQueue(queueDeps, 'q-used', at(20)).catch((e: unknown) => e)) as ConflictError;
      expect(byBoth).toBeInstanceOf(ConflictError);
      expect(byBoth.fields).toEqual({
        id: 'is in use: agent(s) uma take work from it; address route(s) help@support.example.com send mail to it; change or remove them first',
      });
      expect(await queues.get('q-used')).toMatchObject({ id: 'q-used' });

      await agents.remove('uma');
      const byAddress = (await removeQueue(queueDeps, 'q-used', at(21)).catch((e: unknown) => e)) as ConflictError;
      expect(byAddress.fields).toEqual({ id: 'is in use: address route(s) help@support.example.com send mail to it; change or remove them first' });

      await addresses.delete('help@support.example.com');
      await store.create(waiting('i-wait', { queueId: 'q-used', enqueuedAt: at(5), priority: 0 }));
      const byMail = (await removeQueue(queueDeps, 'q-used', at(22)).catch((e: unknown) => e)) as ConflictError;
      expect(byMail.fields).toEqual({ id: 'has 1 waiting interaction(s); transfer or close them first' });
      expect(await queues.get('q-used')).toMatchObject({ id: 'q-used' });
      expect((await queues.list()).map((q) => q.id)).toContain('q-used');
    });

    it('a closing queue reads as missing and cannot be released into; only a closing queue can be deleted', async () => {
      await queues.create(queue('q-close'));
      await store.create(waiting('i-cl', { queueId: 'q-close', enqueuedAt: at(6), priority: 0 }));
      const tia = agent('tia', ['q-close']);
      await claims.next(tia, at(10));

      const unmarkedDelete = await queues.remove('q-close');
      const marked = await queues.markClosing('q-close', at(11));
      const seen = { get: await queues.get('q-close'), listed: (await queues.list()).some((q) => q.id === 'q-close') };
      const release = await releaseInteraction({ interactions: store, queues, claims }, 'i-cl', 'tia', at(12)).catch((e: unknown) => e);
      const unmarked = await queues.unmarkClosing('q-close');

      expect(unmarkedDelete).toBe(false);
      expect(marked).toBe(true);
      expect(seen).toEqual({ get: undefined, listed: false });
      expect(release).toBeInstanceOf(ConflictError);
      expect(await store.get('i-cl')).toMatchObject({ state: 'claimed', agentId: 'tia' });
      expect(unmarked).toBe(true);
      expect(await queues.get('q-close')).toMatchObject({ id: 'q-close' });
    });

    it('an unused, empty queue is removed once; a missing one is 404', async () => {
      await queues.create(queue('q-empty'));

      await removeQueue(queueDeps, 'q-empty', at(30));
      const again = await removeQueue(queueDeps, 'q-empty', at(31)).catch((e: unknown) => e);

      expect(await queues.get('q-empty')).toBeUndefined();
      expect(again).toBeInstanceOf(NotFoundError);
      expect(await queues.markClosing('q-empty', at(32))).toBe(false);
    });
  });
}
