/**
 * The API app without the flow routes, over the given stores, plus `extraRoutes`. Why injected
 * stores and clock: the Lambdas, the local runtime and the tests wire different backends and times
 * into the very same routes. Why flows apart: see app.ts.
 */
import { Hono } from 'hono';
import { authorization } from './auth.ts';
import type { ApiDeps } from './deps.ts';
import { consoleLog, errorResponse } from './errors.ts';
import { jsonRequestRules, methodNotAllowed } from './request-rules.ts';
import { addressRoutes } from './routes/addresses.ts';
import { agentRoutes } from './routes/agents.ts';
import { deadLetterRoutes } from './routes/dead-letters.ts';
import { domainRoutes } from './routes/domains.ts';
import { interactionActionRoutes } from './routes/interaction-actions.ts';
import { interactionContentRoutes } from './routes/interaction-content.ts';
import { interactionRoutes } from './routes/interactions.ts';
import { meRoutes } from './routes/me.ts';
import { quarantineRoutes } from './routes/quarantine.ts';
import { oauth2Routes } from './routes/oauth2.ts';
import { outboundRoutes } from './routes/outbound.ts';
import { serverRoutes } from './routes/servers.ts';
import { suppressionRoutes } from './routes/suppressions.ts';
import { smtpIntegrationRoutes } from './routes/smtp-integrations.ts';
import { queueAdminRoutes } from './routes/queue-admin.ts';
import { queueRoutes } from './routes/queues.ts';
import { templateRoutes } from './routes/templates.ts';
import { userRoutes } from './routes/users.ts';
import { supervisionRoutes } from './routes/supervision.ts';
import { searchRoutes } from './routes/search.ts';

export function createAgentApiApp(deps: ApiDeps, extraRoutes: readonly Hono[] = []): Hono {
  const log = deps.log ?? consoleLog;
  const app = new Hono();
  // First: nothing else runs for a caller who may not call the route (auth.ts, core/access/route-policy.ts).
  app.use(authorization(deps));
  app.use(jsonRequestRules());
  app.get('/health', (c) => c.json({ ok: true }));
  app.route('/', meRoutes(deps));
  app.route('/', queueRoutes(deps));
  app.route('/', interactionRoutes(deps));
  app.route('/', quarantineRoutes(deps));
  if (deps.search) app.route('/', searchRoutes(deps.search, deps));
  if (deps.routingConfig) app.route('/', addressRoutes(deps.routingConfig, deps));
  if (deps.routingConfig) app.route('/', templateRoutes(deps.routingConfig, deps));
  if (deps.acd) app.route('/', queueAdminRoutes(deps.acd, deps));
  if (deps.acd) app.route('/', agentRoutes(deps.acd, deps));
  if (deps.acd) app.route('/', interactionActionRoutes(deps.acd, deps));
  if (deps.acd) app.route('/', supervisionRoutes(deps.acd, { ...deps, ...(deps.routingConfig && { addresses: deps.routingConfig.addresses }) }));
  if (deps.content) app.route('/', interactionContentRoutes(deps, deps.content));
  if (deps.deadLetters) app.route('/', deadLetterRoutes(deps.deadLetters));
  if (deps.domains) app.route('/', domainRoutes(deps.domains));
  if (deps.mailServers) app.route('/', serverRoutes(deps.mailServers));
  if (deps.oauth2) app.route('/', oauth2Routes(deps.oauth2));
  if (deps.suppressions) app.route('/', suppressionRoutes(deps.suppressions, deps));
  if (deps.smtpIntegrations) app.route('/', smtpIntegrationRoutes(deps.smtpIntegrations));
  if (deps.users) app.route('/', userRoutes(deps.users));
  if (deps.outbound && deps.routingConfig) app.route('/', outboundRoutes(deps.outbound, deps.routingConfig, deps));
  for (const routes of extraRoutes) app.route('/', routes);
  app.notFound(methodNotAllowed(app));
  app.onError((err, c) => errorResponse(err, c, log));
  return app;
}
