/**
 * The one rule for header text (issue 11 item 6): refused at the edge with a field-level message,
 * flattened and encoded at the last line so that no value can add a header or a recipient.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  displayNameProblem,
  encodeDisplayName,
  encodeHeaderText,
  flattenHeaderText,
  HEADER_TEXT_LIMITS,
  headerTextProblem,
} from '../../../../lambdas/core/outbound/header-text.ts';

/** Decodes what encodeHeaderText writes (unfold, then B encoded-words), as a reader would. */
function decode(field: string): string {
  const unfolded = field.replace(/\r\n /g, ' ');
  return unfolded.replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=(?: (?==\?UTF-8\?B\?))?/g, (_m, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
}

describe('headerTextProblem and displayNameProblem (the edge)', () => {
  it.each([
    ['CR LF', 'Hallo\r\nBcc: evil@x.example', 'U+000D'],
    ['NUL', 'Hallo\u0000', 'U+0000'],
    ['NEL', 'Hallo\u0085Welt', 'U+0085'],
    ['U+2028', 'Hallo\u2028Welt', 'U+2028'],
    ['U+2029', 'Hallo\u2029Welt', 'U+2029'],
    ['a tab', 'Hallo\tWelt', 'U+0009'],
    ['ESC', 'Hallo\u001b[31m', 'U+001B'],
    ['a C1 control', 'Hallo\u009bWelt', 'U+009B'],
  ])('refuses %s and says which character where', (_what, value, cp) => {
    expect(headerTextProblem(value)).toContain(cp);
    expect(displayNameProblem(value)).toContain(cp);
  });

  it('refuses a broken surrogate pair', () => {
    expect(headerTextProblem('a\ud800b')).toMatch(/surrogate/);
  });

  it('accepts German, Japanese, emoji and commas', () => {
    for (const v of ['Ihre Anfrage – Grüße aus Köln', 'お問い合わせありがとうございます', 'Support 📨', 'Müller, Hans']) {
      expect(headerTextProblem(v)).toBeUndefined();
      expect(displayNameProblem(v)).toBeUndefined();
    }
  });

  it("refuses a display name that reads as an address: '\"Bank\" <ceo@bank.example>, Evil'", () => {
    expect(displayNameProblem('"Bank" <ceo@bank.example>, Evil')).toBe("must be a name, not an address: no '@', '<' or '>'");
    expect(displayNameProblem('ceo@bank.example')).toBeDefined();
    expect(headerTextProblem('"Bank" <ceo@bank.example>, Evil')).toBeUndefined();
  });
});

describe('flattenHeaderText and the encoders (the last line)', () => {
  it('turns every control and line separator into a space and trims', () => {
    expect(flattenHeaderText(' a\r\nb\u0085c\u2028d\u0000 ')).toBe('a  b c d');
  });

  it('keeps short ASCII as it is, and folds long ASCII at spaces', () => {
    expect(encodeHeaderText('Your request', 9)).toBe('Your request');
    const long = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const field = encodeHeaderText(long, 9);
    expect(field).toContain('\r\n ');
    expect(field.replace(/\r\n /g, ' ')).toBe(long);
  });

  it('encodes non-ASCII and text that looks like an encoded-word', () => {
    expect(encodeHeaderText('Grüße', 9)).toBe('=?UTF-8?B?R3LDvMOfZQ==?=');
    expect(encodeHeaderText('=?UTF-8?B?QmNj?=', 9)).toMatch(/^=\?UTF-8\?B\?/);
  });

  it('quotes an ASCII display name and escapes quotes and backslashes', () => {
    expect(encodeDisplayName('Müller')).toBe('=?UTF-8?B?TcO8bGxlcg==?=');
    expect(encodeDisplayName('Doe, John "JD" \\')).toBe('"Doe, John \\"JD\\" \\\\"');
  });

  it('writes, for any text, printable ASCII lines of at most 78 characters that decode to the flattened text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (value) => {
        for (const field of [encodeHeaderText(value, 'Subject: '.length), encodeDisplayName(value)]) {
          const lines = field.split('\r\n');
          expect(lines.every((l, i) => (i === 0 || l.startsWith(' ')) && /^[\u0020-\u007e]*$/.test(l))).toBe(true);
          lines.forEach((l, i) => expect(l.length + (i === 0 ? 9 : 0)).toBeLessThanOrEqual(HEADER_TEXT_LIMITS.maxLineChars));
        }
        const flat = flattenHeaderText(value);
        expect(decode(encodeHeaderText(value, 9))).toBe(flat);
      }),
      { numRuns: 500 },
    );
  });
});
