/**
 * Opens an authenticated IMAP session with a registered server through imapflow (issue 10 items
 * 2, 3, 5): implicit TLS or STARTTLS as the server's settings say, SNI and certificate checks,
 * Basic (LOGIN / AUTH PLAIN) or SASL XOAUTH2, never COMPRESS=DEFLATE when the admin disabled it.
 * The connection test and the IMAP poller both open their sessions here.
 */
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { MailCredentials } from '../../core/mailboxes/connection.ts';
import type { MailServer } from '../../core/mailboxes/server.ts';
import { classifyConnectionError } from './connection-errors.ts';
import { endpointOf } from './mail-endpoint.ts';
import type { ConnectOptions } from './session-types.ts';

/**
 * Largest IMAP literal (one message's source in a FETCH) imapflow accepts, in bytes: 64 MiB, as for
 * POP3 (pop3-client.ts MAX_POP3_MESSAGE_BYTES); imapflow's own default of 1 GB would let one
 * hostile answer exhaust the Lambda's memory.
 */
export const MAX_IMAP_LITERAL_BYTES = 67_108_864;

/**
 * The imapflow options for `server`: `secure` = implicit TLS; on a plain port imapflow upgrades
 * with STARTTLS when offered, and `doSTARTTLS: true` refuses to go on without it when
 * `requireStartTls`. SNI = `sniServerName`, else the host (none for an IP); CAs = the system's
 * plus `options.ca`. `logger: false`: imapflow masks LOGIN and AUTHENTICATE secrets in its own
 * log (checked in 2.10.2), but its default pino logger writes connections and commands to stdout
 * beside our structured logs, and `logRaw` would write the raw bytes, secrets included. No
 * auto-IDLE: the pollers poll and log out. Timeouts @default 30 s (connection, greeting, socket inactivity).
 */
export function imapFlowOptions(server: MailServer, credentials: MailCredentials, options: ConnectOptions = {}): ImapFlowOptions {
  const { host, port, servername, ca, timeoutMs } = endpointOf(server, options);
  return {
    host,
    port,
    secure: server.tls,
    ...(!server.tls && server.requireStartTls && { doSTARTTLS: true }),
    ...(servername !== undefined && { servername }),
    tls: { ...(ca && { ca }), ...(servername !== undefined && { servername }) },
    auth: credentials.kind === 'oauth2' ? { user: credentials.user, accessToken: credentials.accessToken } : { user: credentials.user, pass: credentials.password },
    disableCompression: server.disableCompression,
    disableAutoIdle: true,
    logger: false,
    emitLogs: false,
    maxLiteralSize: MAX_IMAP_LITERAL_BYTES,
    maxResponseSize: MAX_IMAP_LITERAL_BYTES * 2,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs * 2,
  };
}

/**
 * An authenticated IMAP session with `server` ({@link imapFlowOptions}); the caller selects the
 * folder and must `logout()` (or `close()`) it in a `finally`.
 * @throws MailConnectionError (dns, tcp, timeout, tls-certificate, tls, starttls-unavailable, authentication, protocol)
 */
export async function connectImap(server: MailServer, credentials: MailCredentials, options: ConnectOptions = {}): Promise<ImapFlow> {
  const settings = imapFlowOptions(server, credentials, options);
  const client = new ImapFlow(settings);
  // imapflow emits 'error' as well as rejecting the pending command; without a listener that
  // event would crash the process. The command's rejection is what the caller handles.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (err) {
    client.close();
    throw classifyConnectionError(err, { host: server.host, port: server.port, credentials, timeoutMs: settings.connectionTimeout });
  }
}
