/** GET /interactions/:id: the interaction, its conversation and what it sent (the timeline's source). */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { InteractionDetail } from './types.ts';

/** Reads one interaction. */
export function getInteraction(id: string): Promise<InteractionDetail> {
  return api.get<InteractionDetail>(`/interactions/${encodeURIComponent(id)}`);
}

export const interactionKey = (id: string) => ['workspace', 'interaction', id] as const;

/** One interaction, refreshed with the claims (delivery states move on). */
export function useInteraction(id: string | undefined) {
  return useQuery({ queryKey: interactionKey(id ?? ''), queryFn: () => getInteraction(id!), enabled: id !== undefined, refetchInterval: 15_000 });
}
