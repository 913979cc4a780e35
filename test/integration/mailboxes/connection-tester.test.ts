/**
 * The connection test against a real Dovecot and loopback stand-ins: success for every type and TLS
 * mode with the backfill count, and every failure reason that loopback can produce, each in words
 * an admin understands and never with the password.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailCredentials } from '../../../lambdas/core/mailboxes/connection.ts';
import type { MailServer } from '../../../lambdas/core/mailboxes/server.ts';
import { MailConnectionTester } from '../../../lambdas/adapters/mailboxes/connection-tester.ts';
import { startDovecot, type DovecotServer } from '../../support/dovecot.ts';
import { dovecotServer } from '../../support/dovecot-servers.ts';
import { startNoStartTlsServer } from '../../support/no-starttls-server.ts';
import { startSmtpsServer } from '../../support/smtps-server.ts';

let dovecot: DovecotServer;
let tester: MailConnectionTester;
const USER = 'support@example.test';
const PASSWORD = 'tester s3cret pass';
const password: MailCredentials = { kind: 'password', user: USER, password: PASSWORD };
const NOW = new Date();

/** 4 messages of the last 7 days and 30 older ones, oldest first, dated by header and INTERNALDATE alike. */
const AGES_IN_DAYS = [...Array.from({ length: 30 }, (_, i) => 400 - i * 10), 6, 3, 1, 0.1];

beforeAll(async () => {
  dovecot = await startDovecot({ users: { [USER]: PASSWORD } });
  tester = new MailConnectionTester({ ca: dovecot.certificate, timeoutMs: 5_000 });
  await dovecot.deliverMany(USER, AGES_IN_DAYS.map((days, i) => {
    const receivedAt = new Date(NOW.getTime() - days * 86_400_000);
    return { raw: `Date: ${receivedAt.toUTCString()}\r\nSubject: m${i}\r\n\r\nbody\r\n`, receivedAt };
  }));
});
afterAll(() => dovecot?.stop());

describe('success', () => {
  it.each([
    ['imap', 'implicit'], ['imap', 'starttls'], ['imap', 'opportunistic'], ['pop3', 'implicit'], ['pop3', 'starttls'],
  ] as const)('%s over %s TLS: counts the messages and the first poll\'s 7-day backfill', async (type, mode) => {
    const result = await tester.test(dovecotServer(dovecot, type, mode), password, { now: NOW });
    const where = type === 'imap' ? 'INBOX' : 'the mailbox';
    expect(result).toEqual({
      ok: true, backlog: 34, backfill: 4,
      message: `connection successful: 34 messages in ${where}; the first poll would fetch 4 messages from the last 7 days`,
    });
  });

  it('counts no backfill for a server that has been polled already, and honours backfillDays', async () => {
    const polled = await tester.test(dovecotServer(dovecot, 'imap', 'implicit', { lastPollAt: NOW.toISOString() }), password);
    const wider = await tester.test(dovecotServer(dovecot, 'pop3', 'implicit'), password, { now: NOW, backfillDays: 2 });
    expect(polled).toEqual({ ok: true, backlog: 34, message: 'connection successful: 34 messages in INBOX' });
    expect(wider).toMatchObject({ ok: true, backfill: 2 });
  });

  it('smtp: EHLO, STARTTLS and AUTH', async () => {
    const result = await tester.test(dovecotServer(dovecot, 'smtp'), password);
    expect(result).toMatchObject({ ok: true, message: expect.stringMatching(/^connection successful: 127\.0\.0\.1:\d+ accepted EHLO and the login$/) });
  });
});

