/**
 * The Postroom HTTP API as one Hono app: served by Lambdas behind API Gateway (IAM auth) and by the
 * local runtime, so both answer exactly the same way. {@link createApiApp} serves every route; the
 * agent-facing API Lambda serves {@link createAgentApiApp} (api-app.ts), which leaves out the flow
 * routes so that their RE2 validation (re2js, 150 KiB) is not in its bundle; API Gateway sends
 * `/flows` to a Lambda running this whole app (lambdas/handlers/flow-api.ts).
 */
import type { Hono } from 'hono';
import { createAgentApiApp } from './api-app.ts';
import type { ApiDeps } from './deps.ts';
import { flowRoutes } from './routes/flows.ts';
import { flowDryRunRoutes } from './routes/flow-dry-run.ts';


/** Every route of the API, flows included (the local runtime, the flow Lambda, tests). */
export function createApiApp(deps: ApiDeps): Hono {
  if (!deps.routingConfig) return createAgentApiApp(deps);
  // The dry run before `/flows/:id`, whose pattern would take `dry-run` as an id.
  const dryRun = deps.flowDryRun ? [flowDryRunRoutes(deps.routingConfig, deps.flowDryRun, deps)] : [];
  return createAgentApiApp(deps, [...dryRun, flowRoutes(deps.routingConfig, deps)]);
}
