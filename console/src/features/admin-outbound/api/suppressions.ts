/**
 * Suppressions (issue 11 item 4): recipients the outbox refuses (hard bounces, complaints), newest
 * first (`GET /suppressions`), and an admin's lift of one (`DELETE /suppressions/:address`).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export interface Suppression {
  readonly address: string;
  readonly reason: 'bounce' | 'complaint' | 'manual';
  readonly detail: string;
  readonly at: string;
  readonly outboxId?: string;
}

export const suppressionsKey = ['admin', 'suppressions'] as const;

/** One page of suppressions after `cursor`. */
export function useSuppressions(cursor?: string) {
  return useQuery({ queryKey: [...suppressionsKey, cursor ?? ''], queryFn: () => api.get<{ suppressions: Suppression[]; cursor?: string }>('/suppressions', { query: { cursor } }) });
}

/** Lifts the suppression of `address`; re-reads the list. */
export function useLiftSuppression() {
  const client = useQueryClient();
  return useMutation({ mutationFn: (address: string) => api.delete<void>(`/suppressions/${encodeURIComponent(address)}`), onSettled: () => client.invalidateQueries({ queryKey: suppressionsKey }) });
}
