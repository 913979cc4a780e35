/**
 * `GET /interactions?q=&state=&limit=&cursor=`: a supervisor's search across open and closed
 * interactions by sender address, reference token or subject words (core/search.ts says what each
 * kind reads and why it is bounded). The answer's `searched` says how far the search looked, so an
 * empty page is never read as "no such mail ever came".
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { SEARCH_LIMITS, searchInteractions } from '../../../core/search.ts';
import { MAX_CURSOR_CHARS } from '../../dynamodb/item-codec.ts';
import type { ApiDeps, SearchApiDeps } from '../deps.ts';
import { interactionView } from '../views.ts';
import { parseParams } from '../validation.ts';

/** A search page holds fewer than a listing: each result is read whole. */
export const SEARCH_PAGE_LIMITS = { defaultPageSize: 20, maxPageSize: 50 } as const;

const searchQuery = z.object({
  q: z.string().check(z.trim(), z.minLength(1, 'is required: a sender address, a reference token or words of the subject'), z.maxLength(SEARCH_LIMITS.maxQueryChars, `must be at most ${SEARCH_LIMITS.maxQueryChars} characters`)),
  state: z._default(z.enum(['open', 'closed', 'all'], 'must be open, closed or all'), 'all'),
  limit: z._default(
    z.pipe(z.string().check(z.regex(/^\d{1,3}$/)), z.pipe(z.transform(Number), z.int().check(z.gte(1), z.lte(SEARCH_PAGE_LIMITS.maxPageSize)))),
    SEARCH_PAGE_LIMITS.defaultPageSize,
  ),
  // The subject search's cursor carries a day offset before the index cursor: `3` or `3.<cursor>`.
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_CURSOR_CHARS + 4), z.regex(/^[A-Za-z0-9_.-]+$/))),
});

/** `GET /interactions` (the search); served when the API has a search index. */
export function searchRoutes(search: SearchApiDeps, deps: Pick<ApiDeps, 'interactions' | 'now'>): Hono {
  const routes = new Hono();

  routes.get('/interactions', async (c) => {
    const { q, state, limit, cursor } = parseParams(searchQuery, c.req.query());
    const result = await searchInteractions({ ...search, interactions: deps.interactions, now: deps.now }, q, { state, limit, ...(cursor !== undefined && { cursor }) });
    const now = deps.now();
    return c.json({
      interactions: result.items.map((i) => interactionView(i, now)),
      ...(result.cursor !== undefined && { cursor: result.cursor }),
      searched: result.searched,
    });
  });

  return routes;
}
