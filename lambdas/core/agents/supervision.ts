/**
 * What a supervisor does to interactions beyond an agent's own actions (issue 12 item 3): assign a
 * waiting interaction to a named agent, force-release an absent agent's claim, and route a
 * quarantined false positive into a queue. Each is planned here as a {@link Transition} and written
 * with ONE conditional update by the claims adapter (decision 7), exactly as `next` and release are:
 * an assignment is a claim made for someone, so the queue index entry goes the way a claim's does.
 *
 * Who the supervisor is comes from the verified caller (the API's access layer); these functions
 * take its id as `by` so the trail can name it, and never decide roles themselves.
 */
import { ConflictError, UnprocessableError } from '../errors.ts';
import { ERROR_REASONS } from '../error-reasons.ts';
import type { Interaction } from '../interaction.ts';
import { orderKey } from '../score.ts';
import type { QueueTarget } from '../routing/model.ts';
import { applyPlanned } from './actions.ts';
import type { AcdActionDeps, AgentStore } from './ports.ts';


/** Named in a trail when the API could not say who acted (an API served without the access layer). */
export const UNKNOWN_SUPERVISOR = 'supervisor';

/** What assigning reads: the interaction, the agent and the claims. */
export interface AssignDeps extends AcdActionDeps {
  readonly agents: Pick<AgentStore, 'get'>;
}

/**
 * Claims the waiting interaction `id` for `agentId` on a supervisor's word. The agent must exist
 * and take work from the interaction's queue (422 with a field message otherwise); skills and
 * language are not checked, since choosing the person is the point of assigning. A claimed
 * interaction is assigned only after it is released (409): an assignment never takes work out
 * of another agent's hands silently.
 * @param by the supervisor's id for the trail; @default {@link UNKNOWN_SUPERVISOR}
 */
export async function assignInteraction(deps: AssignDeps, id: string, agentId: string, now: Date, by: string = UNKNOWN_SUPERVISOR): Promise<Interaction> {
  const agent = await deps.agents.get(agentId);
  if (!agent) {
    throw new UnprocessableError({ agentId: `must be a registered agent (${agentId} is not)` }, {}, { agentId: ERROR_REASONS.agentNotFound });
  }
  return applyPlanned(deps, id, async (i) => {
    if (i.state === 'claimed') {
      throw new ConflictError(ERROR_REASONS.interactionAlreadyClaimed, `interaction ${id} is claimed by agent ${i.agentId}; release it before assigning it`, {
        state: `is claimed by agent ${i.agentId}; release it first`,
      });
    }
    if (i.state !== 'waiting' || i.queueId === undefined) {
      throw new ConflictError(ERROR_REASONS.interactionNotWaiting, `interaction ${id} is ${i.state}; only a waiting interaction can be assigned`, {
        state: `is ${i.state}; only a waiting interaction can be assigned`,
      });
    }
    if (!agent.queues.includes(i.queueId)) {
      throw new UnprocessableError(
        { agentId: `must take work from queue ${i.queueId} (agent ${agentId} serves ${agent.queues.join(', ') || 'no queue'})` },
        {},
        { agentId: ERROR_REASONS.agentNotInQueue },
      );
    }
    const at = now.toISOString();
    return {
      from: { state: 'waiting', queueId: i.queueId },
      to: { state: 'claimed', agentId, claimedAt: at },
      trail: { at, step: 'assigned', detail: `assigned by ${by} to agent ${agentId} from queue ${i.queueId}` },
    };
  });
}

/** Where a re-routed interaction goes and why, decided by the caller from its route (or the request). */
export interface RerouteTarget {
  readonly target: QueueTarget;
  /** For the trail: `queue billing (given)`, `address route support@… `. */
  readonly source: string;
}

/**
 * Puts a quarantined interaction judged a false positive into `target`'s queue (which must exist).
 * It counts as enqueued at its receipt: the customer has waited since then. It leaves the
 * quarantine listing because the same write moves it out of the quarantine's index partition.
 * @param by the supervisor's id for the trail; @default {@link UNKNOWN_SUPERVISOR}
 */
export async function rerouteQuarantined(deps: AcdActionDeps, id: string, choose: (i: Interaction) => Promise<RerouteTarget>, now: Date, by: string = UNKNOWN_SUPERVISOR): Promise<Interaction> {
  return applyPlanned(deps, id, async (i) => {
    if (i.state !== 'quarantined') {
      throw new ConflictError(ERROR_REASONS.interactionNotQuarantined, `interaction ${id} is ${i.state}, not quarantined`, {
        state: `is ${i.state}; only a quarantined interaction can be re-routed`,
      });
    }
    const { target, source } = await choose(i);
    if (!(await deps.queues.get(target.queueId))) {
      throw new UnprocessableError({ queueId: `must be an existing queue (${target.queueId} does not exist)` }, {}, { queueId: ERROR_REASONS.queueNotFound });
    }
    // Enqueued as of its receipt, so the displayed wait and the order key (decision 6) agree.
    const receivedAt = new Date(Date.parse(i.message.receivedAt) || Date.parse(i.createdAt));
    const at = now.toISOString();
    return {
      from: { state: 'quarantined' },
      to: {
        state: 'waiting',
        queueId: target.queueId,
        priority: target.priority,
        orderKey: orderKey(receivedAt, target.priority),
        enqueuedAt: receivedAt.toISOString(),
        skills: target.skills,
        ...(target.language !== undefined && { language: target.language }),
      },
      trail: {
        at,
        step: 'rerouted',
        detail: `re-routed by ${by} from the quarantine (${i.quarantine?.reason ?? 'no reason'}: judged a false positive) to queue ${target.queueId} with priority ${target.priority} (${source})`,
      },
    };
  });
}
