/**
 * What Postroom needs to reach a registered mail server, and what reaching it answers (issue 10
 * items 2, 3 and 6): the credentials a session logs in with, the connection test's result in words
 * an admin understands, and the ports the adapters (adapters/mailboxes) implement.
 *
 * Nothing here touches the network; the adapters open IMAP (imapflow), POP3 and SMTP sessions.
 */
import type { MailServer } from './server.ts';

/** How a session logs in: Basic (LOGIN / USER+PASS / AUTH PLAIN|LOGIN) or SASL XOAUTH2 with an access token. */
export type MailCredentials =
  | { readonly kind: 'password'; readonly user: string; readonly password: string }
  | { readonly kind: 'oauth2'; readonly user: string; readonly accessToken: string };

/**
 * Why a connection failed, as an admin reads it (SRV-6, seed step 10). `needs-reauth`: the OAuth2
 * grant is gone (invalid_grant, revoked consent); only the admin's consent heals it.
 */
export type ConnectionFailureReason =
  | 'dns'
  | 'tcp'
  | 'timeout'
  | 'tls-certificate'
  | 'tls'
  | 'starttls-unavailable'
  | 'authentication'
  | 'needs-reauth'
  | 'folder-missing'
  | 'protocol'
  | 'no-secret';

/** The connection test's answer: "connection successful" or "connection failed: <message>". */
export type ConnectionTestResult =
  | {
      readonly ok: true;
      /** E.g. "connection successful: 1,204 messages in INBOX". */
      readonly message: string;
      /** Messages waiting on the server (IMAP: EXISTS of the folder; POP3: STAT). */
      readonly backlog?: number;
      /** Inbound servers never polled yet: how many messages the first poll's bounded backfill would fetch. */
      readonly backfill?: number;
    }
  | { readonly ok: false; readonly reason: ConnectionFailureReason; readonly message: string };

/** A connection failure as an error, thrown by the adapters and by the {@link CredentialSource}. */
export class MailConnectionError extends Error {
  constructor(
    readonly reason: ConnectionFailureReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MailConnectionError';
  }
}

/**
 * The credentials a session with `server` logs in with: the stored password, or an OAuth2 access
 * token (refreshed only when expired). Throws {@link MailConnectionError} `no-secret` when nothing
 * is stored and `needs-reauth` when the provider refused the grant.
 */
export interface CredentialSource {
  credentialsFor(server: MailServer): Promise<MailCredentials>;
}

/** Connects to `server` at once (TLS, login, SELECT or STAT, or EHLO+AUTH) and answers in words (SRV-6). */
export interface ConnectionTester {
  test(server: MailServer, credentials: MailCredentials, options?: { readonly backfillDays?: number; readonly now?: Date }): Promise<ConnectionTestResult>;
}

/** The words of a result: "connection successful: ..." or "connection failed: ...". */
export function describeTestResult(r: ConnectionTestResult): string {
  return r.ok ? r.message : `connection failed: ${r.message}`;
}
