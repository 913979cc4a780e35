/**
 * Queues: `GET /queues` (with waiting counts), `POST /queues { id, name, description? }` and
 * `DELETE /queues/:id` (refused while interactions wait in it, or an agent or address uses it).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

/**
 * The limits the form shows: the API's QUEUE_LIMITS (lambdas/core/agents/limits.ts;
 * test/unit/console/admin-limits.test.ts fails when they differ).
 */
export const QUEUE_FORM_LIMITS = { maxIdChars: 64, maxNameChars: 100, maxDescriptionChars: 250 } as const;

export interface Queue {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly waiting: number;
  readonly createdAt: string;
}

export const queuesKey = ['admin', 'queues'] as const;

/** Every queue. */
export function useQueues() {
  return useQuery({ queryKey: queuesKey, queryFn: () => api.get<{ queues: Queue[] }>('/queues').then((a) => a.queues) });
}

/** The queue mutations; the list is re-read after each. */
export function useQueueMutations() {
  const client = useQueryClient();
  const onSettled = () => client.invalidateQueries({ queryKey: queuesKey });
  return {
    add: useMutation({ mutationFn: (q: { id: string; name: string; description?: string }) => api.post<{ queue: Queue }>('/queues', q), onSettled }),
    remove: useMutation({ mutationFn: (id: string) => api.delete<void>(`/queues/${encodeURIComponent(id)}`), onSettled }),
  };
}
