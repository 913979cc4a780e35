/** POST /agents/:me/next: claims the best waiting interaction for the agent; 204 = nothing waits. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { contentQuery } from './get-content.ts';
import { interactionQuery } from './get-interaction.ts';
import type { InteractionView } from './types.ts';

/** The claimed interaction, or undefined when nothing waits for this agent. */
export async function takeNext(agentId: string): Promise<InteractionView | undefined> {
  const answer = await api.post<{ interaction: InteractionView } | undefined>(`/agents/${encodeURIComponent(agentId)}/next`, {});
  return answer?.interaction;
}

/**
 * Next as a mutation. Once claimed, the interaction and its content are fetched at once, side by
 * side (not one after the other as the page would mount them); the queue and claim lists refresh
 * in the background (not awaited: the agent sees the message first).
 */
export function useTakeNext(agentId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => takeNext(agentId),
    onSuccess: (interaction) => {
      if (!interaction) return;
      void client.prefetchQuery(interactionQuery(interaction.id));
      void client.prefetchQuery(contentQuery(interaction.id, 'blocked'));
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['workspace', 'queues'] });
      void client.invalidateQueries({ queryKey: ['workspace', 'claims'] });
    },
  });
}
