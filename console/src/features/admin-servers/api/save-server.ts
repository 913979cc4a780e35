/**
 * `POST /servers` (add) and `PATCH /servers/:id` (edit): an enabled server is tested on save and a
 * failing test answers 422 `mail-server-connection-failed` with "connection failed: <reason>";
 * the admin may then save it inactive (`onConnectionFailure: 'save-inactive'`, SRV-6).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { serversKey } from './servers.ts';
import type { SaveAnswer } from './types.ts';

/** The error code of a failed connection test on save. */
export const CONNECTION_FAILED = 'mail-server-connection-failed';

/** What one save sends: the body, the server to change (none to add), and what a failing test does. */
export interface SaveRequest {
  readonly id?: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly saveInactive?: boolean;
  /** An OAuth2 client secret or private key to store after the save (`PUT /servers/:id/oauth2/secret`). */
  readonly secret?: { readonly clientSecret?: string; readonly privateKey?: string };
}

/** Saves one server; then stores its OAuth2 secret when one was given. */
export async function saveServer(r: SaveRequest): Promise<SaveAnswer> {
  const body = { ...r.body, ...(r.saveInactive && { onConnectionFailure: 'save-inactive' }) };
  const answer = r.id ? await api.patch<SaveAnswer>(`/servers/${encodeURIComponent(r.id)}`, body) : await api.post<SaveAnswer>('/servers', body);
  if (r.secret) await api.put(`/servers/${encodeURIComponent(answer.server.id)}/oauth2/secret`, r.secret);
  return answer;
}

/** The save mutation; the list is re-read after it. */
export function useSaveServer() {
  const client = useQueryClient();
  return useMutation({ mutationFn: saveServer, onSuccess: () => client.invalidateQueries({ queryKey: serversKey }) });
}
