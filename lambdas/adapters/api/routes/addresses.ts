/**
 * E-mail address routes (ADR-1..3): create, list, show, replace and delete. The body's shape is
 * checked here (routing-schemas.ts); the rules that need the rest of the configuration (domains,
 * configured addresses, queues, flows) are core's, fed with what this route loads.
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { output } from 'zod/v4/core';
import { ConflictError, NotFoundError } from '../../../core/errors.ts';
import { ERROR_REASONS } from '../../../core/error-reasons.ts';
import {
  assertValidAddressRoute,
  normalizeAddressRoute,
  type AddressRouteContext,
  type AddressRouteInput,
} from '../../../core/routing/address-route-rules.ts';
import type { EmailAddressRoute } from '../../../core/routing/model.ts';
import { hasRole } from '../../../core/access/caller.ts';
import { callerOf } from '../auth.ts';
import type { ApiDeps, RoutingConfigDeps } from '../deps.ts';
import { addressCreateBody, addressUpdateBody } from './routing-schemas.ts';
import { jsonBody, parseBody, parseParams } from '../validation.ts';

const addressParams = z.object({
  address: z.pipe(
    z.string().check(z.minLength(3, 'must be an e-mail address'), z.maxLength(254, 'must be an e-mail address')),
    z.transform((a) => a.trim().toLowerCase()),
  ),
});

/** `POST /addresses`, `GET /addresses`, `GET|PUT|DELETE /addresses/:address`. */
export function addressRoutes(config: RoutingConfigDeps, deps: Pick<ApiDeps, 'queues' | 'now'>): Hono {
  const routes = new Hono();

  /** What core's rules check a route against; `self` is left out of the configured addresses on update. */
  const context = async (): Promise<AddressRouteContext> => {
    const [addresses, queues, flows, domains] = await Promise.all([
      config.addresses.list(),
      deps.queues.list(),
      config.flows.list(),
      config.servedDomains.list(),
    ]);
    return {
      domains,
      configuredAddresses: new Set(addresses.map((a) => a.address)),
      queues: new Set(queues.map((q) => q.id)),
      flows: new Set(flows.map((f) => f.id)),
    };
  };

  routes.post('/addresses', async (c) => {
    const body = parseBody(addressCreateBody, await jsonBody(c.req));
    const input = normalizeAddressRoute(toInput(body.address, body));
    assertValidAddressRoute(input, await context());
    const now = deps.now().toISOString();
    const route: EmailAddressRoute = { ...input, createdAt: now, updatedAt: now };
    if ((await config.addresses.create(route)) === 'exists') throw new ConflictError(ERROR_REASONS.addressExists, `address ${input.address} already has a route`);
    return c.json({ address: route }, 201);
  });

  routes.get('/addresses', async (c) => {
    const stored = await config.addresses.list();
    // The fixed BCC is sent to, never shown to agents (seed 001): only an admin, who configures it, reads it.
    if (hasRole(callerOf(c), 'admin')) return c.json({ addresses: stored });
    return c.json({ addresses: stored.map(({ bcc: _hidden, ...shown }) => shown) });
  });

  routes.get('/addresses/:address', async (c) => {
    const { address } = parseParams(addressParams, c.req.param());
    const route = await config.addresses.get(address);
    if (!route) throw new NotFoundError(ERROR_REASONS.addressNotFound, 'address', address);
    return c.json({ address: route });
  });

  routes.put('/addresses/:address', async (c) => {
    const { address } = parseParams(addressParams, c.req.param());
    const body = parseBody(addressUpdateBody, await jsonBody(c.req));
    const existing = await config.addresses.get(address);
    if (!existing) throw new NotFoundError(ERROR_REASONS.addressNotFound, 'address', address);
    const input = normalizeAddressRoute(toInput(address, body));
    assertValidAddressRoute(input, await context());
    const route: EmailAddressRoute = { ...input, createdAt: existing.createdAt, updatedAt: deps.now().toISOString() };
    const outcome = await config.addresses.update(route, existing.updatedAt);
    if (outcome === 'missing') throw new NotFoundError(ERROR_REASONS.addressNotFound, 'address', address);
    if (outcome === 'conflict') throw new ConflictError(ERROR_REASONS.addressChanged, `address ${address} was changed meanwhile; read it again and retry`);
    return c.json({ address: route });
  });

  routes.delete('/addresses/:address', async (c) => {
    const { address } = parseParams(addressParams, c.req.param());
    const users = (await config.addresses.list()).filter((r) => r.address !== address && r.fromAddress === address).map((r) => r.address);
    if (users.length) throw new ConflictError(ERROR_REASONS.addressInUse, `address ${address} is the from address of ${users.join(', ')}`);
    if (!(await config.addresses.delete(address))) throw new NotFoundError(ERROR_REASONS.addressNotFound, 'address', address);
    return c.body(null, 204);
  });

  return routes;
}

/** The route input of a parsed body; the from address defaults to the address itself. */
function toInput(address: string, body: output<typeof addressUpdateBody>): AddressRouteInput {
  return {
    address,
    fromName: body.fromName,
    fromAddress: body.fromAddress ?? address,
    ...(body.replyTo !== undefined && { replyTo: body.replyTo }),
    bcc: body.bcc,
    routing: body.routing,
    ...(body.spamRouting !== undefined && { spamRouting: body.spamRouting }),
  };
}