describe('smtp over implicit TLS (submissions)', () => {
  it('succeeds with the right password and names a wrong one', async () => {
    const smtps = await startSmtpsServer(USER, PASSWORD);
    try {
      const record = dovecotServer(dovecot, 'smtp', 'implicit', { host: smtps.host, port: smtps.port });
      const own = new MailConnectionTester({ ca: smtps.certificate, timeoutMs: 5_000 });
      expect(await own.test(record, password)).toMatchObject({ ok: true, message: expect.stringContaining('accepted EHLO and the login') });
      expect(await own.test(record, { kind: 'password', user: USER, password: 'wrong smtps pass' })).toEqual({
        ok: false, reason: 'authentication', message: expect.stringMatching(/^the server refused the user name or password/),
      });
    } finally {
      await smtps.stop();
    }
  });
});

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('failures, in words and without the password', () => {
  const cases: Array<[string, () => Promise<[MailServer, MailConnectionTester?]>, string, RegExp]> = [
    ['wrong password (IMAP)', async () => [dovecotServer(dovecot, 'imap')], 'authentication', /^the server refused the user name or password/],
    ['wrong password (POP3)', async () => [dovecotServer(dovecot, 'pop3', 'starttls')], 'authentication', /^the server refused the user name or password/],
    ['wrong password (SMTP)', async () => [dovecotServer(dovecot, 'smtp')], 'authentication', /^the server refused the user name or password/],
    ['self-signed certificate, no CA given', async () => [dovecotServer(dovecot, 'imap'), new MailConnectionTester({ timeoutMs: 5_000 })], 'tls-certificate', /^the server's TLS certificate is not trusted: self-signed$/],
    ['SNI name not in the certificate', async () => [dovecotServer(dovecot, 'pop3', 'implicit', { sniServerName: 'mail.example.com' })], 'tls-certificate', /^the server's TLS certificate is not trusted: it is not issued for mail\.example\.com \(it names .*localhost.*\)$/],
    ['implicit TLS against a plain port', async () => [dovecotServer(dovecot, 'imap', 'implicit', { port: dovecot.ports.imap })], 'tls', /does not speak TLS from the first byte/],
    ['closed port', async () => { const port = await closedPort(); return [dovecotServer(dovecot, 'imap', 'implicit', { port })]; }, 'tcp', /^nothing answers on 127\.0\.0\.1:\d+ \(TCP connection refused\)$/],
    ['missing folder', async () => [dovecotServer(dovecot, 'imap', 'implicit', { imapFolder: 'Support' })], 'folder-missing', /^the folder Support does not exist on the server$/],
  ];

  it.each(cases)('%s', async (name, setup, reason, words) => {
    const [server, own] = await setup();
    const credentials: MailCredentials = name.startsWith('wrong') ? { kind: 'password', user: USER, password: 'wrong tester pass' } : password;
    const result = await (own ?? tester).test(server, credentials);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.message).toMatch(words);
    expect(result.message).not.toMatch(/s3cret|wrong tester pass/);
  });

  it('a host name that does not resolve is reported as DNS (resolver injected, no outside network)', async () => {
    const lookup = async (host: string) => { throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host }); };
    const result = await new MailConnectionTester({ lookup }).test(dovecotServer(dovecot, 'smtp', 'starttls', { host: 'mail.example.invalid' }), password);
    expect(result).toEqual({ ok: false, reason: 'dns', message: 'the host name mail.example.invalid does not resolve (DNS)' });
  });

  it.each(['imap', 'pop3', 'smtp'] as const)('%s: STARTTLS required but not offered, and no password crosses in plaintext', async (type) => {
    const server = await startNoStartTlsServer(type);
    try {
      const result = await tester.test(dovecotServer(dovecot, type, 'starttls', { host: server.host, port: server.port }), password);
      expect(result).toMatchObject({ ok: false, reason: 'starttls-unavailable', message: expect.stringMatching(/STARTTLS/) });
      expect(server.received.join('\n')).not.toContain(PASSWORD);
    } finally {
      await server.stop();
    }
  });

  it('a server that accepts the connection and never greets ends within the whole-test limit', async () => {
    const accepted: Socket[] = [];
    const silent: Server = createServer((socket) => void accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const started = Date.now();
      const result = await new MailConnectionTester({ timeoutMs: 60_000, maxTestMs: 1_000 }).test(dovecotServer(dovecot, 'pop3', 'starttls', { port }), password);
      expect(result).toMatchObject({ ok: false, reason: 'timeout', message: expect.stringContaining('took longer than 1 seconds') });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      for (const socket of accepted) socket.destroy();
      silent.close();
    }
  });
});
