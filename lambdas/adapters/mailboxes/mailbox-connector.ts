/**
 * The three session openers bundled with one set of connect options, so the API, the pollers and
 * the connection test are wired with one object (and a test can hand them a fake).
 */
import type { ImapFlow } from 'imapflow';
import type { MailCredentials } from '../../core/mailboxes/connection.ts';
import type { MailServer } from '../../core/mailboxes/server.ts';
import { connectImap } from './imap-connect.ts';
import { connectPop3 } from './pop3-client.ts';
import type { ConnectOptions, Pop3Client } from './session-types.ts';
import { verifySmtp } from './smtp-connect.ts';

/** Opens sessions with registered servers; every method rejects with a MailConnectionError. */
export interface MailboxConnector {
  /** An authenticated imapflow session; the caller logs out. */
  connectImap(server: MailServer, credentials: MailCredentials): Promise<ImapFlow>;
  /** An authenticated POP3 session; the caller quits or closes. */
  connectPop3(server: MailServer, credentials: MailCredentials): Promise<Pop3Client>;
  /** EHLO, TLS and AUTH, then QUIT. */
  verifySmtp(server: MailServer, credentials: MailCredentials): Promise<void>;
}

/**
 * The real connector: imap-connect.ts, pop3-client.ts and smtp-connect.ts with `options` (extra
 * CAs, timeout @default 30 s per step).
 */
export function mailboxConnector(options: ConnectOptions = {}): MailboxConnector {
  return {
    connectImap: (server, credentials) => connectImap(server, credentials, options),
    connectPop3: (server, credentials) => connectPop3(server, credentials, options),
    verifySmtp: (server, credentials) => verifySmtp(server, credentials, options),
  };
}
