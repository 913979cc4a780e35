/**
 * Reusing the candidate page of one `next` in the next one, while the caller is contended. Why:
 * on a busy queue every `next` used to read a fresh page of the queue heads for one claim, and
 * those reads were most of the work (the write is one item). Under contention the order is already
 * relaxed to "any of the best `window` candidates" (contention.ts), so the rest of a page read a
 * moment ago serves that rule as well as a new read does. The reuse is bounded: by the page's age,
 * by the first claim it loses (others have claimed through it), and never while the window is 1,
 * so an agent that sees no contention still reads afresh and gets the very best candidate.
 *
 * Pure: the DynamoDB adapter keeps one held page per caller and asks these rules what to do.
 */
import { triableCandidates, type Candidate, type QueueStream } from './candidates.ts';
import { ACD_LIMITS } from './limits.ts';
import type { Agent } from './model.ts';

/** The queue pages a caller read in an earlier `next`, kept for the next one. Mutable, small. */
export interface HeldPage {
  /** Whose eligibility filtered the pages (see {@link heldPageKey}); another agent reads afresh. */
  readonly agentKey: string;
  readonly streams: QueueStream[];
  /** When the pages were read (epoch ms). */
  readonly readAtMs: number;
  /** The candidate this caller last claimed from the pages: the next pick continues after it. */
  lastClaimed?: Candidate;
}

/**
 * What a held page depends on besides the table: the agent, its queues (in order), skills and
 * languages. Two calls with the same key would have read the same candidates.
 */
export function heldPageKey(agent: Pick<Agent, 'id' | 'queues' | 'skills' | 'languages'>): string {
  return JSON.stringify([agent.id, agent.queues, agent.skills, agent.languages]);
}

/**
 * True when `next` may try the candidates of `held` instead of reading the queues again: the
 * same agent key, a contention window above 1, a page younger than
 * {@link ACD_LIMITS.maxHeldPageAgeMs}, and a candidate left to try.
 */
export function mayReuseHeldPage(
  held: HeldPage | undefined,
  agentKey: string,
  window: number,
  nowMs: number,
  limits = ACD_LIMITS,
): held is HeldPage {
  if (!held || held.agentKey !== agentKey || window <= 1) return false;
  const age = nowMs - held.readAtMs;
  if (age < 0 || age > limits.maxHeldPageAgeMs) return false;
  return triableCandidates(held.streams).length > 0;
}

/**
 * How many items to read per queue for a fresh page: {@link ACD_LIMITS.quietPageSize} at window
 * 1 (the head is all a lone agent needs), else the window plus
 * {@link ACD_LIMITS.contentionPageSlack}, never more than {@link ACD_LIMITS.firstPageSize}. Why
 * not always the largest page: on a busy table every item read is work, and candidates past the
 * window are only there to replace the ones this caller tries.
 */
export function pageSizeFor(window: number, limits = ACD_LIMITS): number {
  if (window <= 1) return limits.quietPageSize;
  return Math.min(limits.firstPageSize, Math.max(limits.quietPageSize, window + limits.contentionPageSlack));
}

/**
 * Which of the `triable` candidates (best first) to try, given the last one this caller claimed
 * from the same pages. Continuing with the candidate right after it keeps each contended agent on
 * its own run of the page: agents that started at different random spots move through the page
 * at the same pace and do not meet until one reaches where another started, whereas a fresh
 * random pick each time would land on what the others took. The continuation is used only when it
 * is among the first `window` candidates; otherwise, and when there is no last claim, the pick is
 * `randomPick` (contention.ts).
 */
export function pickInHeldPage(
  triable: readonly Candidate[],
  lastClaimed: Candidate | undefined,
  window: number,
  randomPick: () => number,
): number {
  if (lastClaimed && window > 1) {
    const after = triable.findIndex((c) => comesAfter(c, lastClaimed));
    if (after >= 0 && after < window) return after;
  }
  return randomPick();
}

/** Score order with ties by id, as in candidates.ts. */
function comesAfter(c: Candidate, ref: Candidate): boolean {
  return c.orderKey > ref.orderKey || (c.orderKey === ref.orderKey && c.id > ref.id);
}
