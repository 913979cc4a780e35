/**
 * E-mail address routes: `GET /addresses`, `POST /addresses` (add), `PUT /addresses/:address`
 * (replace), `DELETE /addresses/:address`, plus the queues and flows a route may name.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

/**
 * The limits the form shows: the API's ADDRESS_LIMITS and MAX_ADDRESS_BCC
 * (lambdas/core/routing; test/unit/console/admin-limits.test.ts fails when they differ).
 */
export const ADDRESS_FORM_LIMITS = { maxAddressChars: 254, maxFromNameChars: 200, maxBcc: 5 } as const;

export type AddressRouting =
  | { readonly kind: 'queue'; readonly queueId: string; readonly skills: readonly string[]; readonly language?: string; readonly priority: number }
  | { readonly kind: 'flow'; readonly flowId: string }
  | { readonly kind: 'none' };

export interface AddressRoute {
  readonly address: string;
  readonly fromName: string;
  readonly fromAddress: string;
  readonly replyTo?: string;
  readonly bcc: readonly string[];
  readonly routing: AddressRouting;
  readonly spamRouting?: { readonly kind: 'flow'; readonly flowId: string } | { readonly kind: 'disconnect' };
  readonly updatedAt: string;
}

/** The body of an add or replace (the address in the body only when adding). */
export type AddressInput = Omit<AddressRoute, 'updatedAt'>;

export const addressesKey = ['admin', 'addresses'] as const;

/** Every address route. */
export function useAddresses() {
  return useQuery({ queryKey: addressesKey, queryFn: () => api.get<{ addresses: AddressRoute[] }>('/addresses').then((a) => a.addresses) });
}

/** The queue and flow ids a route may name. */
export function useRouteTargets() {
  return useQuery({
    queryKey: ['admin', 'addresses', 'targets'],
    queryFn: async () => {
      const [q, f] = await Promise.all([api.get<{ queues: { id: string; name: string }[] }>('/queues'), api.get<{ flows: { id: string; name: string }[] }>('/flows')]);
      return { queues: q.queues, flows: f.flows };
    },
  });
}

/** The address mutations; the list is re-read after each. */
export function useAddressMutations() {
  const client = useQueryClient();
  const onSettled = () => client.invalidateQueries({ queryKey: addressesKey });
  const path = (a: string) => `/addresses/${encodeURIComponent(a)}`;
  return {
    save: useMutation({
      mutationFn: (v: { input: AddressInput; editing: boolean }) => {
        const { address, ...rest } = v.input;
        return v.editing ? api.put<{ address: AddressRoute }>(path(address), rest) : api.post<{ address: AddressRoute }>('/addresses', v.input);
      },
      onSettled,
    }),
    remove: useMutation({ mutationFn: (address: string) => api.delete<void>(path(address)), onSettled }),
  };
}
