/**
 * Mail server factories shared by the registry's tests: valid settings of each type, built the way
 * an admin writes them, with fixed defaults a test overrides where its assertion depends on them.
 */
import type { MailServerContext, MailServerInput } from '../../lambdas/core/mailboxes/server-rules.ts';
import { newMailServer, type MailServer, type MailServerSettings } from '../../lambdas/core/mailboxes/server.ts';

/** An enabled IMAP server with Basic authentication, routed to the flow `triage`. */
export function imapServerInput(over: Partial<MailServerInput> = {}): MailServerInput {
  return {
    type: 'imap',
    name: 'Support mailbox',
    host: 'imap.example.com',
    user: 'support@example.com',
    password: 'correct horse battery staple',
    routing: { kind: 'flow', flowId: 'triage' },
    enabled: true,
    ...over,
  };
}

/** An enabled SMTP agent server whose user is its sender address. */
export function smtpServerInput(over: Partial<MailServerInput> = {}): MailServerInput {
  return {
    type: 'smtp',
    name: 'Outbound',
    host: 'smtp.example.com',
    user: 'support@example.com',
    password: 'correct horse battery staple',
    enabled: true,
    ...over,
  };
}

/** A context where the address route `support@example.com` and the flow `triage` exist and no server is the template server. */
export function mailServerContext(over: Partial<MailServerContext> = {}): MailServerContext {
  return { addresses: new Set(['support@example.com']), flows: new Set(['triage']), ...over };
}

/** Stored settings of an IMAP server (no password: that lives in the secret store). */
export function imapServerSettings(over: Partial<MailServerSettings> = {}): MailServerSettings {
  return {
    type: 'imap',
    name: 'Support mailbox',
    description: '',
    host: 'imap.example.com',
    port: 993,
    tls: true,
    requireStartTls: false,
    authType: 'basic',
    user: 'support@example.com',
    imapFolder: 'INBOX',
    disableCompression: false,
    routing: { kind: 'flow', flowId: 'triage' },
    additionalSenders: [],
    role: 'agent',
    enabled: true,
    ...over,
  };
}

/** A stored server record of {@link imapServerSettings}, with a secret reference, created at 2026-11-23T09:00:00Z. */
export function mailServerRecord(over: Partial<MailServer> = {}): MailServer {
  return { ...newMailServer(imapServerSettings(), 'srv-1', '2026-11-23T09:00:00.000Z', 'postroom/mail-servers/srv-1'), ...over };
}
