/**
 * `GET /disposed`: disconnected (spam, virus) and set-aside (auto-replies, bounces, list mail) mail,
 * newest first, each with its disposition.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { SUPERVISOR_POLL_MS } from './poll.ts';
import type { DisposedView, Paged } from './types.ts';

/** One page of disposed mail after `cursor`. */
export function fetchDisposed(cursor?: string): Promise<{ interactions: DisposedView[] } & Paged> {
  return api.get('/disposed', { query: { cursor } });
}

/** The disposed page at `cursor`, polled. */
export function useDisposed(cursor?: string) {
  return useQuery({ queryKey: ['supervisor', 'disposed', cursor ?? ''], queryFn: () => fetchDisposed(cursor), refetchInterval: SUPERVISOR_POLL_MS });
}
