/**
 * Release, transfer and close: read the interaction, plan the change (transitions.ts), write it
 * with one conditional update. When another writer changed the interaction in between, the
 * read-plan-write is repeated a few times, so the answer reflects the state that really holds.
 */
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { ERROR_REASONS } from '../error-reasons.ts';
import type { Interaction } from '../interaction.ts';
import { ACD_LIMITS } from './limits.ts';
import type { AcdActionDeps } from './ports.ts';
import { closeTransition, releaseByTransition, transferTransition, type Transition } from './transitions.ts';

/**
 * Puts a claimed interaction back into its queue; its wait time is kept. `by`: who asked, when not
 * the agent itself (a supervisor's force-release); @default the agent.
 */
export async function releaseInteraction(deps: AcdActionDeps, id: string, agentId: string, now: Date, by?: string): Promise<Interaction> {
  return applyPlanned(deps, id, async (i) => {
    const t = releaseByTransition(i, agentId, now, by);
    if (t.to.state === 'waiting' && !(await deps.queues.get(t.to.queueId))) {
      const message = `queue ${t.to.queueId} no longer exists; transfer the interaction instead`;
      throw new ConflictError(ERROR_REASONS.queueRemoved, message, { queueId: message });
    }
    return t;
  });
}

/** Moves a waiting or claimed interaction to `target.queueId` (which must exist). */
export async function transferInteraction(
  deps: AcdActionDeps,
  id: string,
  target: { readonly queueId: string; readonly priority?: number; readonly agentId?: string },
  now: Date,
): Promise<Interaction> {
  if (!(await deps.queues.get(target.queueId))) {
    throw new ValidationError({ queueId: `must be an existing queue (${target.queueId} does not exist)` }, {}, { queueId: ERROR_REASONS.queueNotFound });
  }
  return applyPlanned(deps, id, async (i) => transferTransition(i, target, now));
}

/** Closes an interaction its agent has finished. */
export async function closeInteraction(deps: AcdActionDeps, id: string, agentId: string, now: Date): Promise<Interaction> {
  return applyPlanned(deps, id, async (i) => closeTransition(i, agentId, now));
}

/** Reads, plans and writes `id` with one conditional update, again while another writer wins in between. */
export async function applyPlanned(deps: AcdActionDeps, id: string, plan: (i: Interaction) => Promise<Transition>): Promise<Interaction> {
  for (let attempt = 1; attempt <= ACD_LIMITS.maxActionAttempts; attempt += 1) {
    const current = await deps.interactions.get(id);
    if (!current) throw new NotFoundError(ERROR_REASONS.interactionNotFound, 'interaction', id);
    const result = await deps.claims.apply(id, await plan(current));
    if (result !== 'conflict') return result;
  }
  throw new ConflictError(ERROR_REASONS.interactionBusy, `interaction ${id} keeps changing; try again`, { id: 'was changed by someone else meanwhile' });
}
