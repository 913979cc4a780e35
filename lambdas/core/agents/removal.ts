/**
 * Removing agents and queues without stranding mail. Every step is one single-item conditional
 * write (decision 7): an agent's interactions go back to their queues one release at a time, and a
 * queue is deleted only through a `closing` mark that routing, release and transfer respect.
 */
import { ConflictError, NotFoundError } from '../errors.ts';
import { ERROR_REASONS } from '../error-reasons.ts';
import type { Interaction } from '../interaction.ts';
import { ACD_LIMITS } from './limits.ts';
import type { AgentRemovalDeps, QueueRemovalDeps } from './ports.ts';
import { agentRemovedTransition } from './transitions.ts';

/** What removing an agent did. */
export interface AgentRemoval {
  /** Interactions the agent held that went back to their queues. */
  readonly released: number;
}

/**
 * Releases every interaction `agentId` holds back to its queue (original order key kept, trail
 * "released: agent X was removed"), then deletes the agent, then sweeps once more for a claim by a
 * `next` that read the agent just before the delete. A release that finds the interaction no
 * longer held (the agent closed or transferred it meanwhile) is skipped: that writer won.
 * @throws NotFoundError when no such agent is registered
 * @throws ConflictError (field `id`) when the agent holds interactions whose queue no longer
 *   exists; those stay claimed and the agent stays registered until they are transferred
 */
export async function removeAgent(deps: AgentRemovalDeps, agentId: string, now: Date): Promise<AgentRemoval> {
  if (!(await deps.agents.get(agentId))) throw new NotFoundError(ERROR_REASONS.agentNotFound, 'agent', agentId);
  const before = await releaseAll(deps, agentId, now);
  if (before.orphans.length) throw orphansConflict(agentId, before.orphans);
  if (!(await deps.agents.remove(agentId))) throw new NotFoundError(ERROR_REASONS.agentNotFound, 'agent', agentId);
  const after = await releaseAll(deps, agentId, now);
  return { released: before.released + after.released };
}

/**
 * Removes an empty queue nobody points at. Marks it closing first (from then on routing, release
 * and transfer treat it as missing), waits for the index to settle, then refuses (409, field `id`)
 * while an agent takes work from it, an address route targets it or mail waits in it, taking the
 * mark back; otherwise deletes it.
 * @throws NotFoundError when there is no such queue
 */
export async function removeQueue(deps: QueueRemovalDeps, queueId: string, now: Date): Promise<void> {
  if (!(await deps.queueAdmin.markClosing(queueId, now))) throw new NotFoundError(ERROR_REASONS.queueNotFound, 'queue', queueId);
  try {
    await deps.settle();
    await refuseWhileReferenced(deps, queueId);
    const waiting = await deps.queues.countWaiting(queueId);
    if (waiting > 0) {
      throw new ConflictError(ERROR_REASONS.queueNotEmpty, `queue ${queueId} still has ${waiting} waiting interaction(s)`, {
        id: `has ${waiting} waiting interaction(s); transfer or close them first`,
      });
    }
  } catch (err) {
    // A refused (or failed) removal leaves the queue as it was; a failing un-mark surfaces instead.
    await deps.queueAdmin.unmarkClosing(queueId);
    throw err;
  }
  if (!(await deps.queueAdmin.remove(queueId))) throw new NotFoundError(ERROR_REASONS.queueNotFound, 'queue', queueId);
}

async function refuseWhileReferenced(deps: QueueRemovalDeps, queueId: string): Promise<void> {
  const [agents, routes] = await Promise.all([deps.agents.list(), deps.addresses?.list() ?? []]);
  const users = agents.filter((a) => a.queues.includes(queueId)).map((a) => a.id);
  const addresses = routes.filter((r) => r.routing.kind === 'queue' && r.routing.queueId === queueId).map((r) => r.address);
  if (users.length === 0 && addresses.length === 0) return;
  const uses = [
    ...(users.length ? [`agent(s) ${users.join(', ')} take work from it`] : []),
    ...(addresses.length ? [`address route(s) ${addresses.join(', ')} send mail to it`] : []),
  ];
  throw new ConflictError(ERROR_REASONS.queueInUse, `queue ${queueId} is in use: ${uses.join('; ')}`, {
    id: `is in use: ${uses.join('; ')}; change or remove them first`,
  });
}

/** One pass over the agent's claimed interactions, page by page, each released with one conditional write. */
async function releaseAll(deps: AgentRemovalDeps, agentId: string, now: Date): Promise<{ released: number; orphans: string[] }> {
  let released = 0;
  const orphans: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.claims.listClaimed(agentId, ACD_LIMITS.removalPageSize, cursor);
    for (const i of page.items) {
      const outcome = await releaseOne(deps, i, agentId, now);
      if (outcome === 'released') released += 1;
      if (outcome === 'orphan') orphans.push(i.id);
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  return { released, orphans };
}

async function releaseOne(deps: AgentRemovalDeps, i: Interaction, agentId: string, now: Date): Promise<'released' | 'skipped' | 'orphan'> {
  // The index page may lag behind: the conditional write below is what decides.
  if (i.state !== 'claimed' || i.agentId !== agentId) return 'skipped';
  if (i.queueId === undefined || !(await deps.queues.get(i.queueId))) return 'orphan';
  const result = await deps.claims.apply(i.id, agentRemovedTransition(i, agentId, now));
  return result === 'conflict' ? 'skipped' : 'released';
}

function orphansConflict(agentId: string, ids: readonly string[]): ConflictError {
  const list = ids.join(', ');
  return new ConflictError(ERROR_REASONS.agentHoldsOrphans, `agent ${agentId} holds interaction(s) whose queue no longer exists: ${list}`, {
    id: `holds ${ids.length} interaction(s) whose queue no longer exists (${list}); transfer them first`,
  });
}
