/**
 * Where a session with a registered mail server connects to and which name its TLS certificate must
 * carry. Shared by the POP3, IMAP and SMTP openers so all three read a stored server the same way.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { domainToASCII } from 'node:url';
import type { MailServer } from '../../core/mailboxes/server.ts';
import type { ConnectOptions } from './session-types.ts';

/** Connect, greeting and per-command timeout when the caller names none (ConnectOptions.timeoutMs). */
export const DEFAULT_SESSION_TIMEOUT_MS = 30_000;

/** The network side of a server: ASCII host, port, SNI name, and the TLS trust options. */
export interface MailEndpoint {
  /** The host in ASCII (IDNA/punycode for a Unicode name), as DNS and TCP need it. */
  readonly host: string;
  readonly port: number;
  /** The name sent as SNI and checked against the certificate; undefined for a bare IP without an SNI name. */
  readonly servername: string | undefined;
  /** Extra trusted CAs (tests, the local runtime); undefined = the system's. */
  readonly ca: string[] | undefined;
  readonly timeoutMs: number;
}

/**
 * The endpoint of `server`: a Unicode host becomes its IDNA ASCII form (the registry stores the
 * Unicode form, seed step 3); the SNI name is `sniServerName`, else the host unless it is an IP
 * address (RFC 6066 3: SNI carries no IP literal). Timeout @default {@link DEFAULT_SESSION_TIMEOUT_MS}.
 */
export function endpointOf(server: Pick<MailServer, 'host' | 'port' | 'sniServerName'>, options: ConnectOptions = {}): MailEndpoint {
  const host = toAscii(server.host);
  const sni = server.sniServerName ? toAscii(server.sniServerName) : isIP(host) ? undefined : host;
  const ca = options.ca === undefined ? undefined : typeof options.ca === 'string' ? [options.ca] : [...options.ca];
  return { host, port: server.port, servername: sni, ca, timeoutMs: options.timeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS };
}

/** IDNA ASCII form of a host name; an IP address or a name that has none stays as it is. */
function toAscii(host: string): string {
  if (isIP(host)) return host;
  return domainToASCII(host) || host;
}

/** Resolves once the TLS handshake succeeded and the certificate was verified; rejects with the TLS error. */
export function tlsHandshake(socket: TLSSocket, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => (socket.destroy(), reject(Object.assign(new Error('TLS handshake timed out'), { code: 'ETIMEDOUT' }))), timeoutMs);
    socket.once('secureConnect', () => (clearTimeout(timer), resolve()));
    socket.once('error', (err) => (clearTimeout(timer), reject(err)));
  });
}

/** Resolves once TCP is connected (plain) or TLS is established and verified (implicit TLS); rejects after the endpoint's timeout. */
export function openSocket(endpoint: MailEndpoint, implicitTls: boolean): Promise<Socket> {
  const { host, port, servername, ca, timeoutMs } = endpoint;
  if (implicitTls) {
    const socket = tlsConnect({ host, port, servername, ca });
    return tlsHandshake(socket, timeoutMs).then(() => socket);
  }
  const socket = netConnect({ host, port });
  return new Promise<Socket>((resolve, reject) => {
    const timer = setTimeout(() => (socket.destroy(), reject(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }))), timeoutMs);
    socket.once('connect', () => (clearTimeout(timer), resolve(socket)));
    socket.once('error', (err) => (clearTimeout(timer), reject(err)));
  });
}
