/**
 * The supervisor's actions on interactions (issue 12 item 3): assign a waiting interaction to a
 * named agent, and route a quarantined false positive into a queue. Force-release is the agents'
 * `POST /interactions/:id/release` naming the holder (interaction-actions.ts), which names the
 * caller in the trail through {@link callerIdOf} as these do. Core (agents/supervision.ts)
 * decides; each change is one conditional write of the claims adapter.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { AcdDeps } from '../../../core/agents/ports.ts';
import { assignInteraction, rerouteQuarantined, type RerouteTarget } from '../../../core/agents/supervision.ts';
import { UnprocessableError } from '../../../core/errors.ts';
import { ERROR_REASONS } from '../../../core/error-reasons.ts';
import type { Interaction } from '../../../core/interaction.ts';
import type { AddressRouteStore } from '../../../core/routing/config-ports.ts';
import type { ApiDeps } from '../deps.ts';
import { idParams } from '../params.ts';
import { interactionView } from '../views.ts';
import { jsonBody, parseBody, parseParams } from '../validation.ts';
import { queueIdSchema } from './queue-schemas.ts';

const agentId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be an agent id'));
const assignBody = z.strictObject({ agentId });
const rerouteBody = z.strictObject({ queueId: z.optional(queueIdSchema) });

/** Recipients whose address route a re-route looks up: a message may list 50; ours are among the first few. */
export const MAX_REROUTE_ROUTE_LOOKUPS = 10;

/**
 * The verified caller's id, for trails that name who acted. The seam of the access layer: its
 * middleware sets the verified `caller` ({ id, role, kind }) on the request context before any
 * route runs; an API served without it (older wiring, some tests) names nobody (undefined).
 */
export function callerIdOf(c: Context): string | undefined {
  const caller = (c.var as Record<string, unknown>)['caller'] as { readonly id?: unknown } | undefined;
  return typeof caller?.id === 'string' ? caller.id : undefined;
}

/** `POST /interactions/:id/assign`, `POST /quarantine/:id/reroute`. */
export function supervisionRoutes(acd: AcdDeps, deps: Pick<ApiDeps, 'interactions' | 'queues' | 'now'> & { readonly addresses?: Pick<AddressRouteStore, 'get'> }): Hono {
  const routes = new Hono();
  const actionDeps = { interactions: deps.interactions, queues: deps.queues, claims: acd.claims, agents: acd.agents };

  routes.post('/interactions/:id/assign', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const body = parseBody(assignBody, await jsonBody(c.req));
    const now = deps.now();
    return c.json({ interaction: interactionView(await assignInteraction(actionDeps, id, body.agentId, now, callerIdOf(c)), now) });
  });

  routes.post('/quarantine/:id/reroute', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const body = parseBody(rerouteBody, await jsonBody(c.req));
    const now = deps.now();
    const choose = (i: Interaction) => rerouteTarget(i, body.queueId, deps.addresses);
    return c.json({ interaction: interactionView(await rerouteQuarantined(actionDeps, id, choose, now, callerIdOf(c)), now) });
  });

  return routes;
}

/**
 * The queue a re-routed interaction goes to: the one the request names, else the queue of the
 * first recipient's address route that routes to a queue (with its skills, language and
 * priority). A route through a flow cannot be followed without parsing the mail again, which the
 * quarantine may have refused for a reason, so then the request must name the queue (422).
 */
async function rerouteTarget(i: Interaction, queueId: string | undefined, addresses: Pick<AddressRouteStore, 'get'> | undefined): Promise<RerouteTarget> {
  const routes = [];
  for (const address of i.message.recipients.slice(0, MAX_REROUTE_ROUTE_LOOKUPS)) {
    const route = await addresses?.get(address.toLowerCase());
    if (route) routes.push(route);
  }
  const queued = routes.find((r) => r.routing.kind === 'queue');
  const routed = queued?.routing.kind === 'queue' ? queued.routing : undefined;
  if (queueId !== undefined) {
    const same = routed?.queueId === queueId ? routed : undefined;
    return { target: { kind: 'queue', queueId, skills: same?.skills ?? [], priority: same?.priority ?? 0, ...(same?.language !== undefined && { language: same.language }) }, source: 'queue given' };
  }
  if (queued && routed) return { target: routed, source: `address route ${queued.address}` };
  const why = routes.length ? `address route ${routes[0]!.address} routes through a flow` : 'no recipient has an address route to a queue';
  throw new UnprocessableError({ queueId: `is required: ${why}` }, {}, { queueId: ERROR_REASONS.rerouteQueueRequired });
}
