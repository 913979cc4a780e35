/**
 * One address as Postroom sends to it (issue 11 item 6): normalized (domain lower-case, IDN as
 * punycode, local part kept) or refused with a field-level message when it is not exactly one
 * bare address.
 */
import { describe, expect, it } from 'vitest';
import { normalizeMailAddress, parseMailAddress, parseNamedAddress, parseNamedAddressStrict } from '../../../../lambdas/core/outbound/address.ts';

describe('parseMailAddress', () => {
  it.each([
    ['Help.Desk@Example.COM', 'Help.Desk@example.com'],
    ['  kunde@Bücher.Example ', 'kunde@xn--bcher-kva.example'],
    ['yamada@日本.jp', 'yamada@xn--wgv71a.jp'],
    ['o\'brien+tag@mail.example.org', "o'brien+tag@mail.example.org"],
    ['a@ｅｘａｍｐｌｅ.com', 'a@example.com'],
  ])('normalizes %j to %j', (raw, expected) => {
    expect(parseMailAddress(raw)).toEqual({ ok: true, address: expected });
  });

  it.each([
    ['a CRLF and a second header', 'a@example.com\r\nBcc: evil@x.example'],
    ['a LF', 'a@example.com\nx'],
    ['NUL', 'a\u0000b@example.com'],
    ['NEL (U+0085)', 'a\u0085b@example.com'],
    ['U+2028', 'a@exa\u2028mple.com'],
    ['U+2029', 'a\u2029@example.com'],
    ['DEL', 'a\u007f@example.com'],
    ['a second address', 'a@example.com, b@example.com'],
    ['a second address after a semicolon', 'a@example.com;b@example.com'],
    ['a display name', '"Bank" <ceo@bank.example>'],
    ['brackets', '<a@example.com>'],
    ['a comment', 'a@example.com (boss)'],
    ['two @', 'a@b@example.com'],
    ['no domain', 'a@'],
    ['no local part', '@example.com'],
    ['a single-label domain', 'a@localhost'],
    ['an IP literal', 'a@[127.0.0.1]'],
    ['an all-digit top-level domain', 'a@1.2.3.4'],
    ['a trailing dot', 'a@example.com.'],
    ['an empty label', 'a@example..com'],
    ['a label starting with a hyphen', 'a@-x.example'],
    ['a non-ASCII local part', 'jörg@example.com'],
    ['a quoted local part', '"a b"@example.com'],
    ['a local part of 65 characters', `${'a'.repeat(65)}@example.com`],
    ['nothing', '  '],
  ])('refuses %s', (_what, raw) => {
    const parsed = parseMailAddress(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(/^must /);
    expect(normalizeMailAddress(raw)).toBeUndefined();
  });
});

describe('parseNamedAddress', () => {
  it('keeps a name with a comma and normalizes the address', () => {
    expect(parseNamedAddress({ name: ' Müller, Hans ', address: 'Hans@Example.com' })).toEqual({ ok: true, value: { name: 'Müller, Hans', address: 'Hans@example.com' } });
  });

  it('drops a blank name and accepts a legacy bare string', () => {
    expect(parseNamedAddress({ name: '  ', address: 'a@example.com' })).toEqual({ ok: true, value: { address: 'a@example.com' } });
    expect(parseNamedAddress('a@example.com')).toEqual({ ok: true, value: { address: 'a@example.com' } });
  });

  it('flattens a name from inbound mail (the composer encodes it) and refuses a second address', () => {
    expect(parseNamedAddress({ name: 'Eve\r\nBcc: x@y.example', address: 'a@example.com' })).toEqual({ ok: true, value: { name: 'Eve  Bcc: x@y.example', address: 'a@example.com' } });
    expect(parseNamedAddress({ name: 'kunde@example.org', address: 'kunde@example.org' })).toEqual({ ok: true, value: { name: 'kunde@example.org', address: 'kunde@example.org' } });
    expect(parseNamedAddress({ name: 'Eve', address: 'a@example.com, b@example.com' })).toMatchObject({ ok: false, problem: expect.stringMatching(/^address must/) });
  });
});

describe('parseNamedAddressStrict (an edge)', () => {
  it('refuses a name that reads as an address list, or holds a line break, naming the part at fault', () => {
    expect(parseNamedAddressStrict({ name: '"Bank" <ceo@bank.example>, Evil', address: 'a@example.com' })).toMatchObject({ ok: false, problem: expect.stringMatching(/^name must be a name/) });
    expect(parseNamedAddressStrict({ name: 'Eve\r\nBcc: x@y.example', address: 'a@example.com' })).toMatchObject({ ok: false, problem: expect.stringMatching(/^name must be one line/) });
    expect(parseNamedAddressStrict({ name: 'Eve', address: 'a@example.com, b@example.com' })).toMatchObject({ ok: false, problem: expect.stringMatching(/^address must/) });
    expect(parseNamedAddressStrict({ name: ' Müller, Hans ', address: 'H@Example.com' })).toEqual({ ok: true, value: { name: 'Müller, Hans', address: 'H@example.com' } });
  });
});
