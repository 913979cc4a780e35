import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DnsAnswer, DnsRecordPurpose } from '../../../../lambdas/core/domains/model.ts';
import {
  answerKey, checkRecords, dnsVerdict, lookupsFor, type DnsObservation, type RecordCheck,
} from '../../../../lambdas/core/domains/record-check.ts';
import { isSpf } from '../../../../lambdas/core/domains/record-values.ts';
import { DOMAIN, examplePlan, PLANNED_SPF, rightDns, spfWithLookups, SUGGESTED_DMARC } from '../../../support/domain-dns.ts';

type Dns = Record<string, readonly string[] | 'servfail'>;

/** What DNS answered: every lookup the plan needs is `none` unless `dns` says otherwise. */
function observe(dns: Dns, spfCounts: Record<string, number | Error> = {}): DnsObservation {
  const answers = new Map<string, DnsAnswer>();
  for (const record of examplePlan().records) for (const l of lookupsFor(record)) answers.set(answerKey(l.name, l.type), { kind: 'none' });
  for (const [key, values] of Object.entries(dns)) {
    const [type, name] = key.split(' ') as ['TXT', string];
    answers.set(answerKey(name, type), values === 'servfail' ? { kind: 'error', message: 'the DNS server failed to answer (SERVFAIL)' } : values.length === 0 ? { kind: 'none' } : { kind: 'found', values });
  }
  const spf = Object.values(dns).flatMap((v) => (v === 'servfail' ? [] : v)).filter(isSpf);
  const spfLookups = new Map(
    spf.map((text) => {
      const given = spfCounts[text];
      return [text, given instanceof Error ? { kind: 'error' as const, message: given.message } : { kind: 'counted' as const, lookups: given ?? 1 }];
    }),
  );
  return { answers, spfLookups };
}

const check = (dns: Dns, spfCounts?: Record<string, number | Error>): RecordCheck[] => checkRecords(examplePlan(), observe(dns, spfCounts));
const of = (checks: RecordCheck[], purpose: DnsRecordPurpose, name = DOMAIN): RecordCheck =>
  checks.find((c) => c.record.purpose === purpose && c.record.name === name)!;
const dkim = `aaa111._domainkey.${DOMAIN}`;
const GONE_SPF = 'v=spf1 include:amazonses.com include:gone.example ~all';

