/**
 * `GET /servers` and `GET /servers/status`: every server with its settings, state and last error,
 * polled so a poll's outcome shows without a reload.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { MailServerStatus, MailServerView } from './types.ts';

/** How often the list re-reads the state: the pollers run every 20-60 s (SRV-2). */
export const SERVER_STATUS_POLL_MS = 15_000;

export const serversKey = ['admin', 'servers'] as const;

/** One row: the server and its status (undefined for a server added since the status was read). */
export interface ServerRow {
  readonly server: MailServerView;
  readonly status?: MailServerStatus;
}

/** The servers with their status, by name. */
export async function fetchServers(): Promise<ServerRow[]> {
  const [{ servers }, status] = await Promise.all([api.get<{ servers: MailServerView[] }>('/servers'), api.get<{ servers: MailServerStatus[] }>('/servers/status')]);
  const byId = new Map(status.servers.map((s) => [s.id, s]));
  return servers.map((server) => ({ server, status: byId.get(server.id) }));
}

/** The server list, polled every {@link SERVER_STATUS_POLL_MS}. */
export function useServers() {
  return useQuery({ queryKey: serversKey, queryFn: fetchServers, refetchInterval: SERVER_STATUS_POLL_MS });
}

/** One server (`GET /servers/:id`), for the edit form; disabled without an id. */
export function useServer(id: string | undefined) {
  return useQuery({
    queryKey: [...serversKey, id ?? ''],
    queryFn: () => api.get<{ server: MailServerView }>(`/servers/${encodeURIComponent(id ?? '')}`).then((a) => a.server),
    enabled: id !== undefined,
    staleTime: Infinity,
  });
}
