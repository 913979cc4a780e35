/**
 * `domain check`'s DNS half end to end: checkDomainDns through the real lookup adapter against a
 * DNS server on loopback serving the plan right, not at all, wrong, conflicting, and not at all
 * reachable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDnsLookup, DNS_LOOKUP_TIMEOUT_MS, DNS_LOOKUP_TRIES } from '../../../lambdas/adapters/dns/dns-lookup.ts';
import { checkDomainDns, spfLookupCounter, type DomainDnsCheck } from '../../../lambdas/core/domains/check-domain-dns.ts';
import { startSilentDns, startTestDns, type TestDnsName, type TestDnsZone } from '../../support/dns-server.ts';
import { countSpfTerms, examplePlan, PLANNED_SPF, rightDns, spfWithLookups } from '../../support/domain-dns.ts';

const servers: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** The `"<TYPE> <name>"` map of the support module as a zone, with `changes` applied per name. */
function zone(changes: Record<string, TestDnsName | undefined> = {}): TestDnsZone {
  const names: Record<string, { TXT?: string[]; MX?: string[]; CNAME?: string }> = {};
  for (const [key, values] of Object.entries(rightDns())) {
    const [type, name] = key.split(' ') as ['TXT' | 'MX' | 'CNAME', string];
    const entry = (names[name] ??= {});
    if (type === 'CNAME') entry.CNAME = values[0]!;
    else entry[type] = values;
  }
  const out: TestDnsZone = { ...names };
  for (const [name, records] of Object.entries(changes)) {
    if (records) out[name] = records;
    else delete out[name];
  }
  return out;
}

async function checkAgainst(z: TestDnsZone): Promise<{ result: DomainDnsCheck; queries: string[] }> {
  const dns = await startTestDns(z);
  servers.push(dns);
  const result = await checkDomainDns(examplePlan(), createDnsLookup({ servers: [dns.server] }), countSpfTerms);
  return { result, queries: dns.queries };
}

const states = (result: DomainDnsCheck): Record<string, string> =>
  Object.fromEntries(result.records.map((c) => [`${c.record.type} ${c.record.name}`, c.state]));

