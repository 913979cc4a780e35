/**
 * Turns whatever a mail session fails with (node:net/dns/tls system errors, imapflow's and
 * nodemailer's errors, our POP3 client's) into a {@link MailConnectionError} whose reason is a code
 * and whose message an admin understands (issue 10 item 2, SRV-6): "nothing answers on
 * mail.example.com:993 (TCP connection refused)", not "ECONNREFUSED 10.0.0.1:993".
 *
 * The message never holds a secret: server texts are cut and stripped of control characters, and
 * every credential the session had is blanked out of them (a server may echo what it was sent).
 */
import { MailConnectionError, type ConnectionFailureReason, type MailCredentials } from '../../core/mailboxes/connection.ts';

/**
 * Longest server text quoted in a message, in characters: enough for "Mailbox doesn't exist: X" or
 * a provider's "AUTHENTICATE failed. (AADSTS...)" line, short enough for a status table row.
 */
export const MAX_SERVER_TEXT_CHARS = 200;

/** What the message names besides the error: where the session went, what it logged in with, which folder. */
export interface FailureContext {
  readonly host: string;
  readonly port: number;
  readonly credentials?: MailCredentials;
  /** IMAP: the folder the session selected. */
  readonly folder?: string;
  /** The session's timeout, to say how long was waited. */
  readonly timeoutMs?: number;
}

/** Control characters (a CR LF in a server text could forge a log line) and lone surrogates. */
const CONTROL = /[\p{Cc}\p{Cs}\u2028\u2029]+/gu;

/**
 * A server's or a library's text made safe to show: control characters become spaces, runs of
 * spaces one, every `secrets` value becomes `***`, and at most `maxChars` characters remain.
 * @default maxChars {@link MAX_SERVER_TEXT_CHARS}
 */
export function cleanServerText(text: string, secrets: readonly string[] = [], maxChars = MAX_SERVER_TEXT_CHARS): string {
  let clean = text;
  for (const secret of secrets) if (secret.length >= 3) clean = clean.split(secret).join('***');
  clean = clean.replace(CONTROL, ' ').replace(/\s{2,}/g, ' ').trim();
  const chars = [...clean];
  return chars.length > maxChars ? `${chars.slice(0, maxChars - 1).join('')}…` : clean;
}

/** The secrets a session knows and its errors must never show. */
export function secretsOf(credentials: MailCredentials | undefined): string[] {
  if (!credentials) return [];
  const secret = credentials.kind === 'password' ? credentials.password : credentials.accessToken;
  // The SASL encodings carry the secret in base64: a server echoing the AUTH line must not leak it either.
  const sasl = credentials.kind === 'password'
    ? `\0${credentials.user}\0${credentials.password}`
    : `user=${credentials.user}\x01auth=Bearer ${credentials.accessToken}\x01\x01`;
  const encoded = [Buffer.from(secret).toString('base64'), Buffer.from(sasl).toString('base64')];
  return [secret, ...encoded.filter((e) => e.length >= 8)];
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL']);
const TCP_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EADDRNOTAVAIL']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ETIMEOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'SOCKET_TIMEOUT', 'UPGRADE_TIMEOUT']);

/** Node's certificate verification codes and what they mean to an admin. */
const CERTIFICATE_PROBLEMS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issued by an authority this system does not know (or the server omits its intermediate certificate)',
  UNABLE_TO_GET_ISSUER_CERT: 'issued by an authority this system does not know',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issued by an authority this system does not know (or the server omits its intermediate certificate)',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not valid yet (check the server clock)',
  CERT_REVOKED: 'revoked',
  CERT_UNTRUSTED: 'not trusted',
  CERT_SIGNATURE_FAILURE: 'its signature is invalid',
};

