/**
 * Every limit of a mail server's settings (seed manage-email-servers.de.txt), as properties over
 * Unicode text: a value of exactly the limit in characters is accepted, one character more is
 * refused with that field named. Characters come from scripts whose UTF-16 length differs from
 * their character count (emoji, CJK Extension B), so a limit counted in UTF-16 units would fail.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_REASONS as R } from '../../../../lambdas/core/error-reasons.ts';
import { mailServerProblems, normalizeMailServer, type MailServerInput } from '../../../../lambdas/core/mailboxes/server-rules.ts';
import { charCount } from '../../../../lambdas/core/mailboxes/server-text.ts';
import { MAIL_SERVER_LIMITS as L } from '../../../../lambdas/core/mailboxes/server.ts';
import { imapServerInput, mailServerContext, smtpServerInput } from '../../../support/mail-servers.ts';

const range = (from: number, to: number) => fc.integer({ min: from, max: to }).map((cp) => String.fromCodePoint(cp));

/** Lower-case letters and digits of several scripts: valid in a host label, unchanged by NFC and lower-casing. */
const hostChar = fc.oneof(range(0x61, 0x7a), range(0x30, 0x39), range(0xe0, 0xf6), range(0x430, 0x44f), range(0x3041, 0x3096), range(0x4e00, 0x9fff), range(0x20000, 0x2a6df));
/** Any printable text character: host characters, capitals, Arabic, and astral emoji. */
const textChar = fc.oneof(hostChar, range(0x41, 0x5a), range(0xc0, 0xd6), range(0x627, 0x64a), range(0x1f600, 0x1f64f));

/** Text of exactly `n` characters that trimming leaves as it is. */
const textOf = (n: number) => fc.array(textChar, { minLength: n, maxLength: n }).map((cs) => cs.join(''));
/** A password of exactly `n` characters; spaces anywhere, at its ends too, since a password is never trimmed. */
const passwordOf = (n: number) => fc.array(fc.oneof(textChar, fc.constant(' ')), { minLength: n, maxLength: n }).map((cs) => cs.join(''));
/** A host name of exactly `n` characters: labels of 60 characters, the last one ending in a letter. */
const hostOf = (n: number) =>
  fc.array(hostChar, { minLength: n, maxLength: n }).map((cs) => cs.map((c, i) => (i === n - 1 ? 'm' : i % 61 === 60 ? '.' : c)).join(''));

interface Limit {
  readonly field: string;
  readonly max: number;
  readonly valueOf: (n: number) => fc.Arbitrary<string>;
  readonly input: (value: string) => MailServerInput;
}

const LIMITS: readonly Limit[] = [
  { field: 'name', max: L.maxNameChars, valueOf: textOf, input: (name) => imapServerInput({ name }) },
  { field: 'description', max: L.maxDescriptionChars, valueOf: textOf, input: (description) => imapServerInput({ description }) },
  { field: 'host', max: L.maxHostChars, valueOf: hostOf, input: (host) => imapServerInput({ host }) },
  { field: 'user', max: L.maxUserChars, valueOf: textOf, input: (user) => imapServerInput({ user }) },
  { field: 'password', max: L.maxPasswordChars, valueOf: passwordOf, input: (password) => imapServerInput({ password }) },
  { field: 'imapFolder', max: L.maxImapFolderChars, valueOf: textOf, input: (imapFolder) => imapServerInput({ imapFolder }) },
  { field: 'sniServerName', max: L.maxSniServerNameChars, valueOf: hostOf, input: (sniServerName) => imapServerInput({ sniServerName }) },
];

const ctx = mailServerContext();

describe('mail server limits (property)', () => {
  for (const { field, max, valueOf, input } of LIMITS) {
    it(`${field}: ${max} characters are accepted, ${max + 1} are refused naming ${field}`, () => {
      fc.assert(
        fc.property(valueOf(max), valueOf(max + 1), (atLimit, overLimit) => {
          // Prepare
          expect(charCount(atLimit)).toBe(max);

          // Act
          const accepted = mailServerProblems(normalizeMailServer(input(atLimit)), ctx);
          const refused = mailServerProblems(normalizeMailServer(input(overLimit)), ctx);

          // Assess
          expect(accepted).toEqual({});
          expect(Object.keys(refused)).toEqual([field]);
          expect(refused[field]!.reason).toBe(R.valueOutOfRange);
        }),
        { numRuns: 50 },
      );
    });
  }

  it(`additionalSenders: ${L.maxAdditionalSenders} distinct addresses are accepted, ${L.maxAdditionalSenders + 1} are refused`, () => {
    const locals = fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,20}$/), { minLength: L.maxAdditionalSenders + 1, maxLength: L.maxAdditionalSenders + 1 });
    fc.assert(
      fc.property(locals, (names) => {
        const addresses = names.map((n) => `${n}@example.com`);
        const accepted = mailServerProblems(normalizeMailServer(smtpServerInput({ additionalSenders: addresses.slice(1) })), ctx);
        const refused = mailServerProblems(normalizeMailServer(smtpServerInput({ additionalSenders: addresses })), ctx);
        expect(accepted).toEqual({});
        expect(refused).toEqual({ additionalSenders: { reason: R.valueOutOfRange, message: `at most ${L.maxAdditionalSenders} distinct addresses` } });
      }),
      { numRuns: 20 },
    );
  });
});

const anyText = fc.string({ unit: 'binary', maxLength: 300 });
const anyInput: fc.Arbitrary<MailServerInput> = fc.record(
  {
    type: fc.constantFrom('pop3', 'imap', 'smtp'),
    name: anyText,
    description: anyText,
    host: anyText,
    port: fc.integer({ min: -1, max: 70_000 }),
    tls: fc.boolean(),
    requireStartTls: fc.boolean(),
    authType: fc.constantFrom('basic', 'oauth2'),
    user: anyText,
    password: anyText,
    imapFolder: anyText,
    sniServerName: anyText,
    disableCompression: fc.boolean(),
    routing: fc.oneof(fc.record({ kind: fc.constant('flow' as const), flowId: fc.constantFrom('triage', 'gone') }), fc.record({ kind: fc.constant('address' as const), address: anyText })),
    additionalSenders: fc.array(anyText, { maxLength: 5 }),
    role: fc.constantFrom('agent', 'template'),
    enabled: fc.boolean(),
  },
  { requiredKeys: ['type', 'name', 'host', 'user'] },
);

/** The field paths the rules may name. */
const FIELD = /^(?:name|description|host|port|requireStartTls|user|password|imapFolder|sniServerName|disableCompression|routing(?:\.address|\.flowId)?|additionalSenders(?:\[\d+\])?|role|oauth2(?:\.provider|\.flow|\.clientId)?|backfillDays)$/;

describe('mail server rules on arbitrary input (property)', () => {
  it('never throw, name only known fields, and never repeat the password', () => {
    fc.assert(
      fc.property(anyInput, fc.string({ minLength: 12, maxLength: 40 }), (input, secret) => {
        const problems = mailServerProblems(normalizeMailServer({ ...input, password: `${secret}\u2603` }), mailServerContext({ templateServerId: 'srv-7' }));
        for (const field of Object.keys(problems)) expect(field).toMatch(FIELD);
        expect(JSON.stringify(problems)).not.toContain(`${secret}\u2603`);
      }),
      { numRuns: 300 },
    );
  });

  it('normalize twice is normalize once', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const once = normalizeMailServer(input);
        expect(normalizeMailServer({ ...once.settings, password: once.password })).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });
});
