/**
 * The Postroom HTTP API as one Hono app: served by a Lambda behind API Gateway (IAM auth) and by
 * the local runtime, so both answer exactly the same way. Read-only for now: queues, their
 * interactions in score order, one interaction, and the quarantine.
 */
import { Hono } from 'hono';
import type { AcdDeps } from '../../core/agents/ports.ts';
import type { InteractionStore, QueueStore } from '../../core/ports.ts';
import type { ConversationReader } from '../../core/routing/ingest-ports.ts';
import type { AddressRouteStore, FlowStore } from '../../core/routing/config-ports.ts';
import type { TemplateStore } from '../../core/routing/ack-template.ts';
import { consoleLog, errorResponse, routeNotFound, type ApiLog } from './errors.ts';
import { addressRoutes } from './routes/addresses.ts';
import { agentRoutes } from './routes/agents.ts';
import { deadLetterRoutes, type DeadLetterApiDeps } from './routes/dead-letters.ts';
import { interactionActionRoutes } from './routes/interaction-actions.ts';
import { queueAdminRoutes } from './routes/queue-admin.ts';
import { flowRoutes } from './routes/flows.ts';
import { templateRoutes } from './routes/templates.ts';
import { interactionRoutes } from './routes/interactions.ts';
import { quarantineRoutes } from './routes/quarantine.ts';
import { queueRoutes } from './routes/queues.ts';

/** What the API reads from; the stores are core's ports, so any backend serves. */
export interface ApiDeps {
  readonly interactions: InteractionStore;
  /** Replies attached to interactions; without it interactions are shown without them. */
  readonly conversations?: ConversationReader;
  readonly queues: QueueStore;
  /** The clock live scores and ages are computed with. */
  readonly now: () => Date;
  /** Where unexpected failures are logged in full; defaults to a JSON line on stderr. */
  readonly log?: ApiLog;
  /** Routing configuration (address routes, flows); without it those routes are not served. */
  readonly routingConfig?: RoutingConfigDeps;
  /** Agents, queue administration and claims (`next`, release, transfer, close); without it those routes are not served. */
  readonly acd?: AcdDeps;
  /** Dead letters of the inbound path (list, show, redrive); without it those routes are not served. */
  readonly deadLetters?: DeadLetterApiDeps;
}

/** The stores and facts the address, flow and template routes need. */
export interface RoutingConfigDeps {
  readonly addresses: AddressRouteStore;
  readonly flows: FlowStore;
  /** Stored auto-acknowledgement templates that flows name by id. */
  readonly templates: TemplateStore;
  /** The organisation's mail domains (RECIPIENT_DOMAINS): addresses must be on one of them. */
  readonly domains: readonly string[];
}

/**
 * Builds the API app over the given stores. Why injected stores and clock: the Lambda, the local
 * runtime and the tests wire different backends and times into the very same routes.
 */
export function createApiApp(deps: ApiDeps): Hono {
  const log = deps.log ?? consoleLog;
  const app = new Hono();
  app.get('/health', (c) => c.json({ ok: true }));
  app.route('/', queueRoutes(deps));
  app.route('/', interactionRoutes(deps));
  app.route('/', quarantineRoutes(deps));
  if (deps.routingConfig) app.route('/', addressRoutes(deps.routingConfig, deps));
  if (deps.routingConfig) app.route('/', flowRoutes(deps.routingConfig, deps));
  if (deps.routingConfig) app.route('/', templateRoutes(deps.routingConfig, deps));
  if (deps.acd) app.route('/', queueAdminRoutes(deps.acd, deps));
  if (deps.acd) app.route('/', agentRoutes(deps.acd, deps));
  if (deps.acd) app.route('/', interactionActionRoutes(deps.acd, deps));
  if (deps.deadLetters) app.route('/', deadLetterRoutes(deps.deadLetters));
  app.notFound(routeNotFound);
  app.onError((err, c) => errorResponse(err, c, log));
  return app;
}
