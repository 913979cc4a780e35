/**
 * Who may call which route of the HTTP API (issue 12, "who may do what"): each route, as its method
 * and Hono pattern, with the weakest role allowed and, for agents, the data the route is narrowed
 * to. The API refuses a route that is not in this table (adapters/api/auth.ts), and a unit test
 * lists every route the app registers and fails when one is missing here: a new route is closed
 * until someone decides who may call it.
 */
import type { Role } from './caller.ts';

/**
 * What an agent (not a supervisor or admin: they see everything) may reach through a route:
 * - `own-agent`: the route's `:id` is the agent itself
 * - `own-queue`: the route's `:id` is one of the agent's queues
 * - `queue-list`: the list shows the agent's queues only
 * - `interaction-read`: the interaction `:id` is in one of the agent's queues or claimed by it
 * - `interaction-act`: the interaction `:id` is claimed by the agent (core's state machine decides the rest)
 * - `outbox-interaction`: the query names an interaction (`?interaction=`) the agent may read
 */
export type AgentScope = 'own-agent' | 'own-queue' | 'queue-list' | 'interaction-read' | 'interaction-act' | 'outbox-interaction';

/** A route's policy: open to anyone, or the weakest role allowed, narrowed for agents by `agentScope`. */
export type RoutePolicy = { readonly open: true } | { readonly open?: false; readonly role: Role; readonly agentScope?: AgentScope };

const OPEN: RoutePolicy = { open: true };
const AGENT: RoutePolicy = { role: 'agent' };
const SUPERVISOR: RoutePolicy = { role: 'supervisor' };
const ADMIN: RoutePolicy = { role: 'admin' };
const agent = (agentScope: AgentScope): RoutePolicy => ({ role: 'agent', agentScope });

/**
 * Every route by `METHOD /pattern`. Routes whose body names an agent (`agentId`: release, close,
 * transfer, reply, send) check it themselves: an agent may name only itself (agent-scope.ts).
 */
export const ROUTE_POLICIES: Readonly<Record<string, RoutePolicy>> = {
  // Open: the health check, and the OAuth2 callback (its consent state is the proof: a one-time, expiring value).
  'GET /health': OPEN,
  'GET /oauth2/callback': OPEN,

  // The agent's own work
  'GET /me': AGENT,
  'GET /queues': agent('queue-list'),
  'GET /queues/:id/interactions': agent('own-queue'),
  'GET /agents/:id': agent('own-agent'),
  'POST /agents/:id/next': agent('own-agent'),
  'GET /agents/:id/interactions': agent('own-agent'),
  'GET /interactions/:id': agent('interaction-read'),
  'GET /interactions/:id/content': agent('interaction-read'),
  'GET /interactions/:id/attachments': agent('interaction-read'),
  'GET /interactions/:id/attachments/:n': agent('interaction-read'),
  'GET /interactions/:id/attachments/:n/download': agent('interaction-read'),
  'GET /interactions/:id/raw': agent('interaction-read'),
  'GET /interactions/:id/raw/download': agent('interaction-read'),
  'POST /interactions/:id/release': agent('interaction-act'),
  'POST /interactions/:id/close': agent('interaction-act'),
  'POST /interactions/:id/transfer': agent('interaction-act'),
  'POST /interactions/:id/reply': agent('interaction-act'),
  'POST /uploads': AGENT,
  'POST /send': AGENT,
  'GET /templates': AGENT,
  'GET /addresses': AGENT,
  'GET /outbox': agent('outbox-interaction'),

  // Supervisors: every queue and agent, assignment, search, what was set aside
  'GET /agents': SUPERVISOR,
  'POST /interactions/:id/assign': SUPERVISOR,
  'GET /interactions': SUPERVISOR,
  'GET /quarantine': SUPERVISOR,
  'GET /disposed': SUPERVISOR,
  'POST /quarantine/:id/reroute': SUPERVISOR,
  'GET /dead-letters': SUPERVISOR,
  'GET /dead-letters/:id': SUPERVISOR,
  'POST /dead-letters/redrive': SUPERVISOR,
  'POST /dead-letters/:id/redrive': SUPERVISOR,
  'GET /outbox/:id': SUPERVISOR,
  'GET /suppressions': SUPERVISOR,
  'GET /servers/status': SUPERVISOR,
  'GET /smtp-integrations': SUPERVISOR,
  'GET /smtp-integrations/:id': SUPERVISOR,

  // Admins: configuration
  'POST /outbox/:id/resend': ADMIN,
  'POST /queues': ADMIN,
  'DELETE /queues/:id': ADMIN,
  'POST /agents': ADMIN,
  'PUT /agents/:id': ADMIN,
  'DELETE /agents/:id': ADMIN,
  'GET /users': ADMIN,
  'POST /users': ADMIN,
  'PATCH /users/:username': ADMIN,
  'DELETE /users/:username': ADMIN,
  'POST /users/:username/reset-password': ADMIN,
  'POST /addresses': ADMIN,
  'GET /addresses/:address': ADMIN,
  'PUT /addresses/:address': ADMIN,
  'DELETE /addresses/:address': ADMIN,
  'GET /flows': ADMIN,
  'GET /flows/:id': ADMIN,
  'GET /flows/:id/versions': ADMIN,
  'PUT /flows/:id': ADMIN,
  'DELETE /flows/:id': ADMIN,
  'POST /flows/dry-run': ADMIN,
  'GET /templates/:id': ADMIN,
  'PUT /templates/:id': ADMIN,
  'DELETE /templates/:id': ADMIN,
  'GET /domains': ADMIN,
  'POST /domains': ADMIN,
  'GET /domains/:name': ADMIN,
  'DELETE /domains/:name': ADMIN,
  'GET /domains/:name/records': ADMIN,
  'POST /domains/:name/check': ADMIN,
  'GET /servers': ADMIN,
  'POST /servers': ADMIN,
  'GET /servers/:id': ADMIN,
  'PATCH /servers/:id': ADMIN,
  'DELETE /servers/:id': ADMIN,
  'POST /servers/:id/duplicate': ADMIN,
  'POST /servers/:id/test': ADMIN,
  'POST /servers/:id/oauth2/consent': ADMIN,
  'PUT /servers/:id/oauth2/secret': ADMIN,
  'PUT /smtp-integrations/:id': ADMIN,
  'DELETE /suppressions/:address': ADMIN,
};

/** The policy of the route `pattern` (as registered, `/interactions/:id`) for `method`; undefined when none is set. */
export function routePolicy(method: string, pattern: string): RoutePolicy | undefined {
  return ROUTE_POLICIES[`${method.toUpperCase()} ${pattern}`];
}

/**
 * The parameters of `path` under `pattern` (`/agents/:id/next` and `/agents/ada/next` give
 * `{ id: 'ada' }`), as sent: not percent-decoded; undefined when the path does not have the
 * pattern's shape. Why here: the access check runs before the route, so it reads the route's
 * parameters itself. Why not decoded: every id the API takes is a plain token, so an encoded
 * segment can only fail the check (closed), never pass as another value than the route reads.
 */
export function routeParams(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment.startsWith(':')) params[segment.slice(1)] = have[i]!;
    else if (segment !== have[i]) return undefined;
  }
  return params;
}
