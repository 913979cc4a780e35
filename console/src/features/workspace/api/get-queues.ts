/**
 * GET /queues (an agent sees its own queues) with each queue's oldest wait, read from the head of
 * GET /queues/:id/interactions: the queue is in score order, so the oldest entry is among the first
 * page unless priorities reorder more than a page; that page is enough for a glance.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { QueueEntryView, QueueView } from './types.ts';

/** How many waiting entries per queue are read for the oldest wait. */
const OLDEST_SCAN = 50;
/** Queues are polled as often as the claimed list: a waiting count older than that misleads. */
export const QUEUES_POLL_MS = 15_000;

/** A queue with its oldest wait in minutes (undefined when nothing waits). */
export interface QueueWithOldest extends QueueView {
  readonly oldestMinutes?: number;
}

/** Reads the queues and their oldest waits. */
export async function getQueues(): Promise<QueueWithOldest[]> {
  const { queues } = await api.get<{ queues: QueueView[] }>('/queues');
  return Promise.all(
    queues.map(async (q) => {
      if (q.waiting === 0) return q;
      const page = await api.get<{ interactions: QueueEntryView[] }>(`/queues/${encodeURIComponent(q.id)}/interactions`, { query: { limit: OLDEST_SCAN } });
      const oldest = Math.max(...page.interactions.map((e) => e.ageMinutes));
      return Number.isFinite(oldest) ? { ...q, oldestMinutes: oldest } : q;
    }),
  );
}

export const queuesQuery = { queryKey: ['workspace', 'queues'] as const, queryFn: getQueues, refetchInterval: QUEUES_POLL_MS };

/** The caller's queues, polled. */
export function useQueues() {
  return useQuery(queuesQuery);
}

/** Every queue (GET /queues?for=transfer): where an agent may transfer an interaction, its own queues or not. */
export function useTransferQueues() {
  return useQuery({
    queryKey: ['workspace', 'transfer-queues'] as const,
    queryFn: () => api.get<{ queues: QueueView[] }>('/queues', { query: { for: 'transfer' } }).then((a) => a.queues),
  });
}
