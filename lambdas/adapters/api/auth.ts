/**
 * Authorization of every request to the API (issue 12 item 1), the first middleware of the app:
 * 1. the route the request reaches is looked up in core's route policy table; an open route
 *    (`GET /health`, `GET /oauth2/callback`) passes without credentials;
 * 2. the caller is resolved from the request's credentials (`deps.callers`: a bearer token, or the
 *    IAM principal API Gateway verified, read from the Lambda event and never from a header);
 * 3. a route missing from the table is refused, and so is a caller whose role is too weak;
 * 4. an agent is narrowed to its own work (agent-scope.ts).
 * Routes read the verified caller with {@link callerOf}; an agent id in a body is checked with
 * {@link actingAgent}.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { actingAgentId, isScopedToOwnWork } from '../../core/access/agent-scope.ts';
import { hasRole, type Caller, type Credentials } from '../../core/access/caller.ts';
import { routeParams, routePolicy } from '../../core/access/route-policy.ts';
import { FIELD_ERROR_CODES } from '../../core/error-codes.ts';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import { ForbiddenError, ValidationError } from '../../core/errors.ts';
import { enforceAgentScope, type AgentScopeDeps } from './agent-scope.ts';
import type { ApiDeps } from './deps.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The verified caller, set by {@link authorization} on every route that is not open. */
    caller: Caller;
    /** For an agent narrowed to its own work on a route that lists queues: the queues it takes work from. */
    agentQueues: readonly string[];
  }
}

/** The part of the Lambda event (payload 2.0) that carries the IAM principal API Gateway verified. */
interface LambdaBindings {
  readonly event?: { readonly requestContext?: { readonly authorizer?: { readonly iam?: { readonly userArn?: unknown } } } };
}

/** The middleware; see the module comment. */
export function authorization(deps: Pick<ApiDeps, 'callers'> & AgentScopeDeps): MiddlewareHandler {
  return async (c, next) => {
    // The route that will answer: the first one registered for this method and path (Hono runs them in order).
    const endpoint = matchedRoutes(c).find((r) => r.method !== 'ALL');
    const policy = endpoint && routePolicy(endpoint.method, endpoint.path);
    if (policy?.open) return next();
    const caller = await deps.callers.resolve(credentialsOf(c));
    c.set('caller', caller);
    // No route: the not-found handler answers 404 or 405, to a known caller only.
    if (!endpoint) return next();
    if (!policy) throw new ForbiddenError(ERROR_REASONS.authRoleRequired, `${endpoint.method} ${endpoint.path} has no access policy, so nobody may call it`);
    if (!hasRole(caller, policy.role)) throw new ForbiddenError(ERROR_REASONS.authRoleRequired, `${endpoint.method} ${endpoint.path} needs the ${policy.role} role; ${caller.id} is ${caller.role}`);
    if (policy.agentScope && isScopedToOwnWork(caller)) {
      await enforceAgentScope(c, policy.agentScope, routeParams(endpoint.path, c.req.path) ?? {}, caller, deps);
    }
    return next();
  };
}

/** What the request offers as proof: its Authorization header, and the IAM principal of the Lambda event (deployed only). */
export function credentialsOf(c: Context): Credentials {
  const authorization = c.req.header('authorization');
  const arn = (c.env as LambdaBindings | undefined)?.event?.requestContext?.authorizer?.iam?.userArn;
  return { ...(authorization !== undefined && { authorization }), ...(typeof arn === 'string' && arn !== '' && { iamPrincipalArn: arn }) };
}

/** The verified caller of the request. @throws Error when the route runs outside {@link authorization} (a wiring bug) */
export function callerOf(c: Context): Caller {
  const caller = c.get('caller');
  if (!caller) throw new Error(`no verified caller on ${c.req.method} ${c.req.path}: the authorization middleware is not in front of it`);
  return caller;
}

/**
 * The agent the request acts as: the body's `agentId` (an agent may name only itself), else the
 * signed-in user. @throws ForbiddenError an agent naming another; ValidationError (`agentId` is
 * required) an IAM caller naming none
 */
export function actingAgent(c: Context, named: string | undefined): string {
  const agentId = actingAgentId(callerOf(c), named);
  if (agentId === undefined) throw new ValidationError({ agentId: 'is required' }, { agentId: FIELD_ERROR_CODES.required });
  return agentId;
}
