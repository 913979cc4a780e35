/**
 * The list's actions on one server: test the connection (`POST /servers/:id/test`), duplicate
 * (`POST /servers/:id/duplicate { name }`), delete, make it the template server or an agent server
 * (`PATCH /servers/:id { role }`, SRV-8), and start the OAuth2 consent (`POST /servers/:id/oauth2/consent`
 * -> the URL the admin opens). Each re-reads the list when it settles.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { serversKey } from './servers.ts';
import type { MailServerView, SaveAnswer, TestView } from './types.ts';

const path = (id: string) => `/servers/${encodeURIComponent(id)}`;

/** Tests server `id` with its stored settings; the outcome is recorded as its state. */
export function testServer(id: string): Promise<{ server: MailServerView; test: TestView }> {
  return api.post(`${path(id)}/test`, {});
}

/** A copy of server `id` named `name` (saved disabled). */
export function duplicateServer(id: string, name: string): Promise<{ server: MailServerView }> {
  return api.post(`${path(id)}/duplicate`, { name });
}

/** Deletes server `id` (and its secret). */
export function deleteServer(id: string): Promise<void> {
  return api.delete(path(id));
}

/** Sets server `id`'s role; an enabled server is tested again on save. */
export function setServerRole(id: string, role: 'agent' | 'template'): Promise<SaveAnswer> {
  return api.patch(path(id), { role });
}

/** The consent URL for server `id` (authorization-code OAuth2), valid until `expiresAt`. */
export function startConsent(id: string): Promise<{ url: string; expiresAt: string }> {
  return api.post(`${path(id)}/oauth2/consent`, {});
}

/** A mutation over `fn` that re-reads the list when it settles. */
function useServerMutation<V, R>(fn: (v: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => client.invalidateQueries({ queryKey: serversKey }) });
}

/** The list's mutations. */
export function useServerActions() {
  return {
    test: useServerMutation((id: string) => testServer(id)),
    duplicate: useServerMutation((v: { id: string; name: string }) => duplicateServer(v.id, v.name)),
    remove: useServerMutation((id: string) => deleteServer(id)),
    role: useServerMutation((v: { id: string; role: 'agent' | 'template' }) => setServerRole(v.id, v.role)),
    consent: useServerMutation((id: string) => startConsent(id)),
  };
}
