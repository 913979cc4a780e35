/**
 * The interfaces the ACD needs from storage (decision 1): agents in the config table, queue
 * administration, and the claims on interactions. Adapters in `adapters/dynamodb` implement them.
 */
import type { Interaction } from '../interaction.ts';
import type { InteractionStore, Page, QueueStore } from '../ports.ts';
import type { AddressRouteStore } from '../routing/config-ports.ts';
import type { Transition } from './transitions.ts';
import type { Agent, Queue } from './model.ts';

export interface AgentStore {
  /** Conditional put: `exists` when an agent with this id is already registered (left as is). */
  create(agent: Agent): Promise<'created' | 'exists'>;
  get(id: string): Promise<Agent | undefined>;
  /** All agents, sorted by id. */
  list(): Promise<readonly Agent[]>;
  /** `false` when there was no such agent. */
  remove(id: string): Promise<boolean>;
  /**
   * Replaces a registered agent's name, skills, languages and queues (conditional on it existing;
   * its id and createdAt are kept, its claims untouched); `false` when there is no such agent.
   */
  update(agent: Agent): Promise<boolean>;
}

/**
 * Queue administration. Removal is a two-step protocol of single-item conditional writes (decision
 * 7 allows no transaction across the queue and its waiting interactions): mark the queue closing,
 * count what waits, then either delete it or take the mark back (core removal.ts). A closing queue
 * is treated as missing by {@link QueueStore.get} and `list`, so routing, release and transfer
 * never place mail into it.
 */
export interface QueueAdmin {
  /** Conditional put: `exists` when the id is taken. */
  create(queue: Queue): Promise<'created' | 'exists'>;
  /**
   * Marks the queue closing (conditional on the item existing; a queue already closing is marked
   * again, so a removal interrupted between its steps can be repeated); `false` when there is none.
   */
  markClosing(id: string, at: Date): Promise<boolean>;
  /** Takes the closing mark back (conditional on the item existing); `false` when there is none. */
  unmarkClosing(id: string): Promise<boolean>;
  /** Deletes the queue item, only while it is marked closing; `false` when there is no such closing queue. */
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
  /**
   * How long queue removal lets the index settle after marking a queue closing.
   * @default ACD_LIMITS.queueClosingSettleMs; emulators update indexes synchronously, so tests may pass 0
   */
  readonly queueClosingSettleMs?: number;
}

/** What removing an agent reads and writes: the agent, and the interactions it holds. */
export interface AgentRemovalDeps {
  readonly agents: Pick<AgentStore, 'get' | 'remove'>;
  readonly queues: Pick<QueueStore, 'get'>;
  readonly claims: Pick<InteractionClaims, 'apply' | 'listClaimed'>;
}

/** What removing a queue reads and writes: the queue, what waits in it, and what points at it. */
export interface QueueRemovalDeps {
  readonly queueAdmin: Pick<QueueAdmin, 'markClosing' | 'unmarkClosing' | 'remove'>;
  readonly queues: Pick<QueueStore, 'countWaiting'>;
  readonly agents: Pick<AgentStore, 'list'>;
  /** Address routes; without it no route is checked (an API served without routing config). */
  readonly addresses?: Pick<AddressRouteStore, 'list'>;
  /**
   * Waits between marking the queue closing and counting what waits in it, so the count (read
   * from an eventually consistent index) includes mail enqueued just before the mark.
   */
  readonly settle: () => Promise<void>;
}

/** The stores the ACD actions (release, transfer, close) read and write. */
export interface AcdActionDeps {
  readonly interactions: Pick<InteractionStore, 'get'>;
  readonly queues: Pick<QueueStore, 'get'>;
  readonly claims: Pick<InteractionClaims, 'apply'>;
}
