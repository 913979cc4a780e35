/**
 * Agents: `GET /agents`, `POST /agents` (add), `PUT /agents/:id` (update name, skills, languages and
 * queues without removing the agent or its claims), `DELETE /agents/:id` (releases what it holds),
 * and `GET /queues` for the queue picker.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { Agent } from './types.ts';

export const agentsKey = ['admin', 'agents'] as const;

/** What the form sends. */
export interface AgentInput {
  readonly id: string;
  readonly name: string;
  readonly skills: readonly string[];
  readonly languages: readonly string[];
  readonly queues: readonly string[];
}

/** Every agent. */
export function useAgents() {
  return useQuery({ queryKey: agentsKey, queryFn: () => api.get<{ agents: Agent[] }>('/agents').then((a) => a.agents) });
}

/** The queues an agent may take work from, for the picker. */
export function useQueueChoices() {
  return useQuery({ queryKey: ['admin', 'agents', 'queues'], queryFn: () => api.get<{ queues: { id: string; name: string }[] }>('/queues').then((a) => a.queues) });
}

/** Adds (`editing` false) or updates an agent. */
export function saveAgent(input: AgentInput, editing: boolean): Promise<{ agent: Agent }> {
  const { id, ...rest } = input;
  return editing ? api.put(`/agents/${encodeURIComponent(id)}`, rest) : api.post('/agents', input);
}

/** The agent mutations; the list is re-read after each. */
export function useAgentMutations() {
  const client = useQueryClient();
  const onSettled = () => client.invalidateQueries({ queryKey: agentsKey });
  return {
    save: useMutation({ mutationFn: (v: { input: AgentInput; editing: boolean }) => saveAgent(v.input, v.editing), onSettled }),
    remove: useMutation({ mutationFn: (id: string) => api.delete<{ agentId: string; released: number }>(`/agents/${encodeURIComponent(id)}`), onSettled }),
  };
}
