/**
 * Limits of the ACD (`next`, claims, agents). Each is a named constant with the reason for its
 * value, so a change is a decision, not an accident.
 */
export const ACD_LIMITS = {
  /**
   * The largest first index page `next` reads per queue, under the widest contention window. A
   * page is what an agent's claim competes over, and under contention the rest of it serves the
   * caller's next few `next` calls (held-page.ts): the widest window plus
   * {@link ACD_LIMITS.contentionPageSlack}.
   */
  firstPageSize: 96,
  /** The first page while this caller sees no contention (window 1): the head is all it needs. */
  quietPageSize: 8,
  /**
   * Later pages, read only while the head is made of interactions this agent cannot take (skills,
   * language): larger, so a long ineligible run costs few round trips.
   */
  nextPageSize: 200,
  /**
   * Under contention `next` picks among this many of the best eligible candidates instead of
   * always the first, so concurrent agents rarely aim at the same item. Why 64 and not 32: with
   * held pages (each agent walking its own run of a page) the conflicts per claim fall with the
   * gaps between the agents' runs; in drain.bench.ts 4 busy agents saw 0.14 conflicts per claim
   * at 32 and 0.07-0.09 at 64. Still small beside a busy queue: at hundreds of claims a second,
   * 64 positions are well under a second of work.
   */
  maxContentionWindow: 64,
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
  /**
   * How long a contended caller may keep trying the candidates of a page read by an earlier
   * `next` (core held-page.ts) before reading afresh. Why one second: long enough to serve a run
   * of claims on a busy queue (a few ms each), short enough that mail enqueued or released since
   * with a better score waits at most about that long to be seen.
   */
  maxHeldPageAgeMs: 1_000,
  /**
   * Candidates read beyond the contention window for a fresh page under contention: room to
   * replace the ones this caller claims or loses before the page runs out.
   */
  contentionPageSlack: 32,
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

/** Queue ids appear in CLI output, index keys and URLs: short lower-case slugs. */
export const QUEUE_LIMITS = { maxIdChars: 64, maxNameChars: 100, maxDescriptionChars: 250 } as const;
