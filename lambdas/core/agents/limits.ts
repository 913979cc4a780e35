/**
 * Limits of the ACD (`next`, claims, agents). Each is a named constant with the reason for its
 * value, so a change is a decision, not an accident.
 */
export const ACD_LIMITS = {
  /**
   * The first index page `next` reads per queue. Small, because the head is usually eligible and
   * a page is what an agent's claim competes over: 40 covers the contention window below with room.
   */
  firstPageSize: 40,
  /** The first page while this caller sees no contention (window 1): the head is all it needs. */
  quietPageSize: 8,
  /**
   * Later pages, read only while the head is made of interactions this agent cannot take (skills,
   * language): larger, so a long ineligible run costs few round trips.
   */
  nextPageSize: 200,
  /**
   * Under contention `next` picks among this many of the best eligible candidates instead of
   * always the first, so concurrent agents rarely aim at the same item. 32 kept 4 busy agents at
   * 0.08 conflicts per claim in drain.bench.ts (16: 0.15) while never skipping far down a queue.
   */
  maxContentionWindow: 32,
  /**
   * How fast the contention window shrinks back to 1 (strict order) once conflicts stop. Two
   * seconds span hundreds of claims on DynamoDB (a few ms each), so busy agents stay spread, and
   * a lone agent is back to strict order within seconds of the others leaving.
   */
  contentionHalfLifeMs: 2_000,
  /** The window after a first conflict: one lost race means at least one other agent, likely more. */
  minContentionWindow: 4,
  /**
   * Conflicts in a row after which `next` re-reads the queue heads: the page it holds is stale
   * (others have claimed through it), and trying the rest one by one would only lose more races.
   */
  maxConflictsPerPage: 3,
  /** An agent takes work from a few queues; each one is one index query per `next`. */
  maxAgentQueues: 20,
  /** Skills and languages per agent and per interaction: a handful in practice. */
  maxSkills: 50,
  maxLanguages: 20,
  /** How often a release/transfer/close re-reads and retries after a concurrent change. */
  maxActionAttempts: 3,
  /** Claimed interactions read per page while an agent is removed: agents hold a handful. */
  removalPageSize: 100,
  /**
   * How long queue removal waits after marking a queue closing before it counts the waiting
   * interactions. Why: the count comes from a global secondary index, which DynamoDB updates
   * asynchronously ("typically within a fraction of a second"); mail enqueued just before the
   * mark must already be in the count, or it would be stranded in a deleted queue.
   */
  queueClosingSettleMs: 1_000,
} as const;
