import { describe, expect, it } from 'vitest';
import { ERROR_REASONS as R } from '../../../../lambdas/core/error-reasons.ts';
import { assertValidMailServer, mailServerErrors, mailServerProblems, normalizeMailServer, type MailServerInput } from '../../../../lambdas/core/mailboxes/server-rules.ts';
import { imapServerInput, mailServerContext, smtpServerInput } from '../../../support/mail-servers.ts';

const ctx = mailServerContext();
const problemsOf = (input: MailServerInput, context = ctx) => mailServerProblems(normalizeMailServer(input), context);
const reasonsOf = (input: MailServerInput, context = ctx) => Object.fromEntries(Object.entries(problemsOf(input, context)).map(([k, p]) => [k, p.reason]));

describe('normalizeMailServer', () => {
  it('applies the defaults: TLS, its port, Basic, INBOX for IMAP, agent, disabled', () => {
    // Act
    const { settings, password } = normalizeMailServer({ type: 'imap', name: 'Support', host: 'imap.example.com', user: 'support@example.com', password: 'pw' });

    // Assess
    expect(settings).toEqual({
      type: 'imap',
      name: 'Support',
      description: '',
      host: 'imap.example.com',
      port: 993,
      tls: true,
      requireStartTls: false,
      authType: 'basic',
      user: 'support@example.com',
      imapFolder: 'INBOX',
      disableCompression: false,
      additionalSenders: [],
      role: 'agent',
      enabled: false,
    });
    expect(password).toBe('pw');
  });

  it('picks the plain port without TLS and keeps no folder for POP3 and SMTP', () => {
    expect(normalizeMailServer({ ...imapServerInput(), type: 'pop3', tls: false }).settings).toMatchObject({ port: 110 });
    expect(normalizeMailServer({ ...imapServerInput(), type: 'pop3' }).settings).not.toHaveProperty('imapFolder');
    expect(normalizeMailServer(smtpServerInput({ tls: false })).settings).toMatchObject({ port: 587 });
  });

  it('trims text but never the password, and keeps the password out of the settings', () => {
    // Act
    const n = normalizeMailServer(imapServerInput({ name: '  Support  ', user: ' support@example.com ', password: '  spaced  ', host: ' IMAP.Example.com. ' }));

    // Assess
    expect(n.settings).toMatchObject({ name: 'Support', user: 'support@example.com', host: 'imap.example.com' });
    expect(n.password).toBe('  spaced  ');
    expect(JSON.stringify(n.settings)).not.toContain('spaced');
  });

  it('reads an empty password as none, lower-cases and de-duplicates senders and the routing address', () => {
    const n = normalizeMailServer(smtpServerInput({ password: '', additionalSenders: ['NoReply@Example.com', 'noreply@example.com ', 'sales@example.com'] }));
    expect(n.password).toBeUndefined();
    expect(n.settings.additionalSenders).toEqual(['noreply@example.com', 'sales@example.com']);
    const routed = normalizeMailServer(imapServerInput({ routing: { kind: 'address', address: ' Support@Example.COM' } }));
    expect(routed.settings.routing).toEqual({ kind: 'address', address: 'support@example.com' });
  });

  it('composes a name typed with combining accents (NFC), so it counts as it looks', () => {
    expect(normalizeMailServer(imapServerInput({ name: 'Cafe\u0301' })).settings.name).toBe('Café');
  });
});

