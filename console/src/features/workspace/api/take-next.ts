/** POST /agents/:me/next: claims the best waiting interaction for the agent; 204 = nothing waits. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { InteractionView } from './types.ts';

/** The claimed interaction, or undefined when nothing waits for this agent. */
export async function takeNext(agentId: string): Promise<InteractionView | undefined> {
  const answer = await api.post<{ interaction: InteractionView } | undefined>(`/agents/${encodeURIComponent(agentId)}/next`, {});
  return answer?.interaction;
}

/** Next as a mutation; refreshes queues and claims after it. */
export function useTakeNext(agentId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => takeNext(agentId),
    onSettled: () => client.invalidateQueries({ queryKey: ['workspace'] }),
  });
}
