/**
 * Queue routes: the queues with their waiting counts, and one queue's interactions in score order.
 */
import { Hono } from 'hono';
import { NotFoundError } from '../../../core/errors.ts';
import { ERROR_REASONS } from '../../../core/error-reasons.ts';
import type { ApiDeps } from '../deps.ts';
import { idParams, pageQuery } from '../params.ts';
import { queueEntryView, queueView } from '../views.ts';
import { parseParams } from '../validation.ts';

/** `GET /queues` and `GET /queues/:id/interactions`. */
export function queueRoutes(deps: ApiDeps): Hono {
  const routes = new Hono();

  routes.get('/queues', async (c) => {
    // An agent sees its own queues only (auth.ts sets agentQueues for it); others see every queue.
    // `?for=transfer` lists every queue to anyone signed in: an agent transfers to a queue it does
    // not serve, and a queue's name and waiting count are no secret (its interactions stay narrowed).
    const mine = c.req.query('for') === 'transfer' ? undefined : c.get('agentQueues');
    const queues = (await deps.queues.list()).filter((q) => !mine || mine.includes(q.id));
    const counts = await Promise.all(queues.map((q) => deps.queues.countWaiting(q.id)));
    return c.json({ queues: queues.map((q, n) => queueView(q, counts[n] ?? 0)) });
  });

  routes.get('/queues/:id/interactions', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const { limit, cursor } = parseParams(pageQuery, c.req.query());
    if (!(await deps.queues.get(id))) throw new NotFoundError(ERROR_REASONS.queueNotFound, 'queue', id);
    const page = await deps.interactions.listWaiting(id, limit, cursor);
    const now = deps.now();
    return c.json({
      queueId: id,
      interactions: page.items.map((e) => queueEntryView(e, now)),
      ...(page.cursor !== undefined && { cursor: page.cursor }),
    });
  });

  return routes;
}
