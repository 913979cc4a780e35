/**
 * A mail server that never offers STARTTLS (IMAP), STLS (POP3) or STARTTLS (SMTP) and refuses the
 * command: what a downgrade attacker or a misconfigured server shows a client. A few lines over
 * node:net on a free loopback port; it answers just enough for a client to get to the upgrade.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface NoStartTlsServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Every line the clients sent, to prove no credential crossed in plaintext. */
  readonly received: string[];
  stop(): Promise<void>;
}

type Protocol = 'imap' | 'pop3' | 'smtp';

const GREETING: Record<Protocol, string> = {
  imap: '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] no TLS here\r\n',
  pop3: '+OK no TLS here\r\n',
  smtp: '220 localhost ESMTP no TLS here\r\n',
};

/** The answer to one command line. */
function answer(protocol: Protocol, line: string): string {
  const [tag = '', command = ''] = line.split(' ');
  if (protocol === 'imap') {
    if (/^CAPABILITY$/i.test(command)) return `* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`;
    if (/^LOGOUT$/i.test(command)) return `* BYE\r\n${tag} OK bye\r\n`;
    return `${tag} BAD not here\r\n`;
  }
  if (protocol === 'pop3') {
    if (/^CAPA$/i.test(tag)) return '+OK\r\nUSER\r\n.\r\n';
    if (/^QUIT$/i.test(tag)) return '+OK bye\r\n';
    return '-ERR not here\r\n';
  }
  if (/^EHLO$/i.test(tag)) return '250-localhost\r\n250 AUTH PLAIN LOGIN\r\n';
  if (/^QUIT$/i.test(tag)) return '221 bye\r\n';
  return '502 5.5.1 not here\r\n';
}

/** Starts the server for `protocol` on 127.0.0.1. */
export async function startNoStartTlsServer(protocol: Protocol): Promise<NoStartTlsServer> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write(GREETING[protocol]);
    let pending = '';
    socket.on('data', (data: Buffer) => {
      pending += data.toString('latin1');
      for (let end = pending.indexOf('\r\n'); end !== -1; end = pending.indexOf('\r\n')) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 2);
        received.push(line);
        socket.write(answer(protocol, line));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    received,
    stop: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
