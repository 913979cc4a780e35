import { describe, expect, it } from 'vitest';
import { checkDomainDns } from '../../../../lambdas/core/domains/check-domain-dns.ts';
import type { DnsAnswer, DnsLookupPort, DnsRecordType } from '../../../../lambdas/core/domains/model.ts';
import { countSpfTerms, DOMAIN, examplePlan, PLANNED_SPF, rightDns } from '../../../support/domain-dns.ts';

/** A lookup port over a `"<TYPE> <name>"` map that records what it was asked; `throws` names throw. */
function portOver(dns: Record<string, string[]>, throws: string[] = []): DnsLookupPort & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async lookup(name: string, type: DnsRecordType): Promise<DnsAnswer> {
      asked.push(`${type} ${name}`);
      if (throws.includes(name)) throw new Error(`resolver crashed on ${name}`);
      const values = dns[`${type} ${name}`];
      return values ? { kind: 'found', values } : { kind: 'none' };
    },
  };
}

describe('checkDomainDns', () => {
  it('asks each name and type once, and the CNAME targets only where the name answered TXT or MX', async () => {
    const port = portOver(rightDns());

    const result = await checkDomainDns(examplePlan(), port, countSpfTerms);

    expect(result.verdict).toBe('ok');
    expect(port.asked.length).toBe(new Set(port.asked).size);
    expect(port.asked.filter((q) => q.includes('dkim.amazonses.com'))).toEqual([]);
  });

  it('counts each distinct SPF record found once', async () => {
    const counted: string[] = [];
    const spf = 'v=spf1 include:amazonses.com mx ~all';

    await checkDomainDns(examplePlan(), portOver({ ...rightDns(), [`TXT ${DOMAIN}`]: [spf, 'other'] }), async (record) => {
      counted.push(record);
      return 1;
    });

    expect(counted.sort()).toEqual([PLANNED_SPF, spf].sort());
  });

  it('turns a throwing port and a rejecting counter into lookup-failed records, not a rejected check', async () => {
    const port = portOver(rightDns(), [`bounce.${DOMAIN}`]);

    const result = await checkDomainDns(examplePlan(), port, async (record) => {
      if (record === PLANNED_SPF) throw new Error('include:amazonses.com timed out');
      return 1;
    });

    const failed = result.records.filter((c) => c.state === 'lookup-failed').map((c) => c.detail);
    expect(result.verdict).toBe('unknown');
    expect(failed).toEqual([
      `could not look up MX at bounce.${DOMAIN}: resolver crashed on bounce.${DOMAIN}`,
      `could not look up TXT at bounce.${DOMAIN}: resolver crashed on bounce.${DOMAIN}`,
      `could not count the DNS lookups of the SPF record at ${DOMAIN}: include:amazonses.com timed out`,
    ]);
  });
});
