/**
 * ACD score order (ARCHITECTURE.md decision 6).
 *
 * score(t) = minutes waited + priority. For two waiting interactions the difference of their
 * scores does not depend on t, so their order never changes and equals the order of the fixed key
 * `enqueuedAtMinutes - priority`, smaller first. Queues store that key; the score shown to people
 * is computed when read, and nothing is ever rescored.
 */

const MS_PER_MINUTE = 60_000;

/** Priorities are bounded so that a key stays a safe, exactly representable DynamoDB number. */
export const MIN_PRIORITY = -1_000_000;
export const MAX_PRIORITY = 1_000_000;

/** The fixed sort key of a waiting interaction: smaller is served first. */
export function orderKey(enqueuedAt: Date, priority: number): number {
  return round3(enqueuedAt.getTime() / MS_PER_MINUTE - priority);
}

/** The live score at `now`: minutes waited (fractional) plus priority. */
export function score(enqueuedAt: Date, priority: number, now: Date): number {
  return round3(minutesWaited(enqueuedAt, now) + priority);
}

export function minutesWaited(enqueuedAt: Date, now: Date): number {
  return Math.max(0, (now.getTime() - enqueuedAt.getTime()) / MS_PER_MINUTE);
}

/** Millisecond precision in minutes is 1/60000; three decimals keep keys short and stable. */
function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
