/**
 * In-memory stand-ins for the outbound ports whose real adapters other parts provide (the SQS
 * notifier, the suppression store, the sending-domain check, the SMTP integration directory), for
 * the API and CLI tests of sending: each records what it was asked, so a test can assert on it.
 */
import type { OutboundNotifier, SendingDomainCheck, SmtpIntegration, SmtpIntegrationDirectory, Suppression, SuppressionList } from '../../lambdas/core/outbound/outbound-ports.ts';

/** A notifier that remembers every id it was told about, in order. */
export function recordingNotifier(): OutboundNotifier & { readonly notified: string[] } {
  const notified: string[] = [];
  return { notified, notify: async (ids) => void notified.push(...ids) };
}

/** A suppression list over a map (lower-case addresses). */
export function memorySuppressions(initial: readonly Suppression[] = []): SuppressionList {
  const all = new Map(initial.map((s) => [s.address.toLowerCase(), s]));
  return {
    find: async (addresses) => addresses.map((a) => all.get(a.toLowerCase())).filter((s): s is Suppression => s !== undefined),
    add: async (s) => void all.set(s.address.toLowerCase(), s),
    remove: async (a) => (all.delete(a.toLowerCase()) ? 'removed' : 'missing'),
    list: async () => ({ suppressions: [...all.values()] }),
  };
}

/** Domains verified for sending in SES: exactly these (lower-case). */
export function verifiedDomains(domains: readonly string[]): SendingDomainCheck {
  return { isVerifiedForSending: async (domain) => domains.includes(domain.toLowerCase()) };
}

/** A fixed list of SMTP integrations. */
export function fixedIntegrations(integrations: readonly SmtpIntegration[] = []): SmtpIntegrationDirectory {
  return { list: async () => [...integrations], setError: async () => undefined };
}
