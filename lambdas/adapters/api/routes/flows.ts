/**
 * Flows: `PUT` stores a new version (never changes an old one), `GET` reads the current or any
 * version and the history, `DELETE` removes a flow no address routes to. The definition's shape is
 * checked here; its rules (limits, patterns, queues) by core's flow validation.
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { ConflictError, NotFoundError } from '../../../core/errors.ts';
import { referencedFlows } from '../../../core/routing/address-route-rules.ts';
import { FLOW_LIMITS, type FlowVersion } from '../../../core/routing/flow.ts';
import { assertValidFlow } from '../../../core/routing/flow-validation.ts';
import type { ApiDeps, RoutingConfigDeps } from '../deps.ts';
import { asFlowDefinition, flowBody } from './routing-schemas.ts';
import { jsonBody, parseBody, parseParams } from '../validation.ts';

const flowParams = z.object({
  id: z.string().check(z.regex(new RegExp(`^[A-Za-z0-9._:-]{1,${FLOW_LIMITS.maxIdChars}}$`), `must be 1-${FLOW_LIMITS.maxIdChars} letters, digits, '.', '_', ':' or '-'`)),
});
const versionQuery = z.object({
  version: z.optional(z.pipe(z.string().check(z.regex(/^[1-9]\d{0,8}$/, 'must be a version number (1, 2, ...)')), z.transform(Number))),
});

/** `PUT|GET|DELETE /flows/:id`, `GET /flows`, `GET /flows/:id/versions`. */
export function flowRoutes(config: RoutingConfigDeps, deps: Pick<ApiDeps, 'queues' | 'now'>): Hono {
  const routes = new Hono();

  routes.put('/flows/:id', async (c) => {
    const { id } = parseParams(flowParams, c.req.param());
    const definition = asFlowDefinition(parseBody(flowBody, await jsonBody(c.req)));
    const [queues, templates] = await Promise.all([deps.queues.list(), config.templates.list()]);
    assertValidFlow(definition, { queues: new Set(queues.map((q) => q.id)), templates: new Set(templates.map((t) => t.id)) });
    const stored = await config.flows.put(id, definition, deps.now());
    return c.json({ flow: flowView(stored) }, stored.version === 1 ? 201 : 200);
  });

  routes.get('/flows', async (c) => c.json({ flows: await config.flows.list() }));

  routes.get('/flows/:id', async (c) => {
    const { id } = parseParams(flowParams, c.req.param());
    const { version } = parseParams(versionQuery, c.req.query());
    const stored = await config.flows.getVersion(id, version);
    if (!stored) throw new NotFoundError('flow', version === undefined ? id : `${id} version ${version}`);
    return c.json({ flow: flowView(stored) });
  });

  routes.get('/flows/:id/versions', async (c) => {
    const { id } = parseParams(flowParams, c.req.param());
    const versions = await config.flows.listVersions(id);
    if (versions.length === 0) throw new NotFoundError('flow', id);
    return c.json({
      id,
      versions: versions.map((v) => ({ version: v.version, name: v.definition.name, rules: v.definition.rules.length, createdAt: v.createdAt })),
    });
  });

  routes.delete('/flows/:id', async (c) => {
    const { id } = parseParams(flowParams, c.req.param());
    const users = (await config.addresses.list()).filter((r) => referencedFlows(r).includes(id)).map((r) => r.address);
    if (users.length) throw new ConflictError(`flow ${id} is in use by address ${users.join(', ')}`, undefined, 'flow-in-use');
    if (!(await config.flows.delete(id))) throw new NotFoundError('flow', id);
    return c.body(null, 204);
  });

  return routes;
}

/** One version as the API shows it: id, version, when, and the definition's fields. */
function flowView(v: FlowVersion) {
  return { id: v.id, version: v.version, createdAt: v.createdAt, ...v.definition };
}
