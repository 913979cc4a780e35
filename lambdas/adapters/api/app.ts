/**
 * The Postroom HTTP API as one Hono app: served by a Lambda behind API Gateway (IAM auth) and by
 * the local runtime, so both answer exactly the same way. Read-only for now: queues, their
 * interactions in score order, one interaction, and the quarantine.
 */
import { Hono } from 'hono';
import type { InteractionStore, QueueStore } from '../../core/ports.ts';
import { consoleLog, errorResponse, routeNotFound, type ApiLog } from './errors.ts';
import { interactionRoutes } from './routes/interactions.ts';
import { quarantineRoutes } from './routes/quarantine.ts';
import { queueRoutes } from './routes/queues.ts';

/** What the API reads from; the stores are core's ports, so any backend serves. */
export interface ApiDeps {
  readonly interactions: InteractionStore;
  readonly queues: QueueStore;
  /** The clock live scores and ages are computed with. */
  readonly now: () => Date;
  /** Where unexpected failures are logged in full; defaults to a JSON line on stderr. */
  readonly log?: ApiLog;
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
  app.notFound(routeNotFound);
  app.onError((err, c) => errorResponse(err, c, log));
  return app;
}
