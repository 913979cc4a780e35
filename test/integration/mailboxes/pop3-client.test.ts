/**
 * Postroom's POP3 client against a real Dovecot (POP3S and POP3 with STLS): login with a password
 * and with XOAUTH2, UIDL/RETR binary-safe and byte-identical, dot-stuffing, DELE+QUIT against a
 * close() that keeps everything, and the RETR size limit.
 */
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailConnectionError, type MailCredentials } from '../../../lambdas/core/mailboxes/connection.ts';
import { connectPop3, MessageTooLargeError } from '../../../lambdas/adapters/mailboxes/pop3-client.ts';
import { startDovecot, type DovecotServer } from '../../support/dovecot.ts';
import { dovecotServer, type TlsMode } from '../../support/dovecot-servers.ts';
import { startTestIntrospection, type TestIntrospection } from '../../support/oauth2-introspection.ts';

let dovecot: DovecotServer;
let introspection: TestIntrospection;
const PASSWORD = 'pop s3cret pass';

beforeAll(async () => {
  introspection = await startTestIntrospection();
  dovecot = await startDovecot({ oauth2: { introspectionUrl: introspection.url } });
});
afterAll(async () => {
  await dovecot?.stop();
  await introspection?.stop();
});

let users = 0;
/** A fresh mailbox per test, so counts and message numbers are the test's own. */
async function mailbox(): Promise<string> {
  const user = `pop${(users += 1)}@example.test`;
  await dovecot.addUser(user, PASSWORD);
  return user;
}

const password = (user: string, pass = PASSWORD): MailCredentials => ({ kind: 'password', user, password: pass });
const connect = (user: string, mode: TlsMode = 'implicit', credentials: MailCredentials = password(user)) =>
  connectPop3(dovecotServer(dovecot, 'pop3', mode, { user }), credentials, { ca: dovecot.certificate, timeoutMs: 10_000 });

/** An 8-bit message: every byte value but NUL, CR and LF in its body, plus lines that start with dots. */
function binaryMessage(subject: string): Buffer {
  const octets = Buffer.from(Array.from({ length: 255 }, (_, i) => i + 1).filter((b) => b !== 0x0a && b !== 0x0d));
  return Buffer.concat([
    Buffer.from(`From: kim@customer.test\r\nTo: support@example.test\r\nSubject: ${subject}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`),
    octets, Buffer.from('\r\n.\r\n..two dots\r\n.one dot\r\n'), Buffer.from('Grüße, ✉\r\n.'), Buffer.from('\r\n'),
  ]);
}

describe('login and reading', () => {
  it.each(['implicit', 'starttls'] as const)('%s TLS: UIDL and RETR return the delivered 8-bit message byte for byte', async (mode) => {
    // Prepare
    const user = await mailbox();
    const raw = binaryMessage(`binary ${mode}`);
    await dovecot.deliver(user, raw);
    // Act
    const client = await connect(user, mode);
    try {
      const stat = await client.stat();
      const listing = await client.uidl();
      const sizes = await client.list();
      const body = await buffer(await client.retr(listing[0]!.number));
      // Assess
      expect(client.encrypted).toBe(true);
      expect(stat.count).toBe(1);
      expect(listing).toEqual([{ number: 1, uidl: expect.stringMatching(/^[0-9a-f]{16}$/i) }]);
      expect(body.equals(raw)).toBe(true);
      expect(sizes).toEqual([{ number: 1, size: raw.length }]);
    } finally {
      await client.quit();
    }
  });

  it('TOP n 0 answers the header block only, and the session goes on after it', async () => {
    const user = await mailbox();
    await dovecot.deliver(user, binaryMessage('top'));
    const client = await connect(user);
    try {
      const header = (await client.top(1, 0)).toString('latin1');
      expect(header).toContain('Subject: top\r\n');
      expect(header.endsWith('\r\n\r\n')).toBe(true);
      expect(header).not.toContain('two dots');
      expect((await client.stat()).count).toBe(1);
    } finally {
      await client.quit();
    }
  });

  it('refuses a wrong password as authentication, without the password in the message', async () => {
    const user = await mailbox();
    const failure = await connect(user, 'implicit', password(user, 'wrong horse')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MailConnectionError);
    expect(failure).toMatchObject({ reason: 'authentication', message: expect.stringContaining('refused the user name or password') });
    expect((failure as Error).message).not.toContain('wrong horse');
  });
});

