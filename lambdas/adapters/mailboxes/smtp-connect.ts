/**
 * SMTP sessions with a registered outbound server through nodemailer (issue 10 item 2; the
 * outbound issue sends through {@link createSmtpTransport}): implicit TLS (RFC 8314) or STARTTLS,
 * required when the settings say so, SNI and certificate checks, AUTH PLAIN/LOGIN or XOAUTH2.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { MailCredentials } from '../../core/mailboxes/connection.ts';
import type { MailServer } from '../../core/mailboxes/server.ts';
import { classifyConnectionError } from './connection-errors.ts';
import { endpointOf } from './mail-endpoint.ts';
import type { ConnectOptions } from './session-types.ts';

/**
 * Sessions one pooled transport keeps open to a server: Microsoft 365 allows 3 concurrent SMTP
 * AUTH sessions per mailbox before it answers 432 "concurrent connections limit exceeded"; Gmail
 * and most hosters tolerate more, but 3 is enough for a contact center's agent replies.
 */
export const MAX_SMTP_POOL_CONNECTIONS = 3;

/**
 * Messages sent over one session before it is replaced: nodemailer's default, and below the 100
 * messages per connection several hosters enforce (they drop the session after it).
 */
export const MAX_SMTP_MESSAGES_PER_CONNECTION = 100;

/** The pool settings of {@link createSmtpTransport}, for the outbound issue to read or override. */
export const SMTP_POOL_OPTIONS = {
  pool: true,
  maxConnections: MAX_SMTP_POOL_CONNECTIONS,
  maxMessages: MAX_SMTP_MESSAGES_PER_CONNECTION,
} as const;

/**
 * nodemailer's SMTP options for `server`: `secure` = implicit TLS; on a plain port nodemailer
 * upgrades with STARTTLS when offered, and `requireTLS` fails the session without it when
 * `requireStartTls`. SNI = `sniServerName`, else the host (none for an IP); CAs = the system's plus
 * `options.ca`. XOAUTH2 with the access token alone (the CredentialSource refreshes it, nodemailer
 * must not). Logging off: nodemailer's debug log prints the AUTH exchange. Timeouts @default 30 s.
 */
export function smtpTransportOptions(server: MailServer, credentials: MailCredentials, options: ConnectOptions = {}): SMTPTransport.Options {
  const { host, port, servername, ca, timeoutMs } = endpointOf(server, options);
  return {
    host,
    port,
    secure: server.tls,
    requireTLS: !server.tls && server.requireStartTls,
    ...(servername !== undefined && { servername }),
    tls: { ...(ca && { ca }), ...(servername !== undefined && { servername }) },
    auth: credentials.kind === 'oauth2'
      ? { type: 'OAuth2', user: credentials.user, accessToken: credentials.accessToken }
      : { type: 'login', user: credentials.user, pass: credentials.password },
    logger: false,
    debug: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs * 2,
    dnsTimeout: timeoutMs,
  };
}

/**
 * A nodemailer transport for sending through `server`: pooled ({@link SMTP_POOL_OPTIONS}) unless
 * `pool: false`. The caller closes it. Send failures are nodemailer errors; pass them to
 * `classifyConnectionError` for words. @default pool true
 */
export function createSmtpTransport(
  server: MailServer,
  credentials: MailCredentials,
  options: ConnectOptions & { readonly pool?: boolean } = {},
): Transporter<SMTPTransport.SentMessageInfo> | Transporter<SMTPPool.SentMessageInfo> {
  const settings = smtpTransportOptions(server, credentials, options);
  if (options.pool === false) return nodemailer.createTransport(settings);
  return nodemailer.createTransport({ ...settings, ...SMTP_POOL_OPTIONS } as SMTPPool.Options);
}

/**
 * Connects to `server` once: greeting, EHLO, STARTTLS or implicit TLS, AUTH; then QUIT (SRV-6's
 * "EHLO+AUTH" connection test). Sends nothing.
 * @throws MailConnectionError (dns, tcp, timeout, tls-certificate, tls, starttls-unavailable, authentication, protocol)
 */
export async function verifySmtp(server: MailServer, credentials: MailCredentials, options: ConnectOptions = {}): Promise<void> {
  const transport = nodemailer.createTransport(smtpTransportOptions(server, credentials, options));
  try {
    await transport.verify();
  } catch (err) {
    throw classifyConnectionError(err, { host: server.host, port: server.port, credentials, timeoutMs: options.timeoutMs });
  } finally {
    // The session must end even when verify failed half-way, or its socket keeps the Lambda busy.
    transport.close();
  }
}
