/**
 * Narrows an agent to its own work before the route runs (core/access/agent-scope.ts's rules over
 * the agent record and the interaction named): interactions of its queues and its claims, its own
 * queues, itself. Supervisors and admins never come here (auth.ts).
 */
import type { Context } from 'hono';
import { mayActOnInteraction, mayReadInteraction } from '../../core/access/agent-scope.ts';
import type { Caller } from '../../core/access/caller.ts';
import type { AgentScope } from '../../core/access/route-policy.ts';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import { ForbiddenError } from '../../core/errors.ts';
import type { ApiDeps } from './deps.ts';
import { idParams } from './params.ts';
import { parseParams } from './validation.ts';

/** What the checks read: the interaction named, and the agent record (its queues). */
export type AgentScopeDeps = Pick<ApiDeps, 'interactions' | 'acd'>;

/**
 * Refuses the request when `scope` does not allow it for `caller`, an agent; `params` are the
 * route's path parameters. For `queue-list` it sets `agentQueues` for the route to filter by.
 * An interaction that does not exist passes, so the route answers its 404.
 * @throws ForbiddenError `auth.role-required` (another agent), `auth.not-your-queue`, `auth.not-your-interaction`
 */
export async function enforceAgentScope(c: Context, scope: AgentScope, params: Readonly<Record<string, string>>, caller: Caller, deps: AgentScopeDeps): Promise<void> {
  if (scope === 'own-agent') {
    if (params.id !== caller.id) throw new ForbiddenError(ERROR_REASONS.authRoleRequired, `agent ${caller.id} may reach only itself, not agent ${params.id}`);
    return;
  }
  // An agent without a record (a user not yet added as an agent) takes work from no queue.
  const queues = (await deps.acd?.agents.get(caller.id))?.queues ?? [];
  switch (scope) {
    case 'queue-list':
      c.set('agentQueues', queues);
      return;
    case 'own-queue':
      if (!queues.includes(params.id ?? '')) throw new ForbiddenError(ERROR_REASONS.authNotYourQueue, `queue ${params.id} is not one of agent ${caller.id}'s queues`);
      return;
    case 'interaction-read':
    case 'interaction-act': {
      const { id } = parseParams(idParams, { id: params.id });
      const interaction = await deps.interactions.get(id);
      if (!interaction) return;
      const may = scope === 'interaction-read' ? mayReadInteraction(caller.id, queues, interaction) : mayActOnInteraction(caller.id, interaction);
      if (!may) throw notYours(id, caller);
      return;
    }
    case 'outbox-interaction': {
      const named = c.req.query('interaction');
      if (named === undefined) throw new ForbiddenError(ERROR_REASONS.authRoleRequired, 'an agent lists the outbox of one interaction it may read: ?interaction=<id>');
      const { id } = parseParams(idParams, { id: named });
      const interaction = await deps.interactions.get(id);
      if (!interaction || !mayReadInteraction(caller.id, queues, interaction)) throw notYours(id, caller);
      return;
    }
  }
}

function notYours(id: string, caller: Caller): ForbiddenError {
  return new ForbiddenError(ERROR_REASONS.authNotYourInteraction, `interaction ${id} is neither in agent ${caller.id}'s queues nor claimed by it`);
}
