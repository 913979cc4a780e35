/**
 * `GET /queues` and, per queue, `GET /queues/:id/interactions`: each queue's waiting count, its
 * oldest wait and longest-waiting score, and the head of its line to assign from; polled.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { QUEUE_HEAD_SIZE, SUPERVISOR_POLL_MS } from './poll.ts';
import type { QueueSummary, WaitingEntry } from './types.ts';

/** One queue as the live view shows it. */
export interface LiveQueue extends QueueSummary {
  /** The waiting interactions in score order (at most {@link QUEUE_HEAD_SIZE}). */
  readonly head: readonly WaitingEntry[];
  /** Minutes the longest-waiting of {@link head} has waited; undefined when none waits. */
  readonly oldestMinutes?: number;
  /** The best score (served next); undefined when none waits. */
  readonly topScore?: number;
}

/** The queues with their heads; `oldestMinutes` is the largest age among the head. */
export async function fetchLiveQueues(): Promise<LiveQueue[]> {
  const { queues } = await api.get<{ queues: QueueSummary[] }>('/queues');
  return Promise.all(
    queues.map(async (q): Promise<LiveQueue> => {
      if (q.waiting === 0) return { ...q, head: [] };
      const page = await api.get<{ interactions: WaitingEntry[] }>(`/queues/${encodeURIComponent(q.id)}/interactions`, { query: { limit: QUEUE_HEAD_SIZE } });
      const head = page.interactions;
      const oldest = head.reduce<number | undefined>((max, e) => (max === undefined || e.ageMinutes > max ? e.ageMinutes : max), undefined);
      return { ...q, head, ...(oldest !== undefined && { oldestMinutes: oldest }), ...(head[0] && { topScore: head[0].score }) };
    }),
  );
}

export const liveQueuesKey = ['supervisor', 'live-queues'] as const;

/** The live queues, refetched every {@link SUPERVISOR_POLL_MS}. */
export function useLiveQueues() {
  return useQuery({ queryKey: liveQueuesKey, queryFn: fetchLiveQueues, refetchInterval: SUPERVISOR_POLL_MS });
}
