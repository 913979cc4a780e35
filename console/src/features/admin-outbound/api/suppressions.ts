/**
 * Suppressions (issue 11 item 4): recipients the outbox refuses (hard bounces, complaints, added by
 * hand), newest first (`GET /suppressions`), an admin's suppression of an address
 * (`POST /suppressions`), and the lift of one (`DELETE /suppressions/:address`).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export interface Suppression {
  readonly address: string;
  readonly reason: 'bounce' | 'complaint' | 'manual';
  readonly detail: string;
  readonly at: string;
  readonly outboxId?: string;
  /** Who added a `manual` one. */
  readonly addedBy?: string;
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

/** Suppresses `address` by hand with an optional note; `created` is false when it was suppressed already. Re-reads the list. */
export function useAddSuppression() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { address: string; note?: string }) => api.post<{ suppression: Suppression; created: boolean }>('/suppressions', { address: v.address, ...(v.note && { note: v.note }) }),
    onSettled: () => client.invalidateQueries({ queryKey: suppressionsKey }),
  });
}
