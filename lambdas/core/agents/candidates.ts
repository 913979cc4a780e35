/**
 * Merging the agent's queues into one score order without reading them whole. Each queue is read
 * page by page in order-key order (decision 6); a candidate may be tried only once no unread item
 * of any queue can come before it. Pure: the DynamoDB adapter owns the reads, this owns the order.
 */

/** A waiting interaction as `next` sees it in an index page: just enough to filter and claim. */
export interface Candidate {
  readonly id: string;
  readonly queueId: string;
  readonly orderKey: number;
  readonly skills?: readonly string[];
  readonly language?: string;
}

/** The read state of one queue during one `next`. */
export interface QueueStream {
  readonly queueId: string;
  /** Eligible candidates read and not yet tried, ascending order key. */
  readonly pending: Candidate[];
  /** Order key of the last item read (eligible or not); `undefined` before the first page. */
  lastKey?: number;
  /** Where the next page starts; meaningful when `done` is false. */
  cursor?: Record<string, unknown>;
  /** No more pages. */
  done: boolean;
}

/** A stream of `queueId` before its first page. */
export function newStream(queueId: string): QueueStream {
  return { queueId, pending: [], done: false };
}

/**
 * The order key up to which the merged order is known: the smallest last-read key of the streams
 * that still have pages (+Infinity when all are read to the end).
 */
export function knownUpTo(streams: readonly QueueStream[]): number {
  let bound = Infinity;
  for (const s of streams) if (!s.done) bound = Math.min(bound, s.lastKey ?? -Infinity);
  return bound;
}

/**
 * The candidates that may be tried now, best (smallest order key) first: every pending candidate
 * at or below {@link knownUpTo}. Ties compare by id so every agent sees the same order.
 */
export function triableCandidates(streams: readonly QueueStream[]): Candidate[] {
  const bound = knownUpTo(streams);
  return streams
    .flatMap((s) => s.pending.filter((c) => c.orderKey <= bound))
    .sort((a, b) => a.orderKey - b.orderKey || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The stream whose next page is needed first (smallest last-read key), or none when all are read. */
export function streamToRead(streams: readonly QueueStream[]): QueueStream | undefined {
  let best: QueueStream | undefined;
  for (const s of streams) {
    if (s.done) continue;
    if (!best || (s.lastKey ?? -Infinity) < (best.lastKey ?? -Infinity)) best = s;
  }
  return best;
}

/** Removes a tried candidate from its stream (claimed by us, or lost to another agent). */
export function dropCandidate(streams: readonly QueueStream[], candidate: Candidate): void {
  const stream = streams.find((s) => s.queueId === candidate.queueId);
  const at = stream?.pending.indexOf(candidate) ?? -1;
  if (stream && at >= 0) stream.pending.splice(at, 1);
}