describe('checkDomainDns against a DNS server', () => {
  it('finds a rightly published domain ok, asking each name and type once', async () => {
    const { result, queries } = await checkAgainst(zone());

    expect(result.verdict).toBe('ok');
    expect(new Set(Object.values(states(result)))).toEqual(new Set(['ok']));
    expect(queries.length).toBe(new Set(queries.map((q) => q.toLowerCase())).size);
  });

  it('says missing for every record of a domain that publishes nothing, DMARC as optional', async () => {
    const { result } = await checkAgainst({});

    expect(result.verdict).toBe('action-needed');
    expect(result.records.every((c) => c.state === 'missing')).toBe(true);
    expect(result.records.filter((c) => c.optional).map((c) => c.record.purpose)).toEqual(['dmarc']);
  });

  it('says wrong-value for a DKIM CNAME to another target, an MX of another preference and an SPF without SES', async () => {
    const { result } = await checkAgainst(
      zone({
        'aaa111._domainkey.example.com': { CNAME: 'aaa111.dkim.old-provider.example' },
        'example.com': { MX: ['20 inbound-smtp.eu-west-1.amazonaws.com'], TXT: ['v=spf1 include:_spf.google.com ~all'] },
      }),
    );

    expect(states(result)).toMatchObject({
      'CNAME aaa111._domainkey.example.com': 'wrong-value',
      'CNAME bbb222._domainkey.example.com': 'ok',
      'MX example.com': 'wrong-value',
      'TXT example.com': 'wrong-value',
    });
    expect(result.records.find((c) => c.record.purpose === 'spf')?.detail).toBe(
      'SPF at example.com lacks include:amazonses.com: found "v=spf1 include:_spf.google.com ~all"',
    );
  });

  it('says conflicting for two SPF records, a CNAME beside a TXT, and a CNAME where the MAIL FROM records go', async () => {
    const { result } = await checkAgainst(
      zone({
        'example.com': { MX: ['10 inbound-smtp.eu-west-1.amazonaws.com'], TXT: [PLANNED_SPF, 'v=spf1 mx -all'] },
        'aaa111._domainkey.example.com': { CNAME: 'aaa111.dkim.amazonses.com', TXT: ['v=DKIM1; p=OLDKEY'] },
        'bounce.example.com': { CNAME: 'mailfrom.elsewhere.example' },
        'mailfrom.elsewhere.example': { MX: ['10 feedback-smtp.eu-west-1.amazonses.com'], TXT: [PLANNED_SPF] },
      }),
    );

    expect(states(result)).toMatchObject({
      'TXT example.com': 'conflicting',
      'CNAME aaa111._domainkey.example.com': 'conflicting',
      'CNAME bbb222._domainkey.example.com': 'ok',
      'MX bounce.example.com': 'conflicting',
      'TXT bounce.example.com': 'conflicting',
      'MX example.com': 'ok',
    });
    const details = result.records.filter((c) => c.state === 'conflicting').map((c) => c.detail);
    expect(details).toContain(
      'two SPF records at example.com: "v=spf1 include:amazonses.com ~all" and "v=spf1 mx -all"; receivers treat more than one as an error (RFC 7208 4.5), so SPF fails: merge them into one',
    );
    expect(details.some((d) => d.startsWith('CNAME beside other data at aaa111._domainkey.example.com: it also has TXT "v=DKIM1; p=OLDKEY"'))).toBe(true);
    expect(details.some((d) => d.startsWith('CNAME beside other data at bounce.example.com: it is an alias of mailfrom.elsewhere.example'))).toBe(true);
  });

  it('says over-lookup-limit for a long SPF record, read back whole from its 255-byte strings', async () => {
    const spf = spfWithLookups(12).replace('~all', `${'ip4:198.51.100.1 '.repeat(12)}~all`);
    const { result } = await checkAgainst(zone({ 'example.com': { MX: ['10 inbound-smtp.eu-west-1.amazonaws.com'], TXT: [spf] } }));

    const check = result.records.find((c) => c.record.purpose === 'spf');
    expect(spf.length).toBeGreaterThan(255);
    expect(check).toMatchObject({ state: 'over-lookup-limit', found: [spf] });
    expect(check?.detail).toMatch(/^SPF at example\.com needs 12 DNS lookups; the limit is 10/);
  });

  it('says lookup-failed where the server fails, and nowhere else', async () => {
    const { result } = await checkAgainst(zone({ 'bounce.example.com': { rcode: 'SERVFAIL' } }));

    expect(result.verdict).toBe('unknown');
    expect(states(result)).toMatchObject({ 'MX bounce.example.com': 'lookup-failed', 'TXT bounce.example.com': 'lookup-failed', 'MX example.com': 'ok' });
  });

  it('says lookup-failed for every record, without hanging, when the server never answers', async () => {
    const silent = await startSilentDns();
    servers.push(silent);
    const started = Date.now();

    const result = await checkDomainDns(examplePlan(), createDnsLookup({ servers: [silent.server] }), countSpfTerms);
    const elapsed = Date.now() - started;

    expect(result.verdict).toBe('unknown');
    expect(result.records.every((c) => c.state === 'lookup-failed')).toBe(true);
    expect(result.records[0]?.detail).toMatch(/no answer from the DNS server within \d+ s/);
    // All lookups run at once, so the whole check costs one lookup's deadline (plus scheduling slack).
    expect(elapsed).toBeLessThan(DNS_LOOKUP_TIMEOUT_MS * DNS_LOOKUP_TRIES + 1_000);
  });

  describe('with the recursive SPF counter over the same DNS (spfLookupCounter)', () => {
    const ses = { 'amazonses.com': { TXT: ['v=spf1 ip4:199.255.192.0/22 ip4:199.127.232.0/22 ~all'] } };

    async function checkRecursively(z: TestDnsZone): Promise<DomainDnsCheck> {
      const dns = await startTestDns(z);
      servers.push(dns);
      const lookup = createDnsLookup({ servers: [dns.server] });
      return checkDomainDns(examplePlan(), lookup, spfLookupCounter('example.com', lookup));
    }

    it('finds the right records ok, counting the include of amazonses.com through DNS', async () => {
      const result = await checkRecursively(zone(ses));

      const spf = result.records.find((c) => c.record.purpose === 'spf');
      expect(spf).toMatchObject({ state: 'ok' });
      expect(spf?.detail).toBe('SPF at example.com has every planned mechanism (1 DNS lookups)');
    });

    it('says over-lookup-limit when the includes of includes pass 10 lookups, though the record itself names 2', async () => {
      const chain = Object.fromEntries(
        Array.from({ length: 10 }, (_, i) => [`s${i}.spf.example.net`, { TXT: [`v=spf1 ${i < 9 ? `include:s${i + 1}.spf.example.net ` : ''}~all`] }]),
      );
      const apex = { MX: ['10 inbound-smtp.eu-west-1.amazonaws.com'], TXT: [`v=spf1 include:amazonses.com include:s0.spf.example.net ~all`] };
      const result = await checkRecursively(zone({ ...ses, ...chain, 'example.com': apex }));

      const spf = result.records.find((c) => c.record.purpose === 'spf');
      expect(spf?.state).toBe('over-lookup-limit');
      expect(spf?.detail).toMatch(/^SPF at example\.com needs 11 DNS lookups; the limit is 10/);
    });

    it('says lookup-failed with the chain when includes loop', async () => {
      const apex = { MX: ['10 inbound-smtp.eu-west-1.amazonaws.com'], TXT: ['v=spf1 include:amazonses.com include:a.spf.example.net ~all'] };
      const loop = {
        'a.spf.example.net': { TXT: ['v=spf1 include:b.spf.example.net ~all'] },
        'b.spf.example.net': { TXT: ['v=spf1 include:a.spf.example.net ~all'] },
      };
      const result = await checkRecursively(zone({ ...ses, ...loop, 'example.com': apex }));

      const spf = result.records.find((c) => c.record.purpose === 'spf');
      expect(spf?.state).toBe('lookup-failed');
      expect(spf?.detail).toMatch(/the SPF includes loop: .*a\.spf\.example\.net -> b\.spf\.example\.net/);
    });
  });
});
