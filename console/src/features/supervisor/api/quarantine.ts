/**
 * `GET /quarantine` (what was set aside, newest first) and `POST /quarantine/:id/reroute { queueId? }`
 * (a false positive goes back into routing: its route's queue, or the one named).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { liveQueuesKey } from './live-queues.ts';
import { SUPERVISOR_POLL_MS } from './poll.ts';
import type { InteractionView, Paged, QuarantinedView } from './types.ts';

export const quarantineKey = ['supervisor', 'quarantine'] as const;

/** One page of the quarantine after `cursor`. */
export function fetchQuarantine(cursor?: string): Promise<{ interactions: QuarantinedView[] } & Paged> {
  return api.get('/quarantine', { query: { cursor } });
}

/** The quarantine page at `cursor`, polled. */
export function useQuarantine(cursor?: string) {
  return useQuery({ queryKey: [...quarantineKey, cursor ?? ''], queryFn: () => fetchQuarantine(cursor), refetchInterval: SUPERVISOR_POLL_MS });
}

/** Routes quarantined interaction `id` again, into `queueId` when given. */
export async function rerouteQuarantined(id: string, queueId?: string): Promise<InteractionView> {
  const { interaction } = await api.post<{ interaction: InteractionView }>(`/quarantine/${encodeURIComponent(id)}/reroute`, queueId ? { queueId } : {});
  return interaction;
}

/** The re-route mutation; refreshes the quarantine and the queues when it settles. */
export function useReroute() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; queueId?: string }) => rerouteQuarantined(v.id, v.queueId),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: quarantineKey }), client.invalidateQueries({ queryKey: liveQueuesKey })]),
  });
}
