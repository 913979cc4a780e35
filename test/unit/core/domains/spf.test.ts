/**
 * The SPF builder (issue 9 items 3 and 8): strict IP and CIDR validation, merging with the record
 * a domain publishes, the local lookup count and TXT splitting, by example and as properties.
 */
import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lambdas/core/errors.ts';
import { parseIpv4, parseIpv6, senderMechanism } from '../../../../lambdas/core/domains/spf-address.ts';
import { localLookupCount, parseSpf, type SpfRecord } from '../../../../lambdas/core/domains/spf-record.ts';
import { SPF_LIMITS, buildSpf, octets, splitTxt, type SpfInput } from '../../../../lambdas/core/domains/spf.ts';

/** The ValidationError `build` throws, for asserting its fields and reasons. */
function refusal(build: () => unknown): ValidationError {
  try {
    build();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const parsed = (record: string): SpfRecord => {
  const result = parseSpf(record);
  if (typeof result === 'string') throw new Error(result);
  return result;
};

describe('SPF senders', () => {
  it('turns addresses, networks and hosts into mechanisms', () => {
    const senders = ['192.0.2.1', '192.0.2.0/24', '2001:DB8::/32', '::ffff:192.0.2.9', 'SMTP.example.net.', 'ip4:198.51.100.7'];
    expect(senders.map((s) => (senderMechanism(s) as { mechanism: string }).mechanism)).toEqual([
      'ip4:192.0.2.1',
      'ip4:192.0.2.0/24',
      'ip6:2001:db8::/32',
      'ip6:::ffff:192.0.2.9',
      'a:smtp.example.net',
      'ip4:198.51.100.7',
    ]);
  });

  it('refuses malformed addresses with a message that names them (seed 000 lists 69169235170)', () => {
    const bad = { '69169235170': 'IPv4 address', '256.1.1.1': 'IPv4 address', '1.2.3.4/33': 'IPv4 CIDR', '01.2.3.4': 'IPv4 address', '1::2::3': 'IPv6 address', '2001:db8::g': 'IPv6 address', 'fe80::1%eth0': 'IPv6 address', 'ip6:::1/129': 'IPv6 CIDR', 'smtp_relay': 'host name' };
    for (const [value, what] of Object.entries(bad)) {
      const message = senderMechanism(value);
      expect(message, value).toContain(what);
      expect(message, value).toContain(JSON.stringify(value));
    }
  });
});

describe('buildSpf', () => {
  it('authorizes SES alone when nothing else sends and nothing is published', () => {
    expect(buildSpf({ sesSends: true })).toBe('v=spf1 include:amazonses.com ~all');
    expect(buildSpf({ sesSends: false })).toBeUndefined();
  });

  it('keeps every mechanism and the -all of the published record, adding what it lacks', () => {
    // Prepare: a domain on Google Workspace with a verification TXT beside its SPF
    const publishedTxt = ['google-site-verification=abc', 'v=spf1 include:_spf.google.com ip4:192.0.2.1/32 -all'];
    // Act
    const spf = buildSpf({ sesSends: true, smtpSenders: ['192.0.2.1', '2001:db8::25', 'smtp.example.net'], publishedTxt });
    // Assess: 192.0.2.1 is there already as /32
    expect(spf).toBe('v=spf1 include:_spf.google.com ip4:192.0.2.1/32 include:amazonses.com ip6:2001:db8::25 a:smtp.example.net -all');
  });

  it('ends in ~all unless the record fails strictly, and never adds an all that would disable a redirect', () => {
    expect(buildSpf({ sesSends: true, publishedTxt: ['v=spf1 a ?all'] })).toBe('v=spf1 a include:amazonses.com ~all');
    expect(buildSpf({ sesSends: true, publishedTxt: ['v=spf1 +all'] })).toBe('v=spf1 include:amazonses.com ~all');
    expect(buildSpf({ sesSends: true, publishedTxt: ['v=spf1 redirect=_spf.example.com'] })).toBe('v=spf1 include:amazonses.com redirect=_spf.example.com');
    expect(buildSpf({ sesSends: false, publishedTxt: ['V=SPF1 MX -ALL exp=why.example.com'] })).toBe('v=spf1 MX -all exp=why.example.com');
  });

  it('reports every bad sender at once, on its own field', () => {
    const error = refusal(() => buildSpf({ sesSends: true, smtpSenders: ['192.0.2.1', '69169235170', 'smtp.example.net', '1.2.3.4/33'] }));
    expect(error.fields).toEqual({
      'spf.smtpSenders[1]': 'not a valid IPv4 address: "69169235170"',
      'spf.smtpSenders[3]': 'not a valid IPv4 CIDR: "1.2.3.4/33" (the prefix length is 0-32)',
    });
    expect(error.fieldReasons).toEqual({ 'spf.smtpSenders[1]': 'spf.sender-invalid', 'spf.smtpSenders[3]': 'spf.sender-invalid' });
  });

  it('refuses a domain that publishes two SPF records, or a broken one, rather than publish over it', () => {
    const two = refusal(() => buildSpf({ sesSends: true, publishedTxt: ['v=spf1 mx ~all', 'v=spf1 a ~all'] }));
    expect(two.fieldReasons).toEqual({ 'spf.publishedTxt': 'spf.multiple-records' });
    const broken = refusal(() => buildSpf({ sesSends: true, publishedTxt: ['v=spf1 ip4:69169235170 ~all'] }));
    expect(broken.fieldReasons).toEqual({ 'spf.publishedTxt': 'spf.record-invalid' });
    expect(broken.fields['spf.publishedTxt']).toContain('"69169235170"');
    for (const record of ['v=spf1 foo:bar ~all', 'v=spf1 redirect=a.test redirect=b.test', 'v=spf1 a/33', 'v=spf1 include:%{z}.test', 'v=spf1 all:x']) {
      expect(refusal(() => buildSpf({ sesSends: true, publishedTxt: [record] })).fieldReasons, record).toEqual({ 'spf.publishedTxt': 'spf.record-invalid' });
    }
  });

  it('refuses a record over 10 DNS lookups, counted locally', () => {
    const hosts = Array.from({ length: 10 }, (_, i) => `smtp${i}.example.net`);
    const error = refusal(() => buildSpf({ sesSends: true, smtpSenders: hosts }));
    expect(error.fieldReasons).toEqual({ spf: 'spf.too-many-lookups' });
    expect(error.fields['spf']).toContain('11 DNS lookups');
    expect(buildSpf({ sesSends: true, smtpSenders: hosts.slice(1) })).toContain('a:smtp9.example.net');
  });
});

describe('localLookupCount', () => {
  it('counts include, a, mx, ptr, exists and a followed redirect; not ip4, ip6, all or exp', () => {
    expect(localLookupCount(parsed('v=spf1 include:a.test a mx/24 ptr exists:%{i}.b.test ip4:192.0.2.1 ip6:::1 exp=e.test redirect=r.test'))).toBe(6);
    expect(localLookupCount(parsed('v=spf1 mx redirect=r.test -all'))).toBe(1);
  });
});

/** Terms that are valid in any record, and whether each costs a lookup. */
const term = fc.oneof(
  fc.tuple(fc.constantFrom('', '+', '-', '~', '?'), fc.constantFrom('include:_spf.example.net', 'a', 'a:mail.example.net/24', 'mx', 'mx//64', 'ptr', 'exists:%{i}.spf.example.net')).map(([q, m]) => ({ text: `${q}${m}`, lookups: 1 })),
  fc.ipV4().map((ip) => ({ text: `ip4:${ip}`, lookups: 0 })),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([ip, n]) => ({ text: `ip6:${ip}/${n}`, lookups: 0 })),
);
const record = fc.record({
  terms: fc.array(term, { maxLength: 8 }),
  all: fc.constantFrom(undefined, '-all', '~all', '?all'),
  redirect: fc.boolean(),
});
type GeneratedRecord = typeof record extends fc.Arbitrary<infer T> ? T : never;
const recordText = (r: GeneratedRecord): string =>
  ['v=spf1', ...r.terms.map((t) => t.text), ...(r.all ? [r.all] : []), ...(r.redirect ? ['redirect=_spf.example.org'] : [])].join(' ');
const sender = fc.oneof(fc.ipV4(), fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, n]) => `${ip}/${n}`), fc.ipV6(), fc.constantFrom('smtp.example.net', 'relay.example.org'));

