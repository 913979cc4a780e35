/**
 * An SMTP server speaking implicit TLS from the first byte (RFC 8314 submissions, port 465 in
 * production), which Dovecot's submission service of the test harness does not offer: smtp-server
 * with a self-signed certificate from openssl and one user for AUTH PLAIN/LOGIN.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { makeCertificate } from './dovecot-process.ts';

export interface SmtpsServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The self-signed certificate (PEM), for a client's `ca`. */
  readonly certificate: string;
  stop(): Promise<void>;
}

/** Starts it on a free loopback port; AUTH accepts only `user` with `password`. Certificate names @default ['localhost'] */
export async function startSmtpsServer(user: string, password: string): Promise<SmtpsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'postroom-smtps-'));
  try {
    await makeCertificate(join(dir, 'key.pem'), join(dir, 'cert.pem'), ['localhost']);
    const [key, cert] = await Promise.all([readFile(join(dir, 'key.pem')), readFile(join(dir, 'cert.pem'), 'utf8')]);
    const server = new SMTPServer({
      secure: true,
      key,
      cert,
      logger: false,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, _session, callback) {
        if (auth.username === user && auth.password === password) callback(null, { user });
        else callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      host: '127.0.0.1',
      port: (server.server.address() as AddressInfo).port,
      certificate: cert,
      stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  } finally {
    // The key is in memory now; the folder must not outlive the test run.
    await rm(dir, { recursive: true, force: true });
  }
}
