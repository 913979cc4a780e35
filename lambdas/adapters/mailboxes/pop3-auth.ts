/**
 * POP3 login (RFC 1939 USER/PASS; RFC 5034 AUTH with PLAIN, RFC 4616, and XOAUTH2, Google's and
 * Microsoft's SASL mechanism for OAuth2 bearer tokens). Kept apart from the session so the
 * credential handling sits in one short file; nothing here logs.
 */
import { MailConnectionError, type MailCredentials } from '../../core/mailboxes/connection.ts';
import { cleanServerText, refusedWhat, secretsOf } from './connection-errors.ts';

/**
 * RFC 5034 4: an AUTH command with its initial response must fit 255 octets; a longer one (an
 * XOAUTH2 token usually is) is sent after the server's "+" continuation instead.
 */
const MAX_AUTH_INITIAL_LINE = 255;

/** What login needs of a session in AUTHORIZATION state. */
export interface Pop3AuthChannel {
  /** Sends a command; resolves on +OK, rejects with `onErr(text)` on -ERR. */
  send(line: string, onErr: (text: string) => Error): Promise<string>;
  writeLine(line: string): void;
  readLine(): Promise<string>;
}

/**
 * Logs in: XOAUTH2 for a token; AUTH PLAIN when CAPA lists SASL PLAIN (any byte of a UTF-8
 * password survives base64), else USER/PASS, for a password.
 * @throws MailConnectionError `authentication`, with the server's words but never the secret
 */
export async function pop3Login(channel: Pop3AuthChannel, credentials: MailCredentials, caps: Map<string, string[]>): Promise<void> {
  const refused = (text: string) => new MailConnectionError('authentication', `${refusedWhat(credentials)} (the server said: ${cleanServerText(text, secretsOf(credentials))})`);
  // A CR LF would end the command early and let the rest run as a command of its own.
  if (/[\0\r\n]/.test(credentials.user)) throw new MailConnectionError('authentication', 'the user name contains a line break or NUL, which POP3 cannot send');
  if (credentials.kind === 'oauth2') {
    const response = Buffer.from(`user=${credentials.user}\x01auth=Bearer ${credentials.accessToken}\x01\x01`).toString('base64');
    return authenticate(channel, 'XOAUTH2', response, refused);
  }
  if (/[\0\r\n]/.test(credentials.password)) throw new MailConnectionError('authentication', 'the password contains a line break or NUL, which POP3 cannot send');
  if ((caps.get('SASL') ?? []).includes('PLAIN')) {
    return authenticate(channel, 'PLAIN', Buffer.from(`\0${credentials.user}\0${credentials.password}`).toString('base64'), refused);
  }
  await channel.send(`USER ${credentials.user}`, refused);
  await channel.send(`PASS ${credentials.password}`, refused);
}

/** RFC 5034 AUTH; a server's "+ <base64 error>" challenge is answered with an empty line, then -ERR follows. */
async function authenticate(channel: Pop3AuthChannel, mechanism: string, response: string, refused: (text: string) => Error): Promise<void> {
  const inline = `AUTH ${mechanism} ${response}`;
  const initial = inline.length <= MAX_AUTH_INITIAL_LINE;
  channel.writeLine(initial ? inline : `AUTH ${mechanism}`);
  let reply = await channel.readLine();
  if (!initial && reply.startsWith('+') && !reply.startsWith('+OK')) {
    channel.writeLine(response);
    reply = await channel.readLine();
  }
  if (reply.startsWith('+') && !reply.startsWith('+OK')) {
    // XOAUTH2's error: a base64 JSON {status, schemes, scope}; only the empty answer gets the -ERR.
    const detail = decodeChallenge(reply.slice(1).trim());
    channel.writeLine('');
    reply = await channel.readLine();
    if (!reply.startsWith('+OK')) throw refused(`${reply.replace(/^-ERR\s*/, '')}${detail ? ` ${detail}` : ''}`);
  }
  if (!reply.startsWith('+OK')) throw refused(reply.replace(/^-ERR\s*/, ''));
}

/** The readable part of an XOAUTH2 error challenge (base64 JSON), or '' when it is none. */
function decodeChallenge(encoded: string): string {
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  return /^\s*\{/.test(text) ? cleanServerText(text) : '';
}