interface ErrorLike {
  code?: unknown;
  originalCode?: unknown;
  message?: unknown;
  reason?: unknown;
  host?: unknown;
  cert?: { subjectaltname?: unknown };
  authenticationFailed?: unknown;
  serverResponseCode?: unknown;
  responseText?: unknown;
  response?: unknown;
  responseCode?: unknown;
  command?: unknown;
  tlsFailed?: unknown;
  cause?: unknown;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The codes of `err` and its causes, outermost first (nodemailer keeps a system error's code as `originalCode`). */
function codesOf(err: ErrorLike): string[] {
  const codes: string[] = [];
  for (let e: ErrorLike | undefined = err, depth = 0; e && depth < 4; e = e.cause as ErrorLike | undefined, depth += 1) {
    for (const c of [e.code, e.originalCode]) if (typeof c === 'string') codes.push(c);
  }
  return codes;
}

/**
 * The {@link MailConnectionError} for any failure of a session with `ctx.host:ctx.port`: dns, tcp,
 * timeout, tls-certificate, tls, starttls-unavailable, authentication, folder-missing, else
 * protocol. A MailConnectionError passes through unchanged.
 */
export function classifyConnectionError(error: unknown, ctx: FailureContext): MailConnectionError {
  const secrets = secretsOf(ctx.credentials);
  const fail = (reason: ConnectionFailureReason, message: string) =>
    new MailConnectionError(reason, cleanServerText(message, secrets, MAX_SERVER_TEXT_CHARS * 2), { cause: error });
  // Ours are built from cleaned texts already; passing them through keeps subclasses (MessageTooLargeError).
  if (error instanceof MailConnectionError) return error;
  const err: ErrorLike = typeof error === 'object' && error !== null ? (error as ErrorLike) : { message: String(error) };
  const codes = codesOf(err);
  const has = (set: Set<string>) => codes.find((c) => set.has(c));
  const where = `${ctx.host}:${ctx.port}`;
  const text = cleanServerText(str(err.responseText) || str(err.response) || str(err.message), secrets);
  const said = text ? ` (the server said: ${text})` : '';

  const dns = has(DNS_CODES);
  if (dns) {
    return fail('dns', dns === 'EAI_AGAIN' || dns === 'ESERVFAIL'
      ? `the host name ${ctx.host} could not be resolved just now (DNS temporary failure)`
      : `the host name ${ctx.host} does not resolve (DNS)`);
  }
  if (codes.includes('ECONNREFUSED')) return fail('tcp', `nothing answers on ${where} (TCP connection refused)`);
  if (codes.includes('EHOSTUNREACH') || codes.includes('ENETUNREACH')) return fail('tcp', `${where} cannot be reached (no network route)`);
  if (has(TCP_CODES)) return fail('tcp', `the connection to ${where} was closed unexpectedly (TCP reset)`);
  if (has(TIMEOUT_CODES) || str((err as Error).name) === 'TimeoutError') {
    const seconds = ctx.timeoutMs ? ` within ${Math.round(ctx.timeoutMs / 1000)} seconds` : ' in time';
    return fail('timeout', `${where} did not answer${seconds} (timeout)`);
  }
  const certificate = certificateProblem(err, codes);
  if (certificate) return fail('tls-certificate', `the server's TLS certificate is not trusted: ${certificate}`);
  if (err.tlsFailed === true && /STARTTLS/i.test(str(err.message))) {
    return fail('starttls-unavailable', `the server on ${where} does not offer STARTTLS, which this server's settings require`);
  }
  if (str(err.command) === 'STARTTLS' && err.responseCode) {
    return fail('starttls-unavailable', `the server on ${where} refused STARTTLS, which this server's settings require${said}`);
  }
  if (codes.some((c) => c.includes('WRONG_VERSION_NUMBER')) || /wrong version number/i.test(str(err.message))) {
    return fail('tls', `the server on ${where} does not speak TLS from the first byte (should TLS be off, with STARTTLS?)`);
  }
  if (codes.some((c) => c === 'ETLS' || c.startsWith('ERR_SSL') || c.startsWith('ERR_TLS')) || err.tlsFailed === true) {
    return fail('tls', `the TLS handshake with ${where} failed${said}`);
  }
  const responseCode = typeof err.responseCode === 'number' ? err.responseCode : 0;
  if (err.authenticationFailed === true || err.serverResponseCode === 'AUTHENTICATIONFAILED' || codes.includes('EAUTH') || responseCode === 535) {
    return fail('authentication', `${refusedWhat(ctx.credentials)}${said}`);
  }
  if (err.serverResponseCode === 'NONEXISTENT' || /doesn.t exist|does not exist|no such (mailbox|folder)|mailbox not found|unknown mailbox/i.test(text)) {
    return fail('folder-missing', `the folder ${ctx.folder ?? '(unnamed)'} does not exist on the server`);
  }
  return fail('protocol', `the server on ${where} answered unexpectedly${said}`);
}

/** What a refused login means, by the credentials' kind. */
export function refusedWhat(credentials: MailCredentials | undefined): string {
  return credentials?.kind === 'oauth2'
    ? `the server refused the OAuth2 access token for ${credentials.user}`
    : 'the server refused the user name or password';
}

/** The certificate problem in words, or undefined when the failure is not about the certificate. */
function certificateProblem(err: ErrorLike, codes: string[]): string | undefined {
  for (const code of codes) {
    if (CERTIFICATE_PROBLEMS[code]) return CERTIFICATE_PROBLEMS[code];
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      const names = str(err.cert?.subjectaltname).replace(/DNS:|IP Address:/g, '');
      return `it is not issued for ${str(err.host) || 'the name used'}${names ? ` (it names ${names})` : ''}`;
    }
    if (code.startsWith('CERT_')) return code.toLowerCase().replace(/_/g, ' ');
  }
  // nodemailer's STARTTLS path keeps only the text of the verification error.
  const message = str(err.message);
  if (/self[- ]signed/i.test(message)) return 'self-signed';
  if (/altnames|does not match certificate/i.test(message)) return `it is not issued for the name used (${cleanServerText(message)})`;
  if (/unable to (verify|get) .*(certificate|issuer)|certificate has expired|certificate is not yet valid/i.test(message)) return cleanServerText(message);
  return undefined;
}
