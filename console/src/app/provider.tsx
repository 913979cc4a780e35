/**
 * The providers every page relies on: react-query (server state, polling, retries), the signed-in
 * session, toasts and the confirmation of destructive actions. Languages are provided outside, so
 * the start screens speak them too.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ConfirmProvider, ToastProvider } from '../components/ui/index.ts';
import { ApiError } from '../lib/api-client.ts';
import { AuthProvider } from '../lib/auth/index.tsx';
import type { ConsoleConfig } from '../lib/config.ts';
import { useCommonT } from '../lib/i18n/index.tsx';

/** Retrying a 4xx repeats a refusal; only network failures and 5xx are retried, twice. */
const MAX_QUERY_RETRIES = 2;

/** A query client that does not retry what the API refused. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, error) => count < MAX_QUERY_RETRIES && !(error instanceof ApiError && error.status < 500),
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}

/** Wraps the app in its providers. */
export function AppProvider({ config, children }: { readonly config: ConsoleConfig; readonly children: ReactNode }) {
  const [client] = useState(createQueryClient);
  const t = useCommonT();
  return (
    <QueryClientProvider client={client}>
      <AuthProvider config={config}>
        <ToastProvider dismissLabel={t('app.dismiss')}>
          <ConfirmProvider cancelLabel={t('app.cancel')}>{children}</ConfirmProvider>
        </ToastProvider>
      </AuthProvider>
    </QueryClientProvider>
  );
}
