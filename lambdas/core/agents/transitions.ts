/**
 * The state changes an agent makes to an interaction (claim, release, transfer, close), planned
 * as pure values: what the write must still find (`from`), where the interaction goes (`to`), and
 * the trail entry that explains it. The adapter turns a plan into ONE conditional update
 * (decision 7); a plan is refused here, with a field-level {@link ConflictError}, when the
 * interaction's state does not allow it.
 */
import { ConflictError } from '../errors.ts';
import { ERROR_REASONS } from '../error-reasons.ts';
import type { Interaction, TrailEntry } from '../interaction.ts';
import { orderKey } from '../score.ts';
import type { Agent } from './model.ts';

/** Where an interaction is held: waiting in a queue, claimed by an agent, or in the quarantine (re-route). */
export type Holder =
  | { readonly state: 'waiting'; readonly queueId: string }
  | { readonly state: 'claimed'; readonly agentId: string }
  | { readonly state: 'quarantined' };

/** Where an interaction goes. A waiting one carries its (kept or recomputed) order key. */
export type Placement =
  | {
      readonly state: 'waiting';
      readonly queueId: string;
      readonly priority: number;
      readonly orderKey: number;
      /** Keep the stored order key when there is one (release); `orderKey` is the fallback. */
      readonly keepStoredKey?: boolean;
      /** Set when the interaction enters a queue for the first time (a re-routed quarantined one). */
      readonly enqueuedAt?: string;
      /** The routing requirements, set with `enqueuedAt`; left as stored otherwise. */
      readonly skills?: readonly string[];
      readonly language?: string;
    }
  | { readonly state: 'claimed'; readonly agentId: string; readonly claimedAt: string }
  | { readonly state: 'closed'; readonly closedAt: string };

export interface Transition {
  readonly from: Holder;
  readonly to: Placement;
  readonly trail: TrailEntry;
}

/** The claim of a waiting interaction of `queueId` by `agent` (what `next` writes). */
export function claimTransition(agent: Agent, queueId: string, now: Date): Transition {
  const at = now.toISOString();
  const skills = agent.skills.length ? agent.skills.join(', ') : 'none';
  const languages = agent.languages.length ? agent.languages.join(', ') : 'none';
  return {
    from: { state: 'waiting', queueId },
    to: { state: 'claimed', agentId: agent.id, claimedAt: at },
    trail: { at, step: 'claimed', detail: `claimed by agent ${agent.id} from queue ${queueId} (skills ${skills}; languages ${languages})` },
  };
}

/**
 * Back to its queue with its ORIGINAL order key: the customer's wait is not reset by an agent
 * who could not finish. Only the claiming agent may release.
 */
export function releaseTransition(i: Interaction, agentId: string, now: Date): Transition {
  const from = claimedBy(i, agentId, 'release');
  const queueId = requireQueue(i);
  return {
    from,
    to: { state: 'waiting', queueId, priority: i.priority, orderKey: keyOf(i, i.priority), keepStoredKey: true },
    trail: { at: now.toISOString(), step: 'released', detail: `released by agent ${agentId} back to queue ${queueId}` },
  };
}

/**
 * A release of `agentId`'s claim. When someone else releases it (`by` is another id: a supervisor
 * force-releasing an absent agent's work), the trail says so; the change itself is the agent's own
 * release (original order key kept).
 */
export function releaseByTransition(i: Interaction, agentId: string, now: Date, by?: string): Transition {
  const t = releaseTransition(i, agentId, now);
  if (by === undefined || by === agentId || t.to.state !== 'waiting') return t;
  return { ...t, trail: { ...t.trail, detail: `released by supervisor ${by} from agent ${agentId} back to queue ${t.to.queueId}` } };
}

/**
 * A release because the agent is being removed: the same change as {@link releaseTransition}
 * (original order key kept), with a trail entry that says why no agent asked for it.
 */
export function agentRemovedTransition(i: Interaction, agentId: string, now: Date): Transition {
  const t = releaseTransition(i, agentId, now);
  const queueId = t.to.state === 'waiting' ? t.to.queueId : '';
  return { ...t, trail: { ...t.trail, detail: `agent ${agentId} was removed; back to queue ${queueId}` } };
}

/**
 * To another queue, optionally with a new priority; the order key is recomputed from the
 * original enqueue time, so the wait already done still counts. A waiting interaction may be
 * moved by anyone (a supervisor); a claimed one only by its agent (`agentId`).
 */
export function transferTransition(
  i: Interaction,
  target: { readonly queueId: string; readonly priority?: number; readonly agentId?: string },
  now: Date,
): Transition {
  const from: Holder =
    i.state === 'waiting' && i.queueId !== undefined
      ? { state: 'waiting', queueId: i.queueId }
      : claimedBy(i, target.agentId, 'transfer');
  const priority = target.priority ?? i.priority;
  const by = target.agentId !== undefined ? ` by agent ${target.agentId}` : '';
  const origin = i.queueId !== undefined ? ` from queue ${i.queueId}` : '';
  return {
    from,
    to: { state: 'waiting', queueId: target.queueId, priority, orderKey: keyOf(i, priority) },
    trail: { at: now.toISOString(), step: 'transferred', detail: `transferred${by}${origin} to queue ${target.queueId} with priority ${priority}` },
  };
}

/** Done: out of every queue and agent list. Only the claiming agent may close. */
export function closeTransition(i: Interaction, agentId: string, now: Date): Transition {
  const from = claimedBy(i, agentId, 'close');
  const at = now.toISOString();
  return { from, to: { state: 'closed', closedAt: at }, trail: { at, step: 'closed', detail: `closed by agent ${agentId}` } };
}

function claimedBy(i: Interaction, agentId: string | undefined, action: string): Holder {
  if (i.state !== 'claimed' || i.agentId === undefined) {
    throw new ConflictError(ERROR_REASONS.interactionNotClaimed, `cannot ${action} interaction ${i.id}: it is ${i.state}, not claimed`, {
      state: `is ${i.state}; only a claimed interaction can be ${pastTense(action)}`,
    });
  }
  if (agentId === undefined) {
    throw new ConflictError(ERROR_REASONS.interactionAgentRequired, `cannot ${action} interaction ${i.id}: it is claimed by agent ${i.agentId}`, {
      agentId: `is required: the interaction is claimed by agent ${i.agentId}`,
    });
  }
  if (i.agentId !== agentId) {
    throw new ConflictError(ERROR_REASONS.interactionClaimedByOther, `cannot ${action} interaction ${i.id}: it is claimed by agent ${i.agentId}, not ${agentId}`, {
      agentId: `must be the claiming agent (${i.agentId})`,
    });
  }
  return { state: 'claimed', agentId };
}

function requireQueue(i: Interaction): string {
  if (i.queueId === undefined) {
    throw new ConflictError(ERROR_REASONS.interactionNoQueue, `interaction ${i.id} has no queue to go back to`, {
      queueId: 'is not set; transfer it to a queue instead',
    });
  }
  return i.queueId;
}

/** The order key from the original enqueue time (decision 6); never from "now". */
function keyOf(i: Interaction, priority: number): number {
  return orderKey(new Date(i.enqueuedAt ?? i.createdAt), priority);
}

function pastTense(action: string): string {
  return action === 'close' ? 'closed' : `${action}${action.endsWith('e') ? 'd' : 'red'}`;
}
