/**
 * What an inbound server's routing may name (SRV-4): the address routes (`GET /addresses`) and the
 * flows (`GET /flows`), for the form's pickers.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

/** The configured addresses and flow ids. */
export async function fetchRoutingOptions(): Promise<{ addresses: string[]; flows: string[] }> {
  const [a, f] = await Promise.all([api.get<{ addresses: { address: string }[] }>('/addresses'), api.get<{ flows: { id: string }[] }>('/flows')]);
  return { addresses: a.addresses.map((r) => r.address), flows: f.flows.map((r) => r.id) };
}

/** The routing options, read once per form. */
export function useRoutingOptions() {
  return useQuery({ queryKey: ['admin', 'servers', 'routing-options'], queryFn: fetchRoutingOptions, staleTime: 60_000 });
}
