/**
 * GET /interactions/:id/content: the whole text and the sanitized HTML, remote images blocked
 * unless `images` is 'remote' (the agent pressed "Show remote images").
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { InteractionContent } from './types.ts';

/** Reads the content; `images` @default 'blocked' */
export function getContent(id: string, images: 'blocked' | 'remote' = 'blocked'): Promise<InteractionContent> {
  return api.get<InteractionContent>(`/interactions/${encodeURIComponent(id)}/content`, { query: { images } });
}

/** The query of the content (it never changes: cached for the session; shared with Next's prefetch). */
export const contentQuery = (id: string, images: 'blocked' | 'remote') => ({
  queryKey: ['workspace', 'content', id, images] as const,
  queryFn: () => getContent(id, images),
  staleTime: Infinity,
});

/** The content of one interaction. */
export function useContent(id: string, images: 'blocked' | 'remote') {
  return useQuery(contentQuery(id, images));
}
