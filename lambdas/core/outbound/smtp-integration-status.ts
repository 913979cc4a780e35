/**
 * What an admin sees of an SMTP integration: ONE status, the same in the API answer, `postroom smtp`
 * and the console. An integration is a registry SMTP server (`SRV#`) plus its sending record
 * (`SMTPI#`); each has a state of its own (the server's from its connection tests, the record's
 * from the sender), and showing only the sending state said `valid` for a server that was disabled
 * after a failed connection test. This joins the two, the server first: a disabled or
 * re-authentication-needing server sends nothing, whatever its sending record says.
 */
import type { MailServer, MailServerState } from '../mailboxes/server.ts';
import type { OutboxFailure } from './outbox.ts';

/** The registry's server states (disabled / error / needs-reauth / ok), for the integration as a whole. */
export type SmtpIntegrationStatus = MailServerState;

/**
 * Why an integration is not ok, in words: `server` when the registry server's connection test (or
 * an OAuth2 refresh) failed, `sending` when the sender set its error (login refused, repeated 5xx).
 */
export interface SmtpIntegrationProblem {
  readonly source: 'server' | 'sending';
  /** A code: a connection failure reason (`tcp`, `authentication`, ...) or a sending reason (`smtp.authentication-failed`). */
  readonly reason: string;
  /** The failure in the words of the server or of the test (no secret). */
  readonly detail: string;
  /** ISO time of a sending failure; a server's failure has none recorded. */
  readonly at?: string;
}

/** An integration's status and, when it has one, the problem behind it. */
export interface SmtpIntegrationHealth {
  readonly status: SmtpIntegrationStatus;
  readonly problem?: SmtpIntegrationProblem;
}

/** What {@link smtpIntegrationHealth} reads of the registry server. */
export type SmtpServerHealthFacts = Pick<MailServer, 'enabled' | 'state' | 'lastError' | 'lastErrorReason'>;

/**
 * The status of an integration from its server's health and its sending state, in this order:
 * 1. server not enabled: `disabled`, with the server's last error, else the sending error, if any;
 * 2. server `needs-reauth`: `needs-reauth` with the server's error (no send can log in);
 * 3. sending state `error`: `error` with the sending failure (sends are held);
 * 4. server `error`: `error` with the server's error;
 * 5. otherwise `ok`, no problem.
 */
export function smtpIntegrationHealth(server: SmtpServerHealthFacts, sending: { readonly state: 'valid' | 'error'; readonly lastError?: OutboxFailure }): SmtpIntegrationHealth {
  const serverProblem: SmtpIntegrationProblem | undefined =
    server.lastError === undefined ? undefined : { source: 'server', reason: server.lastErrorReason ?? 'error', detail: server.lastError };
  const sendingProblem: SmtpIntegrationProblem | undefined =
    sending.lastError === undefined ? undefined : { source: 'sending', reason: sending.lastError.reason, detail: sending.lastError.detail, at: sending.lastError.at };
  const withProblem = (status: SmtpIntegrationStatus, problem: SmtpIntegrationProblem | undefined): SmtpIntegrationHealth => ({ status, ...(problem && { problem }) });
  if (!server.enabled) return withProblem('disabled', serverProblem ?? sendingProblem);
  if (server.state === 'needs-reauth') return withProblem('needs-reauth', serverProblem);
  if (sending.state === 'error') return withProblem('error', sendingProblem);
  if (server.state === 'error') return withProblem('error', serverProblem);
  return { status: 'ok' };
}
