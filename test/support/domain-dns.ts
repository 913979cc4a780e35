/**
 * A domain's DNS record plan as the plan builder makes it (issue 9 item 3), and the DNS that
 * publishes it right, for the DNS check's unit and integration tests.
 */
import type { DnsRecord, DnsRecordPlan } from '../../lambdas/core/domains/model.ts';

export const DOMAIN = 'example.com';
export const DKIM_TOKENS = ['aaa111', 'bbb222', 'ccc333'] as const;
export const PLANNED_SPF = 'v=spf1 include:amazonses.com ~all';
export const SUGGESTED_DMARC = 'v=DMARC1; p=none; rua=mailto:dmarc@example.com';

const record = (name: string, type: DnsRecord['type'], value: string, purpose: DnsRecord['purpose'], optional = false): DnsRecord => ({
  name,
  type,
  values: [value],
  ttl: 1800,
  purpose,
  ...(optional && { optional }),
});

/** The plan for example.com in eu-west-1: 3 DKIM CNAMEs, 2 MX, 2 SPF TXT and the optional DMARC TXT. */
export function examplePlan(): DnsRecordPlan {
  return {
    domain: DOMAIN,
    records: [
      ...DKIM_TOKENS.map((t) => record(`${t}._domainkey.${DOMAIN}`, 'CNAME', `${t}.dkim.amazonses.com`, 'dkim')),
      record(DOMAIN, 'MX', '10 inbound-smtp.eu-west-1.amazonaws.com', 'inbound-mx'),
      record(`bounce.${DOMAIN}`, 'MX', '10 feedback-smtp.eu-west-1.amazonses.com', 'mail-from-mx'),
      record(`bounce.${DOMAIN}`, 'TXT', PLANNED_SPF, 'mail-from-spf'),
      record(DOMAIN, 'TXT', PLANNED_SPF, 'spf'),
      record(`_dmarc.${DOMAIN}`, 'TXT', SUGGESTED_DMARC, 'dmarc', true),
    ],
    notes: [],
  };
}

/**
 * The plan published right, as `"<TYPE> <name>"` -> values (the form of the check's answer keys),
 * with the DKIM targets holding their keys as SES's do.
 */
export function rightDns(): Record<string, string[]> {
  return {
    ...Object.fromEntries(DKIM_TOKENS.map((t) => [`CNAME ${t}._domainkey.${DOMAIN}`, [`${t}.dkim.amazonses.com`]])),
    ...Object.fromEntries(DKIM_TOKENS.map((t) => [`TXT ${t}.dkim.amazonses.com`, [`p=KEY${t}`]])),
    [`MX ${DOMAIN}`]: ['10 inbound-smtp.eu-west-1.amazonaws.com'],
    [`MX bounce.${DOMAIN}`]: ['10 feedback-smtp.eu-west-1.amazonses.com'],
    [`TXT bounce.${DOMAIN}`]: [PLANNED_SPF],
    [`TXT ${DOMAIN}`]: [PLANNED_SPF],
    [`TXT _dmarc.${DOMAIN}`]: [SUGGESTED_DMARC],
  };
}

/**
 * A stand-in for the recursive SPF lookup counter (core/domains/spf.ts): counts the record's own
 * terms that cause a DNS lookup (RFC 7208 4.6.4), without following includes.
 */
export async function countSpfTerms(record: string): Promise<number> {
  return record.split(/\s+/).filter((term) => /^[+~?-]?(include:|a$|a:|a\/|mx$|mx:|mx\/|ptr|exists:|redirect=)/i.test(term)).length;
}

/** `v=spf1 include:amazonses.com include:s1.example … ~all` causing `lookups` DNS lookups. */
export function spfWithLookups(lookups: number): string {
  const extra = Array.from({ length: lookups - 1 }, (_, i) => `include:s${i + 1}.example`);
  return ['v=spf1', 'include:amazonses.com', ...extra, '~all'].join(' ');
}
