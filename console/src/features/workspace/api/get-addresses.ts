/** GET /addresses: the address routes, to show what a reply is sent as (From, fixed BCC count). */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { AddressRouteView } from './types.ts';

/** The address routes (read once per minute at most). */
export function useAddresses() {
  return useQuery({
    queryKey: ['workspace', 'addresses'],
    queryFn: async () => (await api.get<{ addresses: AddressRouteView[] }>('/addresses')).addresses,
    staleTime: 60_000,
  });
}