describe('SPF properties', () => {
  it('counts exactly the terms that look DNS up', () => {
    fc.assert(
      fc.property(record, (r) => {
        const expected = r.terms.reduce((n, t) => n + t.lookups, 0) + (r.redirect && !r.all ? 1 : 0);
        expect(localLookupCount(parsed(recordText(r)))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('merges idempotently and keeps every published mechanism', () => {
    fc.assert(
      fc.property(record, fc.array(sender, { maxLength: 3 }), fc.boolean(), (r, smtpSenders, sesSends) => {
        // Prepare: stay within the lookup limit so the merge is not refused
        fc.pre(r.terms.reduce((n, t) => n + t.lookups, 0) + 1 + smtpSenders.length + 1 <= SPF_LIMITS.maxDnsLookups);
        const input: SpfInput = { sesSends, smtpSenders, publishedTxt: [recordText(r)] };
        // Act
        const once = buildSpf(input)!;
        const twice = buildSpf({ ...input, publishedTxt: [once] });
        // Assess
        expect(twice).toBe(once);
        const words = once.split(' ');
        for (const t of r.terms) expect(words.some((w) => parsed(`v=spf1 ${w}`).terms[0]!.key === parsed(`v=spf1 ${t.text}`).terms[0]!.key)).toBe(true);
        const keys = parsed(once).terms.map((t) => t.key);
        for (const s of smtpSenders) expect(keys).toContain((senderMechanism(s) as { key: string }).key);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts every valid IPv4 and IPv6 address and CIDR', () => {
    const network = fc.oneof(
      fc.tuple(fc.ipV4(), fc.option(fc.integer({ min: 0, max: 32 }))),
      fc.tuple(fc.ipV6(), fc.option(fc.integer({ min: 0, max: 128 }))),
    );
    fc.assert(
      fc.property(network, ([ip, prefix]) => {
        expect(typeof senderMechanism(prefix === null ? ip : `${ip}/${prefix}`)).toBe('object');
      }),
      { numRuns: 500 },
    );
  });

  it('refuses malformed addresses and prefixes, naming the value', () => {
    const malformed = fc.oneof(
      fc.ipV4Extended().filter((ip) => !isIPv4(ip)), // octal, hex and shortened forms
      fc.stringMatching(/^[0-9]{4,15}$/), // dots lost, as 69169235170
      fc.tuple(fc.ipV4(), fc.integer({ min: 33, max: 999 })).map(([ip, n]) => `${ip}/${n}`),
      fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, n]) => `${ip}/0${n}`),
      fc.tuple(fc.ipV6(), fc.integer({ min: 129, max: 999 })).map(([ip, n]) => `${ip}/${n}`),
      fc.tuple(fc.ipV6(), fc.ipV6()).map(([a, b]) => `${a}:${b}`),
    );
    fc.assert(
      fc.property(malformed, (value) => {
        const result = senderMechanism(value);
        expect(typeof result).toBe('string');
        expect(result).toContain(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with Node on what is an IP address, for any string of address characters', () => {
    const char = fc.constantFrom(...'0123456789abcdefABCDEF:.');
    // Near misses: a valid address with one character inserted, deleted or replaced.
    const mutated = fc.tuple(fc.oneof(fc.ipV4(), fc.ipV6()), fc.nat(), fc.integer({ min: 0, max: 2 }), char).map(([ip, at, op, c]) => {
      const i = at % (ip.length + 1);
      return op === 0 ? ip.slice(0, i) + c + ip.slice(i) : ip.slice(0, i) + (op === 2 ? c : '') + ip.slice(i + 1);
    });
    const text = fc.oneof(fc.string({ unit: char, maxLength: 45 }), fc.ipV4(), fc.ipV6(), mutated);
    fc.assert(
      fc.property(text, (s) => {
        expect(parseIpv4(s) !== undefined).toBe(isIPv4(s));
        expect(parseIpv6(s) !== undefined).toBe(isIPv6(s));
      }),
      { numRuns: 3_000 },
    );
  });

  it('splits TXT into strings of at most 255 octets that join back to the value', () => {
    const value = fc.oneof(fc.string({ maxLength: 2_000, unit: 'binary' }), fc.array(term, { maxLength: 60 }).map((ts) => ['v=spf1', ...ts.map((t) => t.text), '~all'].join(' ')));
    fc.assert(
      fc.property(value, (v) => {
        const parts = splitTxt(v);
        expect(parts.join('')).toBe(v);
        for (const part of parts) expect(octets(part)).toBeLessThanOrEqual(255);
        for (const part of parts) expect(new TextEncoder().encode(part).length).toBe(octets(part));
        if (parts.length > 1) for (const part of parts) expect(part).not.toBe('');
      }),
      { numRuns: 500 },
    );
  });

  it('cuts TXT after a space, so each string starts with a whole term', () => {
    const spf = ['v=spf1', ...Array.from({ length: 40 }, (_, i) => `ip4:192.0.2.${i}`), '~all'].join(' ');
    const parts = splitTxt(spf);
    expect(parts.length).toBe(3);
    for (const part of parts.slice(1)) expect(part).toMatch(/^ip4:|^~all/);
  });
});
