/**
 * POST /interactions/:id/release | transfer | close by the agent holding the claim. The agent id
 * is sent as the caller's own (the API takes it from the token; a body naming another is refused).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { InteractionView } from './types.ts';

/** What the agent does with an interaction it holds. */
export type InteractionAction = { readonly kind: 'release' } | { readonly kind: 'close' } | { readonly kind: 'transfer'; readonly queueId: string };

/** Performs one action and returns the interaction after it. */
export async function actOnInteraction(id: string, agentId: string, action: InteractionAction): Promise<InteractionView> {
  const body = action.kind === 'transfer' ? { agentId, queueId: action.queueId } : { agentId };
  const answer = await api.post<{ interaction: InteractionView }>(`/interactions/${encodeURIComponent(id)}/${action.kind}`, body);
  return answer.interaction;
}

/** The action as a mutation; refreshes the workspace's lists after it. */
export function useInteractionAction(id: string, agentId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: InteractionAction) => actOnInteraction(id, agentId, action),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['workspace', 'queues'] });
      void client.invalidateQueries({ queryKey: ['workspace', 'claims'] });
      void client.invalidateQueries({ queryKey: ['workspace', 'interaction', id] });
    },
  });
}