describe('checkRecords', () => {
  it('finds every record of a rightly published plan ok', () => {
    const checks = check(rightDns());

    expect(checks.map((c) => c.state)).toEqual(Array(8).fill('ok'));
    expect(dnsVerdict(checks)).toBe('ok');
  });

  const cases: Array<{ name: string; dns: Dns; purpose: DnsRecordPurpose; at?: string; state: RecordCheck['state']; detail: RegExp; wholeName?: true; spfCounts?: Record<string, number | Error> }> = [
    { name: 'SPF absent', dns: { [`TXT ${DOMAIN}`]: ['google-site-verification=abc'] }, purpose: 'spf', state: 'missing', detail: /^no SPF record at example\.com$/ },
    { name: 'SPF among other TXT records', dns: { [`TXT ${DOMAIN}`]: ['google-site-verification=abc', PLANNED_SPF] }, purpose: 'spf', state: 'ok', detail: /every planned mechanism/ },
    { name: 'SPF with more mechanisms, other case and qualifiers', dns: { [`TXT ${DOMAIN}`]: ['v=spf1 ip4:192.0.2.1/32 +include:AmazonSES.com include:_spf.google.com -all'] }, purpose: 'spf', state: 'ok', detail: /every planned mechanism/ },
    { name: 'SPF without include:amazonses.com', dns: { [`TXT ${DOMAIN}`]: ['v=spf1 include:_spf.google.com ~all'] }, purpose: 'spf', state: 'wrong-value', detail: /^SPF at example\.com lacks include:amazonses\.com: found "v=spf1 include:_spf\.google\.com ~all"$/ },
    { name: 'SPF with include:amazonses.com soft-failing', dns: { [`TXT ${DOMAIN}`]: ['v=spf1 ~include:amazonses.com ~all'] }, purpose: 'spf', state: 'wrong-value', detail: /lacks include:amazonses\.com/ },
    { name: 'two SPF records', dns: { [`TXT ${DOMAIN}`]: [PLANNED_SPF, 'v=spf1 mx -all'] }, purpose: 'spf', state: 'conflicting', detail: /^two SPF records at example\.com: "v=spf1 include:amazonses\.com ~all" and "v=spf1 mx -all"; .*RFC 7208 4\.5/ },
    { name: 'SPF over the lookup limit', dns: { [`TXT ${DOMAIN}`]: [spfWithLookups(12)] }, spfCounts: { [spfWithLookups(12)]: 12 }, purpose: 'spf', state: 'over-lookup-limit', detail: /^SPF at example\.com needs 12 DNS lookups; the limit is 10/ },
    { name: 'SPF exactly at the lookup limit', dns: { [`TXT ${DOMAIN}`]: [spfWithLookups(10)] }, spfCounts: { [spfWithLookups(10)]: 10 }, purpose: 'spf', state: 'ok', detail: /\(10 DNS lookups\)/ },
    { name: 'SPF lookups not countable', dns: { [`TXT ${DOMAIN}`]: [GONE_SPF] }, spfCounts: { [GONE_SPF]: new Error('include:gone.example does not resolve') }, purpose: 'spf', state: 'lookup-failed', detail: /could not count .*gone\.example/ },
    { name: 'MAIL FROM SPF absent', dns: { [`TXT bounce.${DOMAIN}`]: [] }, purpose: 'mail-from-spf', at: `bounce.${DOMAIN}`, state: 'missing', detail: /no SPF record at bounce\.example\.com/ },
    { name: 'DKIM CNAME in upper case with the trailing dot', dns: { [`CNAME ${dkim}`]: ['AAA111.DKIM.AmazonSES.com.'] }, purpose: 'dkim', at: dkim, state: 'ok', detail: /alias of aaa111\.dkim\.amazonses\.com$/ },
    { name: 'DKIM CNAME to the wrong target', dns: { [`CNAME ${dkim}`]: ['old.dkim.example.net'] }, purpose: 'dkim', at: dkim, state: 'wrong-value', detail: /is an alias of old\.dkim\.example\.net; it must be an alias of aaa111\.dkim\.amazonses\.com/ },
    { name: 'DKIM CNAME absent', dns: { [`CNAME ${dkim}`]: [] }, purpose: 'dkim', at: dkim, state: 'missing', detail: /^no CNAME record at aaa111\._domainkey\.example\.com$/ },
    { name: 'DKIM CNAME beside a TXT of its own', dns: { [`TXT ${dkim}`]: ['v=DKIM1; p=OLDKEY'] }, purpose: 'dkim', at: dkim, state: 'conflicting', detail: /^CNAME beside other data at aaa111\._domainkey\.example\.com: it also has TXT "v=DKIM1; p=OLDKEY"/ },
    { name: 'DKIM CNAME whose TXT is the target\'s (a resolver chased it)', dns: { [`TXT ${dkim}`]: ['p=KEYaaa111'] }, purpose: 'dkim', at: dkim, state: 'ok', detail: /alias of/ },
    { name: 'inbound MX with another preference', dns: { [`MX ${DOMAIN}`]: ['20 inbound-smtp.eu-west-1.amazonaws.com'] }, purpose: 'inbound-mx', state: 'wrong-value', detail: /lacks 10 inbound-smtp\.eu-west-1\.amazonaws\.com \(found 20 .*: the preference differs\)/ },
    { name: 'inbound MX to another host', dns: { [`MX ${DOMAIN}`]: ['10 mx.old-host.example'] }, purpose: 'inbound-mx', state: 'wrong-value', detail: /lacks .* \(found 10 mx\.old-host\.example\)/ },
    { name: 'inbound MX beside another MX', dns: { [`MX ${DOMAIN}`]: ['10 INBOUND-SMTP.eu-west-1.amazonaws.com.', '20 backup.mx.example'] }, purpose: 'inbound-mx', state: 'conflicting', detail: /other MX records at example\.com: 20 backup\.mx\.example; mail would be split/ },
    { name: 'MAIL FROM MX where a CNAME is', dns: { [`CNAME bounce.${DOMAIN}`]: ['elsewhere.example.net'] }, purpose: 'mail-from-mx', at: `bounce.${DOMAIN}`, wholeName: true, state: 'conflicting', detail: /^CNAME beside other data at bounce\.example\.com: it is an alias of elsewhere\.example\.net/ },
    { name: 'a lookup that failed', dns: { [`MX ${DOMAIN}`]: 'servfail' }, purpose: 'inbound-mx', state: 'lookup-failed', detail: /could not look up MX at example\.com: .*SERVFAIL/ },
    { name: 'DMARC absent', dns: { [`TXT _dmarc.${DOMAIN}`]: [] }, purpose: 'dmarc', at: `_dmarc.${DOMAIN}`, state: 'missing', detail: /no DMARC record at _dmarc\.example\.com \(optional/ },
    { name: 'DMARC with the admin\'s own policy', dns: { [`TXT _dmarc.${DOMAIN}`]: ['v=DMARC1; p=reject'] }, purpose: 'dmarc', at: `_dmarc.${DOMAIN}`, state: 'ok', detail: /published \(Postroom suggested/ },
    { name: 'two DMARC records', dns: { [`TXT _dmarc.${DOMAIN}`]: [SUGGESTED_DMARC, 'v=DMARC1; p=reject'] }, purpose: 'dmarc', at: `_dmarc.${DOMAIN}`, state: 'conflicting', detail: /^two DMARC records/ },
  ];

  it.each(cases)('$name: $state', ({ dns, spfCounts, purpose, at = DOMAIN, wholeName, state, detail }) => {
    // Prepare: the plan published right, but for this case's answers
    const published = { ...rightDns(), ...dns };

    // Act
    const checks = check(published, spfCounts);

    // Assess: this record (or every record at its name) has the state, every other record stays ok
    const target = of(checks, purpose, at);
    const affected = checks.filter((c) => c === target || (wholeName && c.record.name === at));
    expect(target.state).toBe(state);
    expect(target.detail).toMatch(detail);
    expect(affected.map((c) => c.state)).toEqual(Array(affected.length).fill(state));
    expect(checks.filter((c) => !affected.includes(c)).map((c) => c.state)).toEqual(Array(8 - affected.length).fill('ok'));
  });

  it('reports what it found beside the state', () => {
    const checks = check({ ...rightDns(), [`TXT ${DOMAIN}`]: ['hello', PLANNED_SPF, 'v=spf1 mx -all'] });

    expect(of(checks, 'spf').found).toEqual([PLANNED_SPF, 'v=spf1 mx -all']);
    expect(of(checks, 'inbound-mx').found).toEqual(['10 inbound-smtp.eu-west-1.amazonaws.com']);
  });

  it('counts a lookup the observation lacks as failed, never as ok', () => {
    const observed = observe(rightDns());
    const answers = new Map(observed.answers);
    answers.delete(answerKey(DOMAIN, 'CNAME'));

    const checks = checkRecords(examplePlan(), { ...observed, answers });

    expect(of(checks, 'spf')).toMatchObject({ state: 'lookup-failed', detail: 'CNAME at example.com was not looked up' });
  });

  it('accepts any SPF holding every planned term, and refuses one lacking a planned term', () => {
    const extra = fc.constantFrom<string>('ip4:192.0.2.7', 'ip6:2001:db8::1', 'include:_spf.google.com', 'mx', 'a:mail.example.com', '-all', '?all', 'exists:%{i}.x.example');
    fc.assert(
      fc.property(fc.array(extra, { maxLength: 6 }), fc.nat(), fc.boolean(), (extras, at, drop) => {
        const terms = [...extras];
        if (!drop) terms.splice(at % (terms.length + 1), 0, 'INCLUDE:AmazonSES.com');
        const spf = ['v=spf1', ...terms].join(' ');

        const state = of(check({ ...rightDns(), [`TXT ${DOMAIN}`]: [spf] }), 'spf').state;

        expect(state).toBe(drop ? 'wrong-value' : 'ok');
      }),
    );
  });
});

describe('dnsVerdict', () => {
  it('ignores optional records, tells wrong DNS from unreadable DNS', () => {
    const withoutDmarc = check({ ...rightDns(), [`TXT _dmarc.${DOMAIN}`]: [] });
    const wrongMx = check({ ...rightDns(), [`MX ${DOMAIN}`]: ['10 mx.old-host.example'], [`TXT ${DOMAIN}`]: 'servfail' });
    const unreadable = check({ ...rightDns(), [`TXT ${DOMAIN}`]: 'servfail' });

    expect([dnsVerdict(withoutDmarc), dnsVerdict(wrongMx), dnsVerdict(unreadable)]).toEqual(['ok', 'action-needed', 'unknown']);
  });
});