describe('mail server rules', () => {
  it('accepts valid IMAP, POP3 and SMTP servers', () => {
    expect(mailServerErrors(normalizeMailServer(imapServerInput()), ctx)).toEqual({});
    expect(mailServerErrors(normalizeMailServer({ ...imapServerInput(), type: 'pop3', routing: { kind: 'address', address: 'support@example.com' } }), ctx)).toEqual({});
    expect(mailServerErrors(normalizeMailServer(smtpServerInput({ role: 'template', additionalSenders: ['noreply@example.com'] })), ctx)).toEqual({});
  });

  it('counts Unicode text in characters: 200 emoji or CJK characters are a valid name, 201 are not', () => {
    // Prepare: 200 astral characters are 400 UTF-16 units.
    const emoji = '😀'.repeat(100) + '𠀋'.repeat(100);
    expect(emoji.length).toBe(400);

    // Act
    const at = problemsOf(imapServerInput({ name: emoji, description: '日本語のサポート窓口 ✉️'.repeat(10).slice(0, 240) }));
    const over = problemsOf(imapServerInput({ name: `${emoji}日` }));

    // Assess
    expect(at).toEqual({});
    expect(over).toEqual({ name: { reason: R.valueOutOfRange, message: 'must be 1-200 characters' } });
  });

  it('requires name, host and user, and refuses control characters in text', () => {
    expect(reasonsOf(imapServerInput({ name: '  ', host: '', user: '' }))).toEqual({ name: R.valueOutOfRange, host: R.valueOutOfRange, user: R.valueOutOfRange });
    expect(reasonsOf(imapServerInput({ name: 'Support\r\nX-Injected: 1', description: 'tab\there', imapFolder: 'INBOX\u0000' }))).toEqual({
      name: R.mailServerTextInvalid,
      description: R.mailServerTextInvalid,
      imapFolder: R.mailServerTextInvalid,
    });
  });

  it('accepts a host name (also in Unicode) or an IP address, and refuses anything else', () => {
    for (const host of ['mail.bücher.de', 'メール。例え。jp', '192.0.2.10', '[2001:db8::25]', 'dovecot']) {
      expect(reasonsOf(imapServerInput({ host, sniServerName: 'imap.example.com' })), host).toEqual({});
    }
    for (const host of ['mail server.example.com', '69169235170', 'http://imap.example.com', 'imap.example.com:993']) {
      expect(reasonsOf(imapServerInput({ host })), host).toEqual({ host: R.mailServerHostInvalid });
    }
  });

  it('requires the SNI name when the host is an IP address and TLS is used, and it must be a host name', () => {
    expect(problemsOf(imapServerInput({ host: '192.0.2.10' }))).toEqual({
      sniServerName: { reason: R.mailServerSniRequired, message: 'required when the host is an IP address and TLS is used: the name the certificate is checked against' },
    });
    expect(reasonsOf(imapServerInput({ host: '2001:db8::25', tls: false, requireStartTls: true }))).toEqual({ sniServerName: R.mailServerSniRequired });
    expect(reasonsOf(imapServerInput({ host: '192.0.2.10', tls: false }))).toEqual({});
    expect(reasonsOf(imapServerInput({ host: '192.0.2.10', sniServerName: '192.0.2.10' }))).toEqual({ sniServerName: R.mailServerHostInvalid });
    expect(reasonsOf(imapServerInput({ sniServerName: 'Mail.Example.com' }))).toEqual({});
  });

  it('requires STARTTLS only without implicit TLS, and a port from 1 to 65535', () => {
    expect(reasonsOf(imapServerInput({ requireStartTls: true }))).toEqual({ requireStartTls: R.mailServerStartTlsWithTls });
    expect(reasonsOf(imapServerInput({ tls: false, requireStartTls: true }))).toEqual({});
    for (const port of [0, 65_536, 99.5]) expect(reasonsOf(imapServerInput({ port })), String(port)).toEqual({ port: R.valueOutOfRange });
    expect(reasonsOf(imapServerInput({ port: 65_535 }))).toEqual({});
  });

  it('takes a password only with Basic authentication, and needs one to enable a Basic server', () => {
    const oauth2 = { provider: 'microsoft', flow: 'authorization-code', clientId: 'c' } as const;
    expect(reasonsOf(imapServerInput({ authType: 'oauth2', oauth2 }))).toEqual({ password: R.mailServerPasswordNotAllowed });
    expect(reasonsOf(imapServerInput({ authType: 'oauth2', oauth2, password: undefined }))).toEqual({});
    expect(reasonsOf(imapServerInput({ password: undefined }))).toEqual({ password: R.mailServerPasswordRequired });
    expect(reasonsOf(imapServerInput({ password: undefined }), mailServerContext({ storedSecret: true }))).toEqual({});
    expect(reasonsOf(imapServerInput({ password: undefined, enabled: false }))).toEqual({});
    expect(reasonsOf(imapServerInput({ password: 'line\r\nbreak' }))).toEqual({ password: R.mailServerTextInvalid });
  });

  it('keeps folder and compression to IMAP, additional senders and the template role to SMTP, routing to inbound', () => {
    const pop3 = { ...imapServerInput(), type: 'pop3' as const };
    expect(reasonsOf({ ...pop3, imapFolder: 'Support', disableCompression: true, additionalSenders: ['a@example.com'], role: 'template' })).toEqual({
      imapFolder: R.mailServerOptionNotForType,
      disableCompression: R.mailServerOptionNotForType,
      additionalSenders: R.mailServerOptionNotForType,
      role: R.mailServerOptionNotForType,
    });
    expect(reasonsOf(smtpServerInput({ imapFolder: 'INBOX', routing: { kind: 'flow', flowId: 'triage' } }))).toEqual({
      imapFolder: R.mailServerOptionNotForType,
      routing: R.mailServerOptionNotForType,
    });
    expect(reasonsOf(imapServerInput({ imapFolder: 'Support/Eingang', disableCompression: true }))).toEqual({});
  });

  it('needs an existing routing to enable an inbound server', () => {
    expect(problemsOf(imapServerInput({ routing: undefined }))).toEqual({
      routing: { reason: R.mailServerRoutingRequired, message: 'required to enable an inbound server: an address route or a flow' },
    });
    expect(reasonsOf(imapServerInput({ routing: undefined, enabled: false }))).toEqual({});
    expect(reasonsOf(imapServerInput({ routing: { kind: 'flow', flowId: 'gone' } }))).toEqual({ 'routing.flowId': R.flowNotFound });
    expect(reasonsOf(imapServerInput({ routing: { kind: 'address', address: 'sales@example.com' } }))).toEqual({ 'routing.address': R.addressNotFound });
  });

  it('checks additional senders are addresses, and needs one when the SMTP user is no address', () => {
    expect(reasonsOf(smtpServerInput({ additionalSenders: ['ok@example.com', 'not an address'] }))).toEqual({ 'additionalSenders[1]': R.addressMalformed });
    expect(reasonsOf(smtpServerInput({ user: 'relay-user' }))).toEqual({ additionalSenders: R.mailServerSenderRequired });
    expect(reasonsOf(smtpServerInput({ user: 'relay-user', additionalSenders: ['noreply@example.com'] }))).toEqual({});
    expect(reasonsOf(smtpServerInput({ user: 'Support@Example.com' }))).toEqual({});
  });

  it('allows at most one template server: another one is refused, the template server itself may be saved', () => {
    const template = smtpServerInput({ role: 'template' });
    expect(problemsOf(template, mailServerContext({ templateServerId: 'srv-7' }))).toEqual({
      role: { reason: R.mailServerTemplateTaken, message: 'server srv-7 is the template server already; make it an agent server first' },
    });
    expect(reasonsOf(template, mailServerContext({ templateServerId: 'srv-7', serverId: 'srv-7' }))).toEqual({});
    expect(reasonsOf(smtpServerInput(), mailServerContext({ templateServerId: 'srv-7' }))).toEqual({});
  });

  it('throws every field problem as one ValidationError', () => {
    expect(() => assertValidMailServer(normalizeMailServer(imapServerInput({ name: '', host: 'bad host' })), ctx)).toThrow(
      expect.objectContaining({ code: 'validation', fields: { name: 'must be 1-200 characters', host: 'must be a host name (mail.example.com) or an IPv4 or IPv6 address' } }),
    );
  });
});
