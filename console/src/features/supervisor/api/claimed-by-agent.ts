/**
 * `GET /agents` and, per agent, `GET /agents/:id/interactions`: what each agent holds now; polled.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { SUPERVISOR_POLL_MS } from './poll.ts';
import type { Agent, InteractionView } from './types.ts';

/** One agent with the interactions it has claimed. */
export interface AgentClaims {
  readonly agent: Agent;
  readonly claimed: readonly InteractionView[];
}

/** Every agent and its claims (the first page: an agent holds a handful). */
export async function fetchClaimsByAgent(): Promise<AgentClaims[]> {
  const { agents } = await api.get<{ agents: Agent[] }>('/agents');
  return Promise.all(
    agents.map(async (agent) => {
      const page = await api.get<{ interactions: InteractionView[] }>(`/agents/${encodeURIComponent(agent.id)}/interactions`);
      return { agent, claimed: page.interactions };
    }),
  );
}

export const claimsKey = ['supervisor', 'claims'] as const;

/** The agents and their claims, refetched every {@link SUPERVISOR_POLL_MS}. */
export function useClaimsByAgent() {
  return useQuery({ queryKey: claimsKey, queryFn: fetchClaimsByAgent, refetchInterval: SUPERVISOR_POLL_MS });
}
