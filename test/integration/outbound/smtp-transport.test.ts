/**
 * The SMTP path's transport against real servers on loopback: an smtp-server with AUTH that
 * answers what the test asks (4xx, 5xx, a rejected recipient), and Dovecot's submission service
 * (STARTTLS, AUTH PLAIN/LOGIN, XOAUTH2). It sends the stored bytes as they are, with the VERP
 * return path and every recipient in the envelope, over one pooled session, and maps each failure
 * to what the outbox does with it.
 */
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedCredentialSource } from '../../../lambdas/adapters/oauth2/credential-source.ts';
import { SmtpOutboundTransport, MAX_CONSECUTIVE_REJECTIONS } from '../../../lambdas/adapters/smtp/smtp-transport.ts';
import { PermanentError, TransientError } from '../../../lambdas/core/errors.ts';
import { serializeMailServerSecret } from '../../../lambdas/core/mailboxes/oauth2-settings.ts';
import type { MailServer } from '../../../lambdas/core/mailboxes/server.ts';
import { IntegrationFault } from '../../../lambdas/core/outbound/outbound-ports.ts';
import { outboxIdFor, type OutboxRecord } from '../../../lambdas/core/outbound/outbox.ts';
import { verpAddress } from '../../../lambdas/core/outbound/verp.ts';
import { startDovecot, type DovecotServer } from '../../support/dovecot.ts';
import { dovecotServer } from '../../support/dovecot-servers.ts';
import { imapServerSettings, mailServerRecord } from '../../support/mail-servers.ts';
import { MemoryMailServerStore, MemorySecretStore } from '../../support/oauth2-memory-stores.ts';
import { startTestIntrospection, type TestIntrospection } from '../../support/oauth2-introspection.ts';

const USER = 'support@example.test';
const PASSWORD = 'smtp s3cret pass';
const id = outboxIdFor('i-smtp', 'reply');
const RAW = Buffer.from(`From: Support <${USER}>\r\nTo: alice@customer.example\r\nSubject: Grüße\r\nMessage-ID: <m1@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nHallo Alice,\r\n.dot line\r\n`);
const record = { id, messageId: '<m1@example.test>' } as OutboxRecord;
const envelope = (recipients: string[]) => ({ returnPath: verpAddress(id, 'bounce.postroom.example'), recipients });
const BLOB = { bucket: 'mail', key: `outbound/${id}.eml` };

/** An smtp-server with AUTH (user/password) whose answers the test sets per recipient or sender. */
interface Scripted {
  port: number;
  connections: number;
  received: { from: string; to: string[]; raw: Buffer }[];
  /** MAIL FROM answers 550 5.7.1 while set. */
  refuseSender: boolean;
  stop(): Promise<void>;
}

