/**
 * Route 53's record format: a TXT text survives quoting and reading back whatever it holds, no
 * string exceeds 255 bytes, and merging a shared TXT set keeps every text Postroom does not write.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TXT_STRING_LENGTH, mergeTxt, planValue, quoteTxt, route53Value, txtKind, unquoteTxt } from '../../../../lambdas/adapters/route53/record-sets.ts';

/** The unescaped byte length of each quoted string of a Route 53 TXT value. */
function stringLengths(value: string): number[] {
  return (value.match(/"(?:[^"\\]|\\\d{3}|\\.)*"/g) ?? []).map((s) => s.slice(1, -1).replace(/\\\d{3}|\\./g, '#').length);
}

describe('TXT quoting', () => {
  it('reads back every text it writes, in strings of at most 255 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 900 }), (text) => {
        const value = quoteTxt(text);
        expect(unquoteTxt(value)).toBe(text);
        const lengths = stringLengths(value);
        expect(lengths.every((n) => n <= MAX_TXT_STRING_LENGTH)).toBe(true);
        expect(lengths.reduce((a, b) => a + b, 0)).toBe(new TextEncoder().encode(text).length);
      }),
    );
  });

  it('writes an SPF record as Route 53 shows it', () => {
    expect(quoteTxt('v=spf1 include:amazonses.com ~all')).toBe('"v=spf1 include:amazonses.com ~all"');
    expect(quoteTxt('')).toBe('""');
    expect(quoteTxt('a"b\\c é')).toBe('"a\\"b\\\\c \\303\\251"');
    expect(unquoteTxt('"v=spf1 ip4:192.0.2.1 " "-all"')).toBe('v=spf1 ip4:192.0.2.1 -all');
  });
});

describe('hosts', () => {
  it('writes CNAME and MX hosts with the trailing dot and reads them back without it', () => {
    expect(route53Value('CNAME', 'tok.dkim.amazonses.com')).toBe('tok.dkim.amazonses.com.');
    expect(route53Value('MX', '10 inbound-smtp.eu-west-1.amazonaws.com.')).toBe('10 inbound-smtp.eu-west-1.amazonaws.com.');
    expect(planValue('MX', '10  Inbound-SMTP.eu-west-1.amazonaws.com.')).toBe('10 inbound-smtp.eu-west-1.amazonaws.com');
  });
});

describe('mergeTxt', () => {
  const other = fc.string({ maxLength: 40 }).filter((t) => txtKind(t) === undefined);
  const spf = fc.string({ maxLength: 40 }).map((t) => `v=spf1 ${t}`);

  it('keeps every text of another kind, leaves one SPF text (ours), and is a no-op the second time', () => {
    fc.assert(
      fc.property(fc.array(other, { maxLength: 5 }), fc.array(spf, { maxLength: 2 }), spf, (others, oldSpf, ours) => {
        const merged = mergeTxt([...others, ...oldSpf], [ours]);
        for (const text of others) expect(merged).toContain(text);
        expect(merged.filter((t) => txtKind(t) === 'spf1')).toEqual([ours]);
        expect(mergeTxt(merged, [ours])).toEqual(merged);
      }),
    );
  });

  it('reads the version tag only where it opens the record', () => {
    expect(txtKind('v=spf1 -all')).toBe('spf1');
    expect(txtKind('V=SPF1')).toBe('spf1');
    expect(txtKind('v=DMARC1; p=none')).toBe('dmarc1');
    expect(txtKind('v=spf10 -all')).toBe('spf10');
    expect(txtKind('google-site-verification=abc')).toBeUndefined();
  });
});
