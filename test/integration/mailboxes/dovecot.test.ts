/**
 * The Dovecot harness the pollers will be tested against (issue 10, item 7): one real server for
 * the file, reached the way a poller and an SMTP sender reach a customer's mailbox — IMAP and POP3
 * over implicit TLS and STARTTLS, submission with STARTTLS and AUTH — plus the mailbox changes the
 * poller tests need (delivery, another client's \Seen, UIDVALIDITY changes).
 */
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../support/dovecot.ts';
import { startTestIntrospection, type TestIntrospection } from '../../support/oauth2-introspection.ts';
import { openPop3, pop3Lines } from '../../support/pop3-session.ts';

let dovecot: DovecotServer;
let introspection: TestIntrospection;

beforeAll(async () => {
  introspection = await startTestIntrospection();
  dovecot = await startDovecot({ users: { 'support@example.test': 's3cret pass' }, oauth2: { introspectionUrl: introspection.url } });
});
afterAll(async () => {
  await dovecot?.stop();
  await introspection?.stop();
});

const message = (subject: string) =>
  `From: Kim <kim@customer.test>\r\nTo: support@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@customer.test>\r\n\r\nHello, ${subject}.\r\n`;

function imap(over: Partial<ImapFlowOptions> & { user?: string; pass?: string } = {}): ImapFlow {
  const { user = 'support@example.test', pass = 's3cret pass', ...options } = over;
  return new ImapFlow({
    host: dovecot.host, port: dovecot.ports.imaps, secure: true, tls: { ca: dovecot.certificate },
    auth: { user, pass }, logger: false, ...options,
  });
}

describe('IMAP', () => {
  it('logs in over implicit TLS, selects INBOX and fetches a delivered message by its UID', async () => {
    // Prepare
    const raw = message('imaps fetch');
    const uid = await dovecot.deliver('support@example.test', raw);
    const client = imap();
    // Act
    await client.connect();
    try {
      const mailbox = await client.mailboxOpen('INBOX');
      const fetched = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      // Assess
      expect(client.secureConnection).toBe(true);
      expect(mailbox.uidValidity).toBe(BigInt((await dovecot.status('support@example.test')).uidValidity));
      expect(fetched && fetched.uid).toBe(uid);
      expect(fetched && fetched.source?.toString()).toBe(raw);
    } finally {
      await client.logout();
    }
  });

  it('upgrades the plain port with STARTTLS before logging in', async () => {
    const client = imap({ port: dovecot.ports.imap, secure: false, doSTARTTLS: true });
    await client.connect();
    try {
      expect(client.secureConnection).toBe(true);
      expect(await client.status('INBOX', { messages: true })).toMatchObject({ path: 'INBOX' });
    } finally {
      await client.logout();
    }
  });

  it('rejects a wrong password as an authentication failure', async () => {
    const client = imap({ pass: 'wrong' });
    await expect(client.connect()).rejects.toMatchObject({ authenticationFailed: true });
    client.close();
  });
});

describe('OAuth2 (XOAUTH2 against the oauth2 passdb)', () => {
  it('logs in with an access token the authorization server calls active', async () => {
    introspection.activeTokens.set('token-ok', 'support@example.test');
    const client = imap({ auth: { user: 'support@example.test', accessToken: 'token-ok' } });
    await client.connect();
    try {
      expect(client.authenticated).toBeTruthy();
      expect(introspection.introspected).toContain('token-ok');
    } finally {
      await client.logout();
    }
  });

  it('rejects a token the authorization server calls inactive (expired or revoked)', async () => {
    const client = imap({ auth: { user: 'support@example.test', accessToken: 'token-revoked' } });
    await expect(client.connect()).rejects.toMatchObject({ authenticationFailed: true });
    client.close();
    expect(introspection.introspected).toContain('token-revoked');
  });

  it('rejects an active token that names another user', async () => {
    introspection.activeTokens.set('token-other', 'someone@example.test');
    const client = imap({ auth: { user: 'support@example.test', accessToken: 'token-other' } });
    await expect(client.connect()).rejects.toMatchObject({ authenticationFailed: true });
    client.close();
  });
});

describe('POP3', () => {
  it.each(['POP3S', 'POP3 STLS'] as const)('%s: logs in, and STAT, UIDL and RETR show the delivered message', async (mode) => {
    // Prepare
    await dovecot.addUser('pop@example.test', 'pop pass');
    const raw = message(`pop3 ${mode}`);
    await dovecot.deliver('pop@example.test', raw);
    const session = await openPop3(dovecot, mode);
    try {
      // Act
      await session.command('USER pop@example.test');
      await session.command('PASS pop pass');
      const stat = await session.command('STAT');
      const uidl = await session.command('UIDL', true);
      const retr = await session.command(`RETR ${stat.split(' ')[1]}`, true);
      // Assess
      expect(session.encrypted()).toBe(true);
      expect(stat).toMatch(/^\+OK [1-9]\d* \d+/);
      expect(pop3Lines(uidl).split('\r\n')).toHaveLength(Number(stat.split(' ')[1]));
      expect(pop3Lines(retr)).toBe(raw.slice(0, -2));
    } finally {
      await session.command('QUIT').catch(() => undefined);
      session.close();
    }
  });

  it('rejects a wrong password with -ERR', async () => {
    const session = await openPop3(dovecot, 'POP3S');
    try {
      await session.command('USER support@example.test');
      await expect(session.command('PASS wrong')).rejects.toThrow(/^-ERR \[AUTH\]/);
    } finally {
      session.close();
    }
  });
});

