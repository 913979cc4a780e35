/**
 * What a failed SMTP send means for the outbox (issue 11 item 5): nodemailer's errors become the
 * sender's three outcomes, with the server's words cleaned of secrets and control characters.
 * - 4xx, a dropped or timed-out connection, DNS trouble: {@link TransientError} (retried with backoff)
 * - 5xx for a recipient or the message: {@link PermanentError} (the record fails with the words)
 * - a refused login, a missing secret, TLS that cannot work: {@link IntegrationFault} (the
 *   integration goes to error and holds its sends until an admin fixes and saves it)
 */
import { PermanentError, TransientError } from '../../core/errors.ts';
import { ERROR_REASONS as R } from '../../core/error-reasons.ts';
import type { MailCredentials } from '../../core/mailboxes/connection.ts';
import type { MailServer } from '../../core/mailboxes/server.ts';
import { IntegrationFault } from '../../core/outbound/outbound-ports.ts';
import { classifyConnectionError, cleanServerText, secretsOf } from '../mailboxes/connection-errors.ts';

/** Connection failures that no retry heals: only the admin's fix of the server's settings or credentials does. */
const FAULT_REASONS: ReadonlySet<string> = new Set(['authentication', 'needs-reauth', 'no-secret', 'tls-certificate', 'tls', 'starttls-unavailable']);

interface NodemailerError {
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  rejected?: string[];
  rejectedErrors?: NodemailerError[];
  recipient?: string;
}

/** A failed send, classified; `rejection` is true for a 5xx that says the server refuses us (it counts toward the fault). */
export interface ClassifiedSendError {
  readonly error: TransientError | PermanentError | IntegrationFault;
  readonly rejection: boolean;
}

/**
 * Classifies one failed send through `server`. A 5xx refusing the sender or the message (MAIL
 * FROM, DATA) or a recipient for policy reasons (5.7.x: relaying denied, sender not allowed) is a
 * `rejection`: the server refuses Postroom, not one address. An unknown recipient (5.1.x) is not.
 */
export function classifySmtpSendError(error: unknown, server: MailServer, credentials: MailCredentials | undefined): ClassifiedSendError {
  const secrets = secretsOf(credentials);
  const err = (typeof error === 'object' && error !== null ? error : {}) as NodemailerError;
  const words = (e: NodemailerError) => cleanServerText(e.response ?? (error as Error)?.message ?? String(error), secrets);
  const code = err.responseCode ?? 0;
  if (code >= 500 && code !== 535 && code !== 534 && err.code !== 'EAUTH') {
    if (err.code === 'EENVELOPE' && err.command === 'RCPT TO') {
      const first = err.rejectedErrors?.[0] ?? err;
      const who = err.rejected?.join(', ') ?? first.recipient ?? 'the recipient';
      const text = words(first);
      return { error: new PermanentError(R.smtpRecipientRejected, `${server.name} refused ${who}: ${text}`), rejection: /\b5\.7\.\d+\b/.test(text) };
    }
    return { error: new PermanentError(R.smtpMessageRejected, `${server.name} refused the message: ${words(err)}`), rejection: true };
  }
  if (code >= 400 && code < 500) return { error: new TransientError(R.smtpUnavailable, `${server.name} answered "try again later": ${words(err)}`), rejection: false };
  const connection = classifyConnectionError(error, { host: server.host, port: server.port, ...(credentials && { credentials }) });
  if (FAULT_REASONS.has(connection.reason)) {
    const reason = connection.reason === 'authentication' || connection.reason === 'needs-reauth' || connection.reason === 'no-secret' ? R.smtpAuthenticationFailed : R.smtpUnavailable;
    return { error: new IntegrationFault(server.id, reason, `${server.name}: ${connection.message}`, { cause: error }), rejection: false };
  }
  return { error: new TransientError(R.smtpUnavailable, `${server.name}: ${connection.message}`, { cause: error }), rejection: false };
}
