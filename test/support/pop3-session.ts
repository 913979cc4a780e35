/**
 * A bare POP3 (RFC 1939) session for tests, a few lines over node:tls: enough to log in, STAT,
 * UIDL and RETR against the test Dovecot while Postroom has no POP3 client of its own yet.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

export interface Pop3Session {
  /** Sends one command; resolves with the whole reply, rejects on -ERR. @default multiline false */
  command(line: string, multiline?: boolean): Promise<string>;
  /** Whether the session runs over TLS now. */
  encrypted(): boolean;
  close(): void;
}

/** The lines of a multi-line POP3 reply between its status line and the final ".", undotted. */
export const pop3Lines = (reply: string) => reply.slice(reply.indexOf('\r\n') + 2, -5).replace(/^\./gm, '');

/**
 * Opens a POP3 session over node:tls (no POP3 library yet) to the test Dovecot, by implicit TLS
 * or STLS, and resolves after the greeting (and the TLS upgrade). One command, one reply; a
 * multi-line reply is read up to its final ".". A -ERR reply rejects with its text.
 */
export async function openPop3(dovecot: { host: string; ports: { pop3: number; pop3s: number }; certificate: string }, mode: 'POP3S' | 'POP3 STLS'): Promise<Pop3Session> {
  let socket: Socket | TLSSocket;
  if (mode === 'POP3S') {
    socket = tlsConnect({ host: dovecot.host, port: dovecot.ports.pop3s, ca: dovecot.certificate });
  } else {
    socket = netConnect(dovecot.ports.pop3, dovecot.host);
  }
  let buffered = '';
  let waiting: (() => void) | undefined;
  let closed = false;
  const listen = (s: Socket) => s.on('data', (d: Buffer) => ((buffered += d.toString('latin1')), waiting?.()));
  listen(socket);
  // A server that hangs up mid-reply must fail the read, not leave it waiting for the test timeout.
  socket.once('close', () => ((closed = true), waiting?.()));
  const reply = async (multiline: boolean): Promise<string> => {
    const done = () => (multiline && !buffered.startsWith('-') ? buffered.endsWith('\r\n.\r\n') : buffered.endsWith('\r\n'));
    while (!done()) {
      if (closed) throw new Error(`connection closed, last data: ${JSON.stringify(buffered.slice(-200))}`);
      await new Promise<void>((resolve) => (waiting = resolve));
    }
    const text = buffered;
    buffered = '';
    if (text.startsWith('-ERR')) throw new Error(text.trim());
    return text;
  };
  const command = async (line: string, multiline = false) => {
    socket.write(`${line}\r\n`);
    return reply(multiline);
  };
  await reply(false); // the greeting
  if (mode === 'POP3 STLS') {
    await command('STLS');
    socket.removeAllListeners('data');
    const plain = socket;
    socket = tlsConnect({ socket: plain, servername: 'localhost', ca: dovecot.certificate });
    await new Promise<void>((resolve, reject) => (socket.once('secureConnect', resolve), socket.once('error', reject)));
    listen(socket);
  }
  return { command, encrypted: () => 'encrypted' in socket && socket.encrypted === true, close: () => socket.destroy() };
}
