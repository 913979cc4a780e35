import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charCount, hasControlCharacters, hostKind, isSendablePassword, normalizeHost } from '../../../../lambdas/core/mailboxes/server-text.ts';

describe('charCount', () => {
  it('counts emoji and CJK characters once each, not in UTF-16 units', () => {
    // Prepare: a grinning face and a CJK Extension B character are two UTF-16 units each.
    const text = '😀𠀋日本é';

    // Act
    const n = charCount(text);

    // Assess
    expect(text.length).toBe(7);
    expect(n).toBe(5);
  });

  it('equals the number of code points of any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
        expect(charCount(text)).toBe(Array.from(text).length);
      }),
    );
  });
});

describe('hasControlCharacters / isSendablePassword', () => {
  it('finds control characters and lone surrogates, and lets any printable script through', () => {
    expect(hasControlCharacters('Support\nBcc: x')).toBe(true);
    expect(hasControlCharacters('a\u0000b')).toBe(true);
    expect(hasControlCharacters('lone \ud800 surrogate')).toBe(true);
    // NEL and the Unicode line and paragraph separators break lines too (issue 11 item 6).
    for (const breaker of ['\u0085', '\u2028', '\u2029']) expect(hasControlCharacters(`Support${breaker}Bcc: x`), breaker).toBe(true);
    expect(hasControlCharacters('Kundendienst – Größe 😀 日本語 العربية')).toBe(false);
  });

  it('refuses in a password only what no protocol can send: NUL, CR, LF and lone surrogates', () => {
    expect(isSendablePassword(' tab\tand spaces ')).toBe(true);
    expect(isSendablePassword('pässwörd 🔑')).toBe(true);
    for (const bad of ['a\u0000b', 'a\rb', 'a\nb', '\udc00']) expect(isSendablePassword(bad), JSON.stringify(bad)).toBe(false);
  });
});

describe('hostKind', () => {
  it('reads host names, IPv4 and IPv6 addresses', () => {
    expect(hostKind('pop-mail.outlook.com')).toBe('name');
    expect(hostKind('localhost')).toBe('name');
    expect(hostKind('mail.bücher.de')).toBe('name');
    expect(hostKind('メール.例え.jp')).toBe('name');
    expect(hostKind('192.0.2.10')).toBe('ipv4');
    expect(hostKind('2001:db8::25')).toBe('ipv6');
    expect(hostKind('::ffff:192.0.2.1')).toBe('ipv6');
  });

  it('refuses what is neither', () => {
    for (const bad of ['', 'mail server.example.com', '69169235170', '256.1.1.1', '-mail.example.com', 'mail-.example.com', 'mail..example.com', 'mail.123', 'fe80::1%eth0', 'a_b.example.com', '😀.example.com', 'a'.repeat(64)]) {
      expect(hostKind(bad), bad).toBeUndefined();
    }
  });
});

describe('normalizeHost', () => {
  it('trims, lower-cases, maps ideographic dots, drops the root dot and IPv6 brackets', () => {
    expect(normalizeHost('  IMAP.Example.COM. ')).toBe('imap.example.com');
    expect(normalizeHost('メール。例え。jp')).toBe('メール.例え.jp');
    expect(normalizeHost('[2001:DB8::25]')).toBe('2001:db8::25');
    expect(normalizeHost('[::1].')).toBe('::1');
    expect(normalizeHost('[mail.example.com]')).toBe('[mail.example.com]');
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: fc.constantFrom('[', ']', '.', '。', ':', ' ', 'A', 'a', '1'), maxLength: 12 })), (host) => {
        const once = normalizeHost(host);
        expect(normalizeHost(once)).toBe(once);
      }),
      { numRuns: 2_000 },
    );
  });
});
