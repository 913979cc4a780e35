/**
 * Who the signed-in user is (GET /me) and what the console shows them. The API enforces every role
 * server-side; the console only hides what a role may not use, so nobody is offered a page that
 * would answer 403.
 */
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ROLES, type Role } from '../../../contract/console.ts';
import { api } from './api-client.ts';

export type { Role };

/** The agent record of a user who is an agent (id == username); the fields the console reads. */
export interface MeAgent {
  readonly id: string;
  readonly name?: string;
  readonly queues: readonly string[];
  readonly skills?: readonly string[];
  readonly languages?: readonly string[];
}

/** GET /me's answer. */
export interface Me {
  readonly user: { readonly username: string; readonly role: Role };
  readonly agent?: MeAgent;
}

/** The query of GET /me (read once; a role change shows at the next sign-in). */
export const meQuery = {
  queryKey: ['me'] as const,
  queryFn: () => api.get<Me>('/me'),
  staleTime: Infinity,
};

/** True when `role` includes `required` (admin > supervisor > agent). */
export function hasRole(role: Role | undefined, required: Role): boolean {
  return role !== undefined && ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** The signed-in caller: username, role and agent record, once GET /me answered. */
export function useCaller(): { readonly me: Me | undefined; readonly isLoading: boolean; readonly error: unknown } {
  const q = useQuery(meQuery);
  return { me: q.data, isLoading: q.isLoading, error: q.error };
}

/**
 * Renders `children` only for a caller with at least `role`; otherwise `fallback` (nothing by
 * default). Pages use it with a "not allowed" fallback, menus with none.
 */
export function RequireRole({ role, children, fallback = null }: { readonly role: Role; readonly children: ReactNode; readonly fallback?: ReactNode }) {
  const { me } = useCaller();
  return <>{hasRole(me?.user.role, role) ? children : fallback}</>;
}
