/**
 * connectImap against a real Dovecot: implicit TLS, STARTTLS (required and opportunistic), XOAUTH2
 * through the oauth2 passdb, and the failures as MailConnectionErrors without the secret; STARTTLS
 * required against a server that does not offer it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailConnectionError, type MailCredentials } from '../../../lambdas/core/mailboxes/connection.ts';
import { connectImap, imapFlowOptions } from '../../../lambdas/adapters/mailboxes/imap-connect.ts';
import { startDovecot, type DovecotServer } from '../../support/dovecot.ts';
import { dovecotServer, type TlsMode } from '../../support/dovecot-servers.ts';
import { startNoStartTlsServer } from '../../support/no-starttls-server.ts';
import { startTestIntrospection, type TestIntrospection } from '../../support/oauth2-introspection.ts';

let dovecot: DovecotServer;
let introspection: TestIntrospection;
const USER = 'support@example.test';
const PASSWORD = 'imap s3cret pass';

beforeAll(async () => {
  introspection = await startTestIntrospection();
  dovecot = await startDovecot({ users: { [USER]: PASSWORD }, oauth2: { introspectionUrl: introspection.url } });
});
afterAll(async () => {
  await dovecot?.stop();
  await introspection?.stop();
});

const password: MailCredentials = { kind: 'password', user: USER, password: PASSWORD };
const connect = (mode: TlsMode, credentials: MailCredentials = password) =>
  connectImap(dovecotServer(dovecot, 'imap', mode), credentials, { ca: dovecot.certificate, timeoutMs: 10_000 });

describe('connectImap', () => {
  it.each(['implicit', 'starttls', 'opportunistic'] as const)('%s TLS: logs in encrypted and selects INBOX', async (mode) => {
    const uid = await dovecot.deliver(USER, `Subject: ${mode}\r\n\r\nHello\r\n`);
    const client = await connect(mode);
    try {
      const mailbox = await client.mailboxOpen('INBOX');
      expect(client.secureConnection).toBe(true);
      expect(client.authenticated).toBeTruthy();
      expect(mailbox.uidNext).toBe(uid + 1);
    } finally {
      await client.logout();
    }
  });

  it('logs in with XOAUTH2 and an access token the authorization server calls active', async () => {
    introspection.activeTokens.set('imap-token-ok', USER);
    const client = await connect('implicit', { kind: 'oauth2', user: USER, accessToken: 'imap-token-ok' });
    try {
      expect(client.authenticated).toBeTruthy();
      expect(introspection.introspected).toContain('imap-token-ok');
    } finally {
      await client.logout();
    }
  });

  it.each([
    ['a wrong password', { kind: 'password', user: USER, password: 'wrong imap pass' }, 'wrong imap pass', 'the server refused the user name or password'],
    ['an inactive token', { kind: 'oauth2', user: USER, accessToken: 'imap-token-revoked' }, 'imap-token-revoked', `refused the OAuth2 access token for ${USER}`],
  ] as const)('refuses %s as authentication without the secret in the message', async (_, credentials, secret, words) => {
    const failure = await connect('implicit', credentials).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MailConnectionError);
    expect(failure).toMatchObject({ reason: 'authentication', message: expect.stringContaining(words) });
    expect((failure as Error).message).not.toContain(secret);
  });

  it('refuses to log in when STARTTLS is required and the server does not offer it', async () => {
    const server = await startNoStartTlsServer('imap');
    try {
      const record = dovecotServer(dovecot, 'imap', 'starttls', { host: server.host, port: server.port });
      const failure = await connectImap(record, password, { timeoutMs: 5_000 }).catch((e: unknown) => e);
      expect(failure).toMatchObject({ reason: 'starttls-unavailable', message: expect.stringContaining('does not offer STARTTLS') });
      expect(server.received.join('\n')).not.toContain(PASSWORD);
    } finally {
      await server.stop();
    }
  });
});

describe('imapFlowOptions', () => {
  it('asks imapflow for no compression, no logger, SNI and STARTTLS as the record says', () => {
    const record = dovecotServer(dovecot, 'imap', 'starttls', { disableCompression: true, sniServerName: 'mail.example.com' });
    const options = imapFlowOptions(record, password, { ca: 'PEM' });
    expect(options).toMatchObject({ secure: false, doSTARTTLS: true, disableCompression: true, logger: false, servername: 'mail.example.com', tls: { ca: ['PEM'] } });
  });

  it('connects to a Unicode host by its IDNA ASCII form', () => {
    const record = dovecotServer(dovecot, 'imap', 'implicit', { host: 'mail.bücher.example', sniServerName: undefined });
    expect(imapFlowOptions(record, password)).toMatchObject({ host: 'mail.xn--bcher-kva.example', servername: 'mail.xn--bcher-kva.example' });
  });
});
