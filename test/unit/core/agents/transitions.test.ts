import { describe, expect, it } from 'vitest';
import { agentRemovedTransition, claimTransition, closeTransition, releaseTransition, transferTransition } from '../../../../lambdas/core/agents/transitions.ts';
import { ConflictError } from '../../../../lambdas/core/errors.ts';
import type { Interaction } from '../../../../lambdas/core/interaction.ts';
import { orderKey } from '../../../../lambdas/core/score.ts';
import { at } from '../../../support/factories.ts';

const base = {
  id: 'i-1',
  channel: 'email',
  createdAt: at(0).toISOString(),
  queueId: 'support',
  priority: 5,
  skills: ['billing'],
  enqueuedAt: at(2).toISOString(),
  trail: [],
} as unknown as Interaction;
const waitingOne = { ...base, state: 'waiting' } as Interaction;
const claimedOne = { ...base, state: 'claimed', agentId: 'anna', claimedAt: at(5).toISOString() } as Interaction;
const anna = { id: 'anna', name: 'Anna', skills: ['billing'], languages: ['en', 'de'], queues: ['support'], createdAt: at(0).toISOString() };

describe('agent transitions', () => {
  it('claim: from waiting in the queue to claimed by the agent, with a trail naming the skills', () => {
    const t = claimTransition(anna, 'support', at(6));
    expect(t.from).toEqual({ state: 'waiting', queueId: 'support' });
    expect(t.to).toEqual({ state: 'claimed', agentId: 'anna', claimedAt: at(6).toISOString() });
    expect(t.trail.detail).toBe('claimed by agent anna from queue support (skills billing; languages en, de)');
  });

  it('release: back to the queue with the order key of the ORIGINAL enqueue time', () => {
    const t = releaseTransition(claimedOne, 'anna', at(30));
    expect(t.to).toEqual({ state: 'waiting', queueId: 'support', priority: 5, orderKey: orderKey(at(2), 5), keepStoredKey: true });
  });

  it('agent removed: the same release (original order key), with a trail saying why', () => {
    const t = agentRemovedTransition(claimedOne, 'anna', at(30));
    expect(t.from).toEqual({ state: 'claimed', agentId: 'anna' });
    expect(t.to).toEqual(releaseTransition(claimedOne, 'anna', at(30)).to);
    expect(t.trail).toEqual({ at: at(30).toISOString(), step: 'released', detail: 'agent anna was removed; back to queue support' });
  });

  it('release and close: refused with field messages unless claimed by this agent', () => {
    const fields = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(ConflictError);
        return (err as ConflictError).fields;
      }
      throw new Error('not refused');
    };
    expect(fields(() => releaseTransition(waitingOne, 'anna', at(9)))).toEqual({ state: 'is waiting; only a claimed interaction can be released' });
    expect(fields(() => closeTransition(claimedOne, 'bob', at(9)))).toEqual({ agentId: 'must be the claiming agent (anna)' });
    expect(closeTransition(claimedOne, 'anna', at(9)).to).toEqual({ state: 'closed', closedAt: at(9).toISOString() });
  });

  it('transfer: a new queue and priority, the order key recomputed from the original enqueue time', () => {
    const t = transferTransition(claimedOne, { queueId: 'billing', priority: 40, agentId: 'anna' }, at(20));
    const supervisor = transferTransition(waitingOne, { queueId: 'billing' }, at(20));
    expect(t.from).toEqual({ state: 'claimed', agentId: 'anna' });
    expect(t.to).toEqual({ state: 'waiting', queueId: 'billing', priority: 40, orderKey: orderKey(at(2), 40) });
    expect(supervisor.from).toEqual({ state: 'waiting', queueId: 'support' });
    expect(supervisor.to).toMatchObject({ priority: 5, orderKey: orderKey(at(2), 5) });
    expect(() => transferTransition(claimedOne, { queueId: 'billing' }, at(20))).toThrow(ConflictError);
  });
});
