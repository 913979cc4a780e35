/**
 * Users (the people who sign in): `GET /users`, `POST /users` (answers the temporary password once
 * when none was given), `PATCH /users/:username { role?, enabled? }`, `DELETE /users/:username`,
 * `POST /users/:username/reset-password` (answers a new temporary password once).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { Role, User } from './types.ts';

export const usersKey = ['admin', 'users'] as const;

/** Every user. */
export function useUsers() {
  return useQuery({ queryKey: usersKey, queryFn: () => api.get<{ users: User[] }>('/users').then((a) => a.users) });
}

/** What adding a user sends. */
export interface UserInput {
  readonly username: string;
  readonly role: Role;
  readonly email?: string;
  readonly password?: string;
}

/** The user mutations; the list is re-read after each. */
export function useUserMutations() {
  const client = useQueryClient();
  const onSettled = () => client.invalidateQueries({ queryKey: usersKey });
  const path = (u: string) => `/users/${encodeURIComponent(u)}`;
  return {
    add: useMutation({ mutationFn: (input: UserInput) => api.post<{ user: User; temporaryPassword?: string }>('/users', input), onSettled }),
    update: useMutation({ mutationFn: (v: { username: string; role?: Role; enabled?: boolean }) => api.patch<{ user: User }>(path(v.username), { ...(v.role && { role: v.role }), ...(v.enabled !== undefined && { enabled: v.enabled }) }), onSettled }),
    resetPassword: useMutation({ mutationFn: (username: string) => api.post<{ user: User; temporaryPassword: string }>(`${path(username)}/reset-password`), onSettled }),
    remove: useMutation({ mutationFn: (username: string) => api.delete<void>(path(username)), onSettled }),
  };
}
