/**
 * verifySmtp and createSmtpTransport against Dovecot's submission service (STARTTLS, AUTH, XOAUTH2
 * through the oauth2 passdb), and STARTTLS required against a server that does not offer it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailConnectionError, type MailCredentials } from '../../../lambdas/core/mailboxes/connection.ts';
import { createSmtpTransport, verifySmtp } from '../../../lambdas/adapters/mailboxes/smtp-connect.ts';
import { startDovecot, type DovecotServer } from '../../support/dovecot.ts';
import { dovecotServer } from '../../support/dovecot-servers.ts';
import { startNoStartTlsServer } from '../../support/no-starttls-server.ts';
import { startTestIntrospection, type TestIntrospection } from '../../support/oauth2-introspection.ts';

let dovecot: DovecotServer;
let introspection: TestIntrospection;
const USER = 'support@example.test';
const PASSWORD = 'smtp s3cret pass';

beforeAll(async () => {
  introspection = await startTestIntrospection();
  dovecot = await startDovecot({ users: { [USER]: PASSWORD }, oauth2: { introspectionUrl: introspection.url } });
});
afterAll(async () => {
  await dovecot?.stop();
  await introspection?.stop();
});

const password: MailCredentials = { kind: 'password', user: USER, password: PASSWORD };
const options = () => ({ ca: dovecot.certificate, timeoutMs: 10_000 });

describe('verifySmtp', () => {
  it.each(['starttls', 'opportunistic'] as const)('%s: EHLO, STARTTLS and AUTH succeed and nothing is sent', async (mode) => {
    const before = dovecot.submitted.length;
    await expect(verifySmtp(dovecotServer(dovecot, 'smtp', mode), password, options())).resolves.toBeUndefined();
    expect(dovecot.submitted).toHaveLength(before);
  });

  it('authenticates with XOAUTH2 and an active access token', async () => {
    introspection.activeTokens.set('smtp-token-ok', USER);
    await verifySmtp(dovecotServer(dovecot, 'smtp'), { kind: 'oauth2', user: USER, accessToken: 'smtp-token-ok' }, options());
    expect(introspection.introspected).toContain('smtp-token-ok');
  });

  it.each([
    ['a wrong password', { kind: 'password', user: USER, password: 'wrong smtp pass' }, 'wrong smtp pass', 'the server refused the user name or password'],
    ['an inactive token', { kind: 'oauth2', user: USER, accessToken: 'smtp-token-revoked' }, 'smtp-token-revoked', `refused the OAuth2 access token for ${USER}`],
  ] as const)('refuses %s as authentication without the secret in the message', async (_, credentials, secret, words) => {
    const failure = await verifySmtp(dovecotServer(dovecot, 'smtp'), credentials, options()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MailConnectionError);
    expect(failure).toMatchObject({ reason: 'authentication', message: expect.stringContaining(words) });
    expect((failure as Error).message).not.toContain(secret);
  });

  it('fails with starttls-unavailable when STARTTLS is required and not offered, before AUTH', async () => {
    const server = await startNoStartTlsServer('smtp');
    try {
      const record = dovecotServer(dovecot, 'smtp', 'starttls', { host: server.host, port: server.port });
      const failure = await verifySmtp(record, password, { timeoutMs: 5_000 }).catch((e: unknown) => e);
      expect(failure).toMatchObject({ reason: 'starttls-unavailable' });
      expect(server.received.some((line) => /^AUTH/i.test(line))).toBe(false);
    } finally {
      await server.stop();
    }
  });
});

describe('createSmtpTransport', () => {
  it('sends through the pooled transport after STARTTLS and AUTH', async () => {
    const transport = createSmtpTransport(dovecotServer(dovecot, 'smtp'), password, options());
    try {
      await transport.sendMail({ from: USER, to: 'kim@customer.test', subject: 'Pooled', text: 'Hello' });
    } finally {
      transport.close();
    }
    expect(dovecot.submitted.at(-1)?.raw.toString()).toContain('Subject: Pooled');
  });
});
