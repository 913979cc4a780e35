/**
 * `GET /dead-letters?state=dead` (what exhausted its retries, newest first, with its reason) and
 * `POST /dead-letters/:id/redrive` (once the cause is fixed, the message goes back to the inbound queue).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { SUPERVISOR_POLL_MS } from './poll.ts';
import type { DeadLetterSummary, Paged } from './types.ts';

export const deadLettersKey = ['supervisor', 'dead-letters'] as const;

/** One page of dead letters still dead, after `cursor`. */
export function fetchDeadLetters(cursor?: string): Promise<{ deadLetters: DeadLetterSummary[] } & Paged> {
  return api.get('/dead-letters', { query: { state: 'dead', cursor } });
}

/** The dead letters at `cursor`, polled. */
export function useDeadLetters(cursor?: string) {
  return useQuery({ queryKey: [...deadLettersKey, cursor ?? ''], queryFn: () => fetchDeadLetters(cursor), refetchInterval: SUPERVISOR_POLL_MS });
}

/** Redrives dead letter `id`. */
export async function redriveDeadLetter(id: string): Promise<DeadLetterSummary> {
  const { deadLetter } = await api.post<{ deadLetter: DeadLetterSummary }>(`/dead-letters/${encodeURIComponent(id)}/redrive`, {});
  return deadLetter;
}

/** The redrive mutation; refreshes the list when it settles. */
export function useRedrive() {
  const client = useQueryClient();
  return useMutation({ mutationFn: redriveDeadLetter, onSettled: () => client.invalidateQueries({ queryKey: deadLettersKey }) });
}