describe('deleting', () => {
  it('DELE then QUIT deletes the message; close() without QUIT keeps every message', async () => {
    // Prepare
    const user = await mailbox();
    for (const s of ['one', 'two', 'three']) await dovecot.deliver(user, binaryMessage(s));
    // Act: mark two, hang up without QUIT
    const dropped = await connect(user);
    await dropped.dele(1);
    await dropped.dele(2);
    dropped.close();
    const kept = (await dovecot.status(user)).messages;
    // Act: mark one, QUIT
    const committed = await connect(user);
    await committed.dele(1);
    await committed.quit();
    // Assess
    expect(kept).toBe(3);
    expect((await dovecot.status(user)).messages).toBe(2);
  });

  it('DELEs asked for during a RETR are answered each in order; a refused one fails alone', async () => {
    // Prepare
    const user = await mailbox();
    for (const s of ['one', 'two', 'three', 'four']) await dovecot.deliver(user, binaryMessage(s));
    const client = await connect(user);
    // Act: the DELEs wait behind the RETR and go together (pipelined: Dovecot offers PIPELINING)
    const stream = await client.retr(4);
    const deletions = [1, 99, 2, 3].map((n) => client.dele(n));
    for await (const _chunk of stream);
    const answers = await Promise.allSettled(deletions);
    await client.quit();
    // Assess: 99 does not exist; the others were deleted
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((await dovecot.status(user)).messages).toBe(1);
  });
});

describe('size limit', () => {
  it('a message beyond maxBytes fails its stream and closes the session, deleting nothing', async () => {
    const user = await mailbox();
    const raw = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), Buffer.alloc(300_000, 'x'.repeat(76) + '\r\n')]);
    await dovecot.deliver(user, raw);
    const client = await connect(user);
    const stream = await client.retr(1, 100_000);
    await expect(buffer(stream)).rejects.toBeInstanceOf(MessageTooLargeError);
    await expect(client.stat()).rejects.toBeInstanceOf(MailConnectionError);
    expect((await dovecot.status(user)).messages).toBe(1);
  });

  it('streams a large message with a slow reader byte for byte (backpressure)', async () => {
    const user = await mailbox();
    const raw = Buffer.concat([Buffer.from('Subject: large\r\n\r\n'), Buffer.alloc(7 * 571_428, '.line\r\n')]);
    await dovecot.deliver(user, raw);
    const client = await connect(user);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await client.retr(1)) {
        chunks.push(chunk as Buffer);
        if (chunks.length % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(Buffer.concat(chunks).equals(raw)).toBe(true);
      expect((await client.stat()).count).toBe(1);
    } finally {
      await client.quit();
    }
  });
});

describe('one command at a time', () => {
  it('queues commands issued together and answers each in order', async () => {
    const user = await mailbox();
    await dovecot.deliver(user, binaryMessage('queued'));
    const client = await connect(user);
    try {
      const [stat, listing, sizes] = await Promise.all([client.stat(), client.uidl(), client.list()]);
      expect([stat.count, listing.length, sizes.length]).toEqual([1, 1, 1]);
    } finally {
      await client.quit();
    }
  });

  it('a RETR stream dropped half-way closes the session, so no later command reads the rest of the message', async () => {
    const user = await mailbox();
    await dovecot.deliver(user, Buffer.concat([Buffer.from('Subject: dropped\r\n\r\n'), Buffer.alloc(7 * 200_000, 'abcde\r\n')]));
    await dovecot.deliver(user, binaryMessage('marked'));
    const client = await connect(user);
    await client.dele(2);
    const stream = await client.retr(1);
    for await (const _ of stream) break; // the consumer gives up after the first chunk
    await expect(client.stat()).rejects.toBeInstanceOf(MailConnectionError);
    expect((await dovecot.status(user)).messages).toBe(2);
  });
});

describe('XOAUTH2 against the oauth2 passdb', () => {
  it.each([
    ['a short token (initial response)', 'tok-short'],
    ['a long token (sent after the + continuation)', `tok-${'x'.repeat(400)}`],
  ])('logs in with %s', async (_, token) => {
    const user = await mailbox();
    introspection.activeTokens.set(token, user);
    const client = await connect(user, 'implicit', { kind: 'oauth2', user, accessToken: token });
    try {
      expect((await client.stat()).count).toBe(0);
      expect(introspection.introspected).toContain(token);
    } finally {
      await client.quit();
    }
  });

  it('refuses an inactive token as authentication, naming the user and not the token', async () => {
    const user = await mailbox();
    const failure = await connect(user, 'starttls', { kind: 'oauth2', user, accessToken: 'tok-revoked-123' }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ reason: 'authentication', message: expect.stringContaining(`refused the OAuth2 access token for ${user}`) });
    expect((failure as Error).message).not.toContain('tok-revoked-123');
  });
});
