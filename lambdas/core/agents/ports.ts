/**
 * The interfaces the ACD needs from storage (decision 1): agents in the config table, queue
 * administration, and the claims on interactions. Adapters in `adapters/dynamodb` implement them.
 */
import type { Interaction, Queue } from '../interaction.ts';
import type { InteractionStore, Page, QueueStore } from '../ports.ts';
import type { Agent } from '../routing/model.ts';
import type { Transition } from './transitions.ts';

export interface AgentStore {
  /** Conditional put: `exists` when an agent with this id is already registered (left as is). */
  create(agent: Agent): Promise<'created' | 'exists'>;
  get(id: string): Promise<Agent | undefined>;
  /** All agents, sorted by id. */
  list(): Promise<readonly Agent[]>;
  /** `false` when there was no such agent. */
  remove(id: string): Promise<boolean>;
}

export interface QueueAdmin {
  /** Conditional put: `exists` when the id is taken. */
  create(queue: Queue): Promise<'created' | 'exists'>;
  /** Deletes the queue item; `false` when there was none. Callers check for waiting interactions first. */
  remove(id: string): Promise<boolean>;
}

export interface InteractionClaims {
  /**
   * Claims the highest-scoring waiting interaction of the agent's queues that the agent is
   * eligible for, with one conditional write; `undefined` when none waits.
   */
  next(agent: Agent, now: Date): Promise<Interaction | undefined>;
  /** Applies one planned transition as one conditional write; `conflict` when `from` no longer holds. */
  apply(id: string, transition: Transition): Promise<Interaction | 'conflict'>;
  /** The interactions an agent holds (claimed), oldest order key first. */
  listClaimed(agentId: string, limit: number, cursor?: string): Promise<Page<Interaction>>;
}

/** What the ACD routes of the API need; optional in the API so a read-only API can be served. */
export interface AcdDeps {
  readonly agents: AgentStore;
  readonly queueAdmin: QueueAdmin;
  readonly claims: InteractionClaims;
}

/** The stores the ACD actions (release, transfer, close) read and write. */
export interface AcdActionDeps {
  readonly interactions: Pick<InteractionStore, 'get'>;
  readonly queues: Pick<QueueStore, 'get'>;
  readonly claims: Pick<InteractionClaims, 'apply'>;
}
