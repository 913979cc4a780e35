/**
 * Flows: `GET /flows`, `GET /flows/:id[?version=n]`, `GET /flows/:id/versions`, `PUT /flows/:id`
 * (stores a new version; old ones never change), `DELETE /flows/:id`, and the dry run
 * `POST /flows/dry-run` (nothing stored, nothing sent) that answers the trail and the outcome.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

/** A flow definition as the API takes it (core/routing/flow.ts documents the rules' format). */
export interface FlowDefinition {
  readonly name: string;
  readonly description?: string;
  readonly rules: readonly unknown[];
}

export interface FlowSummary {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One stored version: id, version, when, and the definition's fields. */
export interface FlowVersion extends FlowDefinition {
  readonly id: string;
  readonly version: number;
  readonly createdAt: string;
}

export interface TrailEntry {
  readonly at: string;
  readonly step: string;
  readonly detail: string;
}

/** Where the dry-run message would go and with what (the API's DryRunOutcome; absent fields do not apply). */
export interface DryRunOutcome {
  readonly disposition?: string;
  readonly queueId?: string;
  readonly priority?: number;
  readonly skills?: readonly string[];
  readonly language?: string;
  readonly tags?: readonly string[];
  readonly interactionId?: string;
  readonly reason?: string;
  readonly detail?: string;
  readonly acknowledgement?: { readonly to?: string; readonly subject?: string };
  readonly [field: string]: unknown;
}

/** What the dry run answers. */
export interface DryRunResult {
  readonly trail: readonly TrailEntry[];
  readonly outcome: DryRunOutcome;
}

/** What the dry run runs: a stored flow or the editor's, against pasted text or a stored interaction. */
export type DryRunRequest = ({ readonly flowId: string } | { readonly flow: FlowDefinition }) & ({ readonly raw: string } | { readonly interactionId: string });

export const flowsKey = ['admin', 'flows'] as const;
const path = (id: string) => `/flows/${encodeURIComponent(id)}`;

/** Every flow (current versions). */
export function useFlows() {
  return useQuery({ queryKey: flowsKey, queryFn: () => api.get<{ flows: FlowSummary[] }>('/flows').then((a) => a.flows) });
}

/** Flow `id` at `version` (the current one when undefined); disabled without an id. */
export function useFlowVersion(id: string | undefined, version?: number) {
  return useQuery({
    queryKey: [...flowsKey, id ?? '', version ?? 'current'],
    queryFn: () => api.get<{ flow: FlowVersion }>(path(id ?? ''), { query: { version } }).then((a) => a.flow),
    enabled: id !== undefined,
    staleTime: Infinity,
  });
}

/** The versions of flow `id`, newest last as the API lists them. */
export function useFlowVersions(id: string | undefined) {
  return useQuery({
    queryKey: [...flowsKey, id ?? '', 'versions'],
    queryFn: () => api.get<{ versions: { version: number; name: string; rules: number; createdAt: string }[] }>(`${path(id ?? '')}/versions`).then((a) => a.versions),
    enabled: id !== undefined,
  });
}

/** The flow mutations; the flows are re-read after a save or delete. */
export function useFlowMutations() {
  const client = useQueryClient();
  const onSettled = () => client.invalidateQueries({ queryKey: flowsKey });
  return {
    save: useMutation({ mutationFn: (v: { id: string; definition: FlowDefinition }) => api.put<{ flow: FlowVersion }>(path(v.id), v.definition), onSettled }),
    remove: useMutation({ mutationFn: (id: string) => api.delete<void>(path(id)), onSettled }),
    dryRun: useMutation({ mutationFn: (r: DryRunRequest) => api.post<DryRunResult>('/flows/dry-run', r) }),
  };
}
