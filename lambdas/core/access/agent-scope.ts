/**
 * What an agent may reach (issue 12): interactions of its queues and its claims, its own queues,
 * itself. Supervisors and admins reach everything; these rules narrow only the `agent` role. The
 * API's edge applies them (adapters/api/agent-scope.ts) with the agent record and the interaction
 * it reads; the rules themselves read nothing.
 */
import { ERROR_REASONS } from '../error-reasons.ts';
import { ForbiddenError } from '../errors.ts';
import type { Interaction } from '../interaction.ts';
import { hasRole, type Caller } from './caller.ts';

/** Whether `caller` is narrowed to its own work: an agent, not a supervisor or admin. */
export function isScopedToOwnWork(caller: Caller): boolean {
  return !hasRole(caller, 'supervisor');
}

/** Whether agent `agentId`, taking work from `queues`, may read `interaction`: it holds (held) it, or it is in one of its queues. */
export function mayReadInteraction(agentId: string, queues: readonly string[], interaction: Pick<Interaction, 'agentId' | 'queueId'>): boolean {
  if (interaction.agentId === agentId) return true;
  return interaction.queueId !== undefined && queues.includes(interaction.queueId);
}

/**
 * Whether agent `agentId` may act on `interaction` (release, close, transfer, reply): only on its
 * claims. The state machine answers the rest (409 when one it held is no longer claimed); a
 * waiting interaction is moved or assigned by a supervisor, not taken sideways by an agent.
 */
export function mayActOnInteraction(agentId: string, interaction: Pick<Interaction, 'agentId'>): boolean {
  return interaction.agentId === agentId;
}

/**
 * The agent a request acts as. `named` (the body's `agentId`) is taken from a supervisor or admin
 * as is (assigning, force-releasing, the CLI acting for an agent); an agent may name only itself.
 * Without `named`, a signed-in user acts as itself; an IAM caller is no agent, so undefined.
 * @throws ForbiddenError (`auth.role-required`) an agent naming another agent
 */
export function actingAgentId(caller: Caller, named: string | undefined): string | undefined {
  if (named !== undefined) {
    if (isScopedToOwnWork(caller) && named !== caller.id) {
      throw new ForbiddenError(ERROR_REASONS.authRoleRequired, `agent ${caller.id} may act only as itself, not as ${named}`);
    }
    return named;
  }
  return caller.kind === 'user' ? caller.id : undefined;
}
