/**
 * What an agent does with an interaction it holds: release it to its queue (wait time kept),
 * transfer it to another queue, close it. 409 with field messages when its state does not allow
 * the action (core transitions.ts decides).
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { closeInteraction, releaseInteraction, transferInteraction } from '../../../core/agents/actions.ts';
import type { AcdDeps } from '../../../core/agents/ports.ts';
import { ATTRIBUTE_MESSAGES } from '../../../core/routing/attributes.ts';
import { MAX_PRIORITY, MIN_PRIORITY } from '../../../core/score.ts';
import { actingAgentId } from '../../../core/access/agent-scope.ts';
import { actingAgent, callerOf } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { idParams } from '../params.ts';
import { interactionView } from '../views.ts';
import { queueIdSchema } from './queue-schemas.ts';
import { callerIdOf } from './supervision.ts';
import { jsonBody, parseBody, parseParams } from '../validation.ts';

/**
 * The agent who holds the interaction. Absent: the signed-in user acting as itself (an IAM caller
 * must name one); an agent may name only itself (auth.ts actingAgent).
 */
const agentId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be an agent id'));
const agentBody = z.strictObject({ agentId: z.optional(agentId) });
const transferBody = z.strictObject({
  queueId: queueIdSchema,
  priority: z.optional(
    z.int({ error: ATTRIBUTE_MESSAGES.priority }).check(z.gte(MIN_PRIORITY, ATTRIBUTE_MESSAGES.priority), z.lte(MAX_PRIORITY, ATTRIBUTE_MESSAGES.priority)),
  ),
  agentId: z.optional(agentId),
});

/** `POST /interactions/:id/release|transfer|close`. */
export function interactionActionRoutes(acd: AcdDeps, deps: Pick<ApiDeps, 'interactions' | 'queues' | 'now'>): Hono {
  const routes = new Hono();
  const actionDeps = { interactions: deps.interactions, queues: deps.queues, claims: acd.claims };

  routes.post('/interactions/:id/release', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const agent = actingAgent(c, parseBody(agentBody, await jsonBody(c.req)).agentId);
    const now = deps.now();
    // The caller may be a supervisor releasing an absent agent's claim: the trail then says so.
    return c.json({ interaction: interactionView(await releaseInteraction(actionDeps, id, agent, now, callerIdOf(c)), now) });
  });

  routes.post('/interactions/:id/transfer', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const { agentId: named, ...target } = parseBody(transferBody, await jsonBody(c.req));
    // A waiting interaction needs no agent: an IAM caller (a supervisor's CLI) may move it without one.
    const agent = actingAgentId(callerOf(c), named);
    const now = deps.now();
    return c.json({ interaction: interactionView(await transferInteraction(actionDeps, id, { ...target, ...(agent !== undefined && { agentId: agent }) }, now), now) });
  });

  routes.post('/interactions/:id/close', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const agent = actingAgent(c, parseBody(agentBody, await jsonBody(c.req)).agentId);
    const now = deps.now();
    return c.json({ interaction: interactionView(await closeInteraction(actionDeps, id, agent, now), now) });
  });

  return routes;
}
