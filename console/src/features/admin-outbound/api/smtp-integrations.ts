/**
 * SMTP integrations (SPEC OUT-4, OUT-5): every SMTP server of the registry with its sending
 * settings and state (`GET /smtp-integrations`), and its rate or preset (`PUT /smtp-integrations/:id`).
 * The state resets when the server is saved with fixed credentials (the mail servers page).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

/**
 * The limits the page shows: the API's SMTP_INTEGRATION_LIMITS (lambdas/core/outbound/
 * smtp-integration.ts; test/unit/console/admin-limits.test.ts fails when they differ).
 */
export const SMTP_FORM_LIMITS = { maxIntegrations: 20, minMessagesPerMinute: 1, maxMessagesPerMinute: 1000 } as const;

export type SmtpPreset = 'microsoft365' | 'google-workspace' | 'custom';

/** The registry's server states, for an integration as a whole. */
export type SmtpIntegrationStatus = 'ok' | 'disabled' | 'error' | 'needs-reauth';

export interface SmtpIntegration {
  readonly serverId: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly senders: readonly string[];
  readonly role: 'agent' | 'template';
  /** The server's state joined with the sending state (lambdas/core/outbound/smtp-integration-status.ts): what the page shows. */
  readonly status: SmtpIntegrationStatus;
  /** Why it is not ok: the server's failed connection test, or the sender's failure (with its time). */
  readonly problem?: { readonly source: 'server' | 'sending'; readonly reason: string; readonly detail: string; readonly at?: string };
  readonly messagesPerMinute: number;
  readonly preset: SmtpPreset;
  readonly host: string;
  readonly port: number;
  readonly updatedAt: string;
}

export const smtpKey = ['admin', 'smtp-integrations'] as const;

/** Every integration. */
export function useSmtpIntegrations() {
  return useQuery({ queryKey: smtpKey, queryFn: () => api.get<{ integrations: SmtpIntegration[] }>('/smtp-integrations').then((a) => a.integrations) });
}

/** Sets an integration's rate (custom) or preset; re-reads the list. */
export function useUpdateSmtpIntegration() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; preset: SmtpPreset; messagesPerMinute?: number }) =>
      api.put<{ integration: SmtpIntegration }>(`/smtp-integrations/${encodeURIComponent(v.id)}`, { preset: v.preset, ...(v.preset === 'custom' && v.messagesPerMinute !== undefined && { messagesPerMinute: v.messagesPerMinute }) }),
    onSettled: () => client.invalidateQueries({ queryKey: smtpKey }),
  });
}
