import { describe, expect, it } from 'vitest';
import { actingAgentId, mayActOnInteraction, mayReadInteraction } from '../../../../lambdas/core/access/agent-scope.ts';
import type { Caller } from '../../../../lambdas/core/access/caller.ts';
import { ForbiddenError } from '../../../../lambdas/core/errors.ts';
import { routeParams, routePolicy } from '../../../../lambdas/core/access/route-policy.ts';

const ada: Caller = { id: 'ada', role: 'agent', kind: 'user' };
const sam: Caller = { id: 'sam', role: 'supervisor', kind: 'user' };
const iam: Caller = { id: 'arn:aws:iam::1:user/x', role: 'admin', kind: 'iam' };

describe('what an agent may reach', () => {
  it('reads an interaction of its queues or one it holds, nothing else', () => {
    expect(mayReadInteraction('ada', ['billing'], { queueId: 'billing' })).toBe(true);
    expect(mayReadInteraction('ada', [], { queueId: 'sales', agentId: 'ada' })).toBe(true);
    expect(mayReadInteraction('ada', ['billing'], { queueId: 'sales' })).toBe(false);
    expect(mayReadInteraction('ada', ['billing'], {})).toBe(false);
  });

  it('acts only on its own claims, not on waiting interactions of its queues', () => {
    expect(mayActOnInteraction('ada', { agentId: 'ada' })).toBe(true);
    expect(mayActOnInteraction('ada', { agentId: 'bob' })).toBe(false);
    expect(mayActOnInteraction('ada', {})).toBe(false);
  });

  it('acts as the agent the body names only when it is the agent itself, or the caller is a supervisor or admin', () => {
    expect(actingAgentId(ada, undefined)).toBe('ada');
    expect(actingAgentId(ada, 'ada')).toBe('ada');
    expect(() => actingAgentId(ada, 'bob')).toThrow(ForbiddenError);
    expect(actingAgentId(sam, 'bob')).toBe('bob');
    expect(actingAgentId(iam, 'bob')).toBe('bob');
    expect(actingAgentId(iam, undefined)).toBeUndefined();
  });
});

describe('route policy', () => {
  it('reads a route pattern\'s parameters from a path, as sent', () => {
    expect(routeParams('/agents/:id/next', '/agents/%61da/next')).toEqual({ id: '%61da' });
    expect(routeParams('/interactions/:id/attachments/:n', '/interactions/i-1/attachments/2')).toEqual({ id: 'i-1', n: '2' });
    expect(routeParams('/agents/:id/next', '/agents/ada/interactions')).toBeUndefined();
    expect(routeParams('/agents/:id', '/agents/ada/next')).toBeUndefined();
  });

  it('finds a policy by method and pattern, and none for a route not in the table', () => {
    expect(routePolicy('get', '/queues')).toEqual({ role: 'agent', agentScope: 'queue-list' });
    expect(routePolicy('PUT', '/flows/:id')).toEqual({ role: 'admin' });
    expect(routePolicy('POST', '/nowhere')).toBeUndefined();
  });
});
