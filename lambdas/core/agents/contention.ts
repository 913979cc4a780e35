/**
 * Keeping claim conflicts low without coordination (decision 7 allows no transactions and no
 * lock items). When several agents call `next` at once they all read the same queue head; if each
 * aims at the first candidate, all but one lose the conditional write. An agent that has just
 * lost races therefore picks among the best few candidates at random, and the window shrinks back
 * to strict score order (window 1) within a few half-lives once conflicts stop, so a lone agent
 * always gets the very highest-scoring interaction.
 */
import { ACD_LIMITS } from './limits.ts';

/** The conflict history of one caller (a Lambda container, a CLI process): mutable, small. */
export interface Contention {
  /** The window after the last observation, before decay. */
  window: number;
  /** When that observation was made (epoch ms). */
  at: number;
}

/** A fresh caller: no conflicts seen, strict score order. */
export function newContention(): Contention {
  return { window: 1, at: 0 };
}

/**
 * The number of best candidates to pick among at `nowMs`: the last window halved per
 * {@link ACD_LIMITS.contentionHalfLifeMs} since, never below 1.
 */
export function contentionWindow(c: Contention, nowMs: number, limits = ACD_LIMITS): number {
  const halvings = Math.max(0, nowMs - c.at) / limits.contentionHalfLifeMs;
  return Math.max(1, Math.floor(c.window / 2 ** halvings));
}

/**
 * Records a lost claim: the window doubles (from its decayed value, at least
 * {@link ACD_LIMITS.minContentionWindow}), up to
 * {@link ACD_LIMITS.maxContentionWindow}. Why doubling: it reaches a window wide enough for the
 * number of competing agents in a few conflicts, without knowing that number.
 */
export function recordConflict(c: Contention, nowMs: number, limits = ACD_LIMITS): void {
  c.window = Math.min(limits.maxContentionWindow, Math.max(limits.minContentionWindow, contentionWindow(c, nowMs, limits) * 2));
  c.at = nowMs;
}

/**
 * Which of `available` candidates (best first) to try next: index 0 when the window is 1 (no
 * recent conflicts), else a uniformly random one among the first `window`.
 * @param random a number in [0, 1), injected so tests are deterministic
 */
export function pickCandidate(available: number, window: number, random: () => number): number {
  const span = Math.min(available, Math.max(1, window));
  return span <= 1 ? 0 : Math.min(span - 1, Math.floor(random() * span));
}
