/**
 * Force-release: `POST /interactions/:id/release` naming the holder (a supervisor may name any
 * agent), so an absent agent's interaction goes back to its queue with its wait time kept.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { claimsKey } from './claimed-by-agent.ts';
import { liveQueuesKey } from './live-queues.ts';
import type { InteractionView } from './types.ts';

/** Releases interaction `id` held by `holder`. */
export async function forceRelease(id: string, holder: string): Promise<InteractionView> {
  const { interaction } = await api.post<{ interaction: InteractionView }>(`/interactions/${encodeURIComponent(id)}/release`, { agentId: holder });
  return interaction;
}

/** The force-release mutation; refreshes the queues and the claims when it settles. */
export function useForceRelease() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; holder: string }) => forceRelease(v.id, v.holder),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: liveQueuesKey }), client.invalidateQueries({ queryKey: claimsKey })]),
  });
}
