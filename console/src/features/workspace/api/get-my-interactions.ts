/** GET /agents/:me/interactions: what the agent holds, polled every 15 s (the "customer replied" signal). */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { InteractionView } from './types.ts';

/** How often the claimed list is read: a customer's reply shows within this time. */
export const CLAIMS_POLL_MS = 15_000;

/** Reads the interactions `agentId` holds. */
export async function getMyInteractions(agentId: string): Promise<InteractionView[]> {
  const page = await api.get<{ interactions: InteractionView[] }>(`/agents/${encodeURIComponent(agentId)}/interactions`);
  return page.interactions;
}

export const myInteractionsKey = (agentId: string) => ['workspace', 'claims', agentId] as const;

/** The agent's claimed interactions, polled. */
export function useMyInteractions(agentId: string) {
  return useQuery({ queryKey: myInteractionsKey(agentId), queryFn: () => getMyInteractions(agentId), refetchInterval: CLAIMS_POLL_MS });
}
