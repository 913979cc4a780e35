/**
 * Domains: `GET /domains`, `GET /domains/:name` (with its summary), `GET /domains/:name/records`
 * (the record plan to publish), `POST /domains/:name/check` (DNS and SES now), `POST /domains`
 * (add), `DELETE /domains/:name` (only those added here; the stack's are shown, never changed).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { CheckAnswer, DnsRecordPlan, Domain } from './types.ts';

export const domainsKey = ['admin', 'domains'] as const;
const path = (name: string) => `/domains/${encodeURIComponent(name)}`;

/** Every domain. */
export function useDomains() {
  return useQuery({ queryKey: domainsKey, queryFn: () => api.get<{ domains: Domain[] }>('/domains').then((a) => a.domains) });
}

/** One domain with its summary lines. */
export function useDomain(name: string) {
  return useQuery({ queryKey: [...domainsKey, name], queryFn: () => api.get<{ domain: Domain; summary: string[] }>(path(name)) });
}

/** The records to publish for `name`. */
export function useRecordPlan(name: string) {
  return useQuery({ queryKey: [...domainsKey, name, 'records'], queryFn: () => api.get<{ plan: DnsRecordPlan }>(`${path(name)}/records`).then((a) => a.plan) });
}

/** What adding a domain sends. */
export interface DomainInput {
  readonly name: string;
  readonly mailFromDomain?: string;
  readonly hostedZoneId?: string;
  readonly dmarcReportAddress?: string;
}

/** The domain mutations; the list is re-read after each. */
export function useDomainMutations() {
  const client = useQueryClient();
  const onSettled = () => client.invalidateQueries({ queryKey: domainsKey });
  return {
    add: useMutation({ mutationFn: (input: DomainInput) => api.post<{ domain: Domain; plan: DnsRecordPlan }>('/domains', input), onSettled }),
    check: useMutation({ mutationFn: (name: string) => api.post<CheckAnswer>(`${path(name)}/check`, {}), onSettled }),
    remove: useMutation({ mutationFn: (name: string) => api.delete<void>(path(name)), onSettled }),
  };
}
