/**
 * Quarantine routes: what was set aside, newest first, each with its reason.
 */
import { Hono } from 'hono';
import type { ApiDeps } from '../deps.ts';
import { pageQuery } from '../params.ts';
import { disposedView, quarantineView } from '../views.ts';
import { parseParams } from '../validation.ts';

/** `GET /quarantine` and `GET /disposed` (disconnected spam/virus mail, set-aside automatic mail). */
export function quarantineRoutes(deps: ApiDeps): Hono {
  const routes = new Hono();

  routes.get('/quarantine', async (c) => {
    const { limit, cursor } = parseParams(pageQuery, c.req.query());
    const page = await deps.interactions.listQuarantined(limit, cursor);
    return c.json({
      interactions: page.items.map(quarantineView),
      ...(page.cursor !== undefined && { cursor: page.cursor }),
    });
  });

  routes.get('/disposed', async (c) => {
    const { limit, cursor } = parseParams(pageQuery, c.req.query());
    const page = await deps.interactions.listDisposed(limit, cursor);
    return c.json({
      interactions: page.items.map(disposedView),
      ...(page.cursor !== undefined && { cursor: page.cursor }),
    });
  });

  return routes;
}
