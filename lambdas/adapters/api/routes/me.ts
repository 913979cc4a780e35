/**
 * `GET /me`: who the console is signed in as (issue 12), so it shows the pages of the caller's role
 * and, for an agent, its queues and work.
 */
import { Hono } from 'hono';
import type { ApiDeps } from '../deps.ts';
import { callerOf } from '../auth.ts';

/** `GET /me` -> `{ user: { username, role }, agent? }`; `agent` when an agent record has the user's name as its id. */
export function meRoutes(deps: Pick<ApiDeps, 'acd'>): Hono {
  const routes = new Hono();

  routes.get('/me', async (c) => {
    const caller = callerOf(c);
    // An IAM caller's id is an ARN, never an agent's.
    const agent = caller.kind === 'user' ? await deps.acd?.agents.get(caller.id) : undefined;
    return c.json({ user: { username: caller.id, role: caller.role }, ...(agent && { agent }) });
  });

  return routes;
}
