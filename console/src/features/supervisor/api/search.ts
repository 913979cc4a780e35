/**
 * `GET /interactions?q=&state=`: search by sender address, reference token or subject words across
 * open and closed interactions, a page at a time (the API says how far back it looked).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { InteractionView } from './types.ts';

/** Which interactions a search covers. */
export const SEARCH_STATES = ['open', 'closed', 'all'] as const;
export type SearchState = (typeof SEARCH_STATES)[number];

/** How far a search looked: what it matched by, the days a subject search covered, and the API's note. */
export interface SearchCoverage {
  readonly by: 'sender' | 'token' | 'subject';
  readonly from?: string;
  readonly to?: string;
  readonly note?: string;
}

/** What a search answers. */
export interface SearchPage {
  readonly interactions: readonly InteractionView[];
  readonly cursor?: string;
  readonly searched?: SearchCoverage;
}

/** One page of results for `q` in `state`, after `cursor`. */
export function searchInteractions(q: string, state: SearchState, cursor?: string): Promise<SearchPage> {
  return api.get<SearchPage>('/interactions', { query: { q, state, cursor } });
}

/** The search while `q` is not blank; the previous page stays shown while the next loads. */
export function useSearch(q: string, state: SearchState, cursor?: string) {
  return useQuery({
    queryKey: ['supervisor', 'search', q, state, cursor ?? ''],
    queryFn: () => searchInteractions(q, state, cursor),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}
