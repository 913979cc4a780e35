/**
 * `POST /interactions/:id/assign { agentId }`: a supervisor hands a waiting interaction to a named
 * agent. The live views are refetched after it, whatever the outcome (someone may have been faster).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { claimsKey } from './claimed-by-agent.ts';
import { liveQueuesKey } from './live-queues.ts';
import type { InteractionView } from './types.ts';

/** Assigns interaction `id` to agent `agentId`. */
export async function assignInteraction(id: string, agentId: string): Promise<InteractionView> {
  const { interaction } = await api.post<{ interaction: InteractionView }>(`/interactions/${encodeURIComponent(id)}/assign`, { agentId });
  return interaction;
}

/** The assign mutation; refreshes the queues and the claims when it settles. */
export function useAssign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; agentId: string }) => assignInteraction(v.id, v.agentId),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: liveQueuesKey }), client.invalidateQueries({ queryKey: claimsKey })]),
  });
}