describe('submission', () => {
  const transport = (pass: string) =>
    nodemailer.createTransport({
      host: dovecot.host, port: dovecot.ports.submission, secure: false, requireTLS: true,
      tls: { ca: dovecot.certificate }, auth: { user: 'support@example.test', pass },
    });

  it('accepts mail after STARTTLS and AUTH and relays it to the sink', async () => {
    const sender = transport('s3cret pass');
    try {
      await sender.sendMail({ from: 'support@example.test', to: 'kim@customer.test', subject: 'Your ticket', text: 'We are on it.' });
    } finally {
      sender.close();
    }
    const relayed = dovecot.submitted.at(-1);
    expect(relayed?.from).toBe('support@example.test');
    expect(relayed?.to).toEqual(['kim@customer.test']);
    expect(relayed?.raw.toString()).toContain('Subject: Your ticket');
  });

  it('rejects a wrong password with 535', async () => {
    const sender = transport('wrong');
    const before = dovecot.submitted.length;
    try {
      await expect(sender.sendMail({ from: 'support@example.test', to: 'kim@customer.test', text: 'x' })).rejects.toMatchObject({ responseCode: 535 });
    } finally {
      sender.close();
    }
    expect(dovecot.submitted).toHaveLength(before);
  });
});

describe('mailbox changes for the poller tests', () => {
  it('markSeen sets \\Seen as another client would', async () => {
    const uid = await dovecot.deliver('support@example.test', message('read elsewhere'));
    await dovecot.markSeen('support@example.test', uid);
    expect((await dovecot.messages('support@example.test')).find((m) => m.uid === uid)?.flags).toContain('\\Seen');
  });

  it('deliver into a new folder creates it and numbers from UID 1', async () => {
    const first = await dovecot.deliver('support@example.test', message('folder one'), { folder: 'Support' });
    const second = await dovecot.deliver('support@example.test', message('folder two'), { folder: 'Support' });
    expect([first, second]).toEqual([1, 2]);
  });

  it('deliverMany stores a large mailbox in input order with the given INTERNALDATEs', async () => {
    // Prepare: 1,000 messages, one every hour going back, so about 168 fall within 7 days
    await dovecot.addUser('bulk@example.test', 'bulk pass');
    const now = Date.now();
    const batch = Array.from({ length: 1_000 }, (_, i) => ({ raw: message(`bulk ${i}`), receivedAt: new Date(now - (i * 3_600 + 60) * 1_000) }));
    // Act
    const uids = await dovecot.deliverMany('bulk@example.test', batch, { folder: 'Archive' });
    // Assess
    expect(uids).toEqual(batch.map((_, i) => i + 1));
    const client = imap({ user: 'bulk@example.test', pass: 'bulk pass' });
    await client.connect();
    try {
      await client.mailboxOpen('Archive');
      const sample = await client.fetchAll('1,500,1000', { uid: true, envelope: true, internalDate: true }, { uid: true });
      expect(sample.map((m) => m.envelope?.messageId)).toEqual(['<bulk0@customer.test>', '<bulk499@customer.test>', '<bulk999@customer.test>']);
      expect(sample.map((m) => new Date(m.internalDate ?? 0).getTime())).toEqual([0, 499, 999].map((i) => Math.floor(batch[i]!.receivedAt.getTime() / 1000) * 1000));
      const lastWeek = await client.search({ since: new Date(now - 7 * 86_400_000) }, { uid: true });
      expect((lastWeek || []).length).toBeGreaterThanOrEqual(167);
      expect((lastWeek || []).length).toBeLessThanOrEqual(169);
    } finally {
      await client.logout();
    }
  });

  it('setUidValidity changes UIDVALIDITY and keeps the UIDs', async () => {
    const before = await dovecot.messages('support@example.test');
    await dovecot.setUidValidity('support@example.test', 4242);
    const client = imap();
    await client.connect();
    try {
      expect((await client.mailboxOpen('INBOX')).uidValidity).toBe(4242n);
    } finally {
      await client.logout();
    }
    expect((await dovecot.messages('support@example.test')).map((m) => m.uid)).toEqual(before.map((m) => m.uid));
  });

  it('resetMailbox renumbers the same messages from UID 1 under a new UIDVALIDITY', async () => {
    await dovecot.deliver('support@example.test', message('reset one'), { folder: 'Reset' });
    await dovecot.deliver('support@example.test', message('reset two'), { folder: 'Reset' });
    await dovecot.deliver('support@example.test', message('reset three'), { folder: 'Reset' });
    const old = await dovecot.status('support@example.test', 'Reset');
    const uidValidity = await dovecot.resetMailbox('support@example.test', 'Reset');
    const after = await dovecot.status('support@example.test', 'Reset');
    expect(uidValidity).not.toBe(old.uidValidity);
    expect(after).toMatchObject({ messages: 3, uidValidity, uidNext: 4 });
  });
});
