/** GET /interactions/:id: the interaction, its conversation and what it sent (the timeline's source). */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { InteractionDetail } from './types.ts';

/** Delivery states and customers' replies move on: the open interaction is read this often. */
export const INTERACTION_POLL_MS = 15_000;

/** Reads one interaction. */
export function getInteraction(id: string): Promise<InteractionDetail> {
  return api.get<InteractionDetail>(`/interactions/${encodeURIComponent(id)}`);
}

export const interactionKey = (id: string) => ['workspace', 'interaction', id] as const;

/** The query of one interaction (shared by the page and Next's prefetch). */
export const interactionQuery = (id: string) => ({ queryKey: interactionKey(id), queryFn: () => getInteraction(id), staleTime: 5_000 });

/** One interaction, polled while open. */
export function useInteraction(id: string | undefined) {
  return useQuery({ ...interactionQuery(id ?? ''), enabled: id !== undefined, refetchInterval: INTERACTION_POLL_MS });
}