async function startScripted(): Promise<Scripted> {
  const state = { connections: 0, received: [] as Scripted['received'], refuseSender: false };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onConnect(_s, cb) {
      state.connections += 1;
      cb();
    },
    onAuth(auth, _s, cb) {
      if (auth.username === USER && auth.password === PASSWORD) cb(null, { user: USER });
      else cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onMailFrom(_a, _s, cb) {
      cb(state.refuseSender ? Object.assign(new Error('5.7.1 Sender address rejected: not owned by user'), { responseCode: 550 }) : undefined);
    },
    onRcptTo(address, _s, cb) {
      if (address.address.startsWith('nobody@')) return cb(Object.assign(new Error('5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown'), { responseCode: 550 }));
      if (address.address.startsWith('later@')) return cb(Object.assign(new Error('4.2.1 Mailbox busy, try again later'), { responseCode: 450 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        state.received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        cb(null, '2.0.0 Ok: queued as 4XyZ');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(state, { port, stop: () => new Promise<void>((r) => server.close(() => r())) }) as Scripted;
}

function smtpServer(over: Partial<MailServer>): MailServer {
  return mailServerRecord({ ...imapServerSettings({ type: 'smtp', routing: undefined, tls: false, host: '127.0.0.1', sniServerName: 'localhost', user: USER }), imapFolder: undefined, ...over });
}

let scripted: Scripted;
let dovecot: DovecotServer;
let introspection: TestIntrospection;
const servers = new MemoryMailServerStore();
const secrets = new MemorySecretStore();
const refuse = async () => Promise.reject(new Error('this test obtains no token'));
const noTokens = { refresh: refuse, clientCredentials: refuse, serviceAccount: refuse, exchangeCode: refuse };
let transport: SmtpOutboundTransport;

beforeAll(async () => {
  introspection = await startTestIntrospection();
  [scripted, dovecot] = await Promise.all([startScripted(), startDovecot({ users: { [USER]: PASSWORD }, oauth2: { introspectionUrl: introspection.url } })]);
  const add = async (server: MailServer, secret: string) => {
    await servers.create(server);
    await secrets.put(server.secretRef!, secret);
  };
  await add(smtpServer({ id: 'scripted', name: 'Scripted', port: scripted.port, secretRef: 'postroom/mail-servers/scripted' }), serializeMailServerSecret({ password: PASSWORD }));
  await add(smtpServer({ id: 'bad-login', name: 'Bad login', port: scripted.port, secretRef: 'postroom/mail-servers/bad-login' }), serializeMailServerSecret({ password: 'wrong pass' }));
  await add({ ...dovecotServer(dovecot, 'smtp'), id: 'dovecot', secretRef: 'postroom/mail-servers/dovecot' }, serializeMailServerSecret({ password: PASSWORD }));
  introspection.activeTokens.set('xoauth-ok', USER);
  const oauth = { ...dovecotServer(dovecot, 'smtp'), id: 'dovecot-oauth', authType: 'oauth2' as const, secretRef: 'postroom/mail-servers/dovecot-oauth', oauth2: { provider: 'microsoft' as const, flow: 'client-credentials' as const, clientId: 'c', tenant: 't' } } as MailServer;
  await add(oauth, serializeMailServerSecret({ oauth2: { accessToken: 'xoauth-ok', accessTokenExpiresAt: '2099-01-01T00:00:00.000Z' } }));
  transport = new SmtpOutboundTransport({
    servers,
    credentials: storedCredentialSource(secrets, noTokens),
    openRaw: async () => Readable.from([RAW]),
    connect: { ca: dovecot.certificate, timeoutMs: 10_000 },
  });
});
afterAll(async () => {
  transport?.close();
  await Promise.all([scripted?.stop(), dovecot?.stop(), introspection?.stop()]);
});

const route = (serverId: string) => ({ kind: 'smtp' as const, serverId, reason: 'test' });

describe('SMTP transport on smtp-server', () => {
  it('sends the stored bytes with the VERP return path to every recipient, over one pooled session', async () => {
    const before = scripted.connections;
    const first = await transport.send(route('scripted'), BLOB, envelope(['alice@customer.example', 'hidden@bcc.example']), record);
    await transport.send(route('scripted'), BLOB, envelope(['bob@customer.example']), record);

    expect(first.providerMessageId).toMatch(/queued as 4XyZ/);
    expect(scripted.received.at(-2)).toEqual({ from: `bounces+${id}@bounce.postroom.example`, to: ['alice@customer.example', 'hidden@bcc.example'], raw: RAW });
    expect(scripted.connections - before).toBe(1);
  });

  it('fails a rejected recipient permanently, with the server words', async () => {
    const failure = await transport.send(route('scripted'), BLOB, envelope(['nobody@customer.example']), record).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(PermanentError);
    expect(failure).toMatchObject({ code: 'smtp.recipient-rejected', message: expect.stringContaining('5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown') });
  });

  it('retries a 4xx', async () => {
    const failure = await transport.send(route('scripted'), BLOB, envelope(['later@customer.example']), record).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TransientError);
    expect(failure).toMatchObject({ code: 'smtp.unavailable', message: expect.stringContaining('4.2.1 Mailbox busy') });
  });

  it(`turns ${MAX_CONSECUTIVE_REJECTIONS} message-level 5xx in a row into an integration fault`, async () => {
    scripted.refuseSender = true;
    try {
      const failures: unknown[] = [];
      for (let i = 0; i < MAX_CONSECUTIVE_REJECTIONS; i += 1) failures.push(await transport.send(route('scripted'), BLOB, envelope(['alice@customer.example']), record).catch((e: unknown) => e));

      expect(failures.slice(0, -1).map((f) => (f as PermanentError).code)).toEqual(['smtp.message-rejected', 'smtp.message-rejected']);
      expect(failures.at(-1)).toBeInstanceOf(IntegrationFault);
      expect(failures.at(-1)).toMatchObject({ serverId: 'scripted', reason: 'smtp.repeated-rejections', message: expect.stringContaining('Sender address rejected') });
    } finally {
      scripted.refuseSender = false;
    }
  });

  it('turns a refused login into an integration fault without the password in it', async () => {
    const failure = await transport.send(route('bad-login'), BLOB, envelope(['alice@customer.example']), record).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(IntegrationFault);
    expect(failure).toMatchObject({ serverId: 'bad-login', reason: 'smtp.authentication-failed' });
    expect((failure as Error).message).not.toContain('wrong pass');
  });

  it('fails a route whose server is gone permanently', async () => {
    await expect(transport.send(route('gone'), BLOB, envelope(['a@b.example']), record)).rejects.toMatchObject({ code: 'smtp-integration.not-found' });
  });
});

describe("SMTP transport on Dovecot's submission service", () => {
  it('sends with STARTTLS and AUTH; the relay sees the VERP envelope and the exact bytes', async () => {
    const before = dovecot.submitted.length;
    await transport.send(route('dovecot'), BLOB, envelope(['alice@customer.example', 'carol@customer.example']), record);

    const got = dovecot.submitted.slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]!.from).toBe(`bounces+${id}@bounce.postroom.example`);
    expect([...got[0]!.to].sort()).toEqual(['alice@customer.example', 'carol@customer.example']);
    expect(got[0]!.raw.toString('utf8')).toContain('Subject: Grüße');
    expect(got[0]!.raw.toString('utf8')).toContain('\r\n.dot line\r\n');
  });

  it('sends with XOAUTH2 from the stored access token', async () => {
    const before = dovecot.submitted.length;
    await transport.send(route('dovecot-oauth'), BLOB, envelope(['dave@customer.example']), record);
    expect(dovecot.submitted.slice(before).map((m) => m.to)).toEqual([['dave@customer.example']]);
    expect(introspection.introspected).toContain('xoauth-ok');
  });
});
