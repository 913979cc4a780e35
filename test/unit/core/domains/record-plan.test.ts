/**
 * The DNS record plan of a domain (issue 9 item 3, SPEC DOM-3): exactly the records SES and
 * receivers need, with their notes, and clear field errors for input that cannot make a plan.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lambdas/core/errors.ts';
import { RECORD_TTL_SECONDS, recordPlan, type RecordPlanInput } from '../../../../lambdas/core/domains/record-plan.ts';

const TOKENS = ['vvjuipp74whm76j4fqy2e6ybtabdsv3d', 'r3mfzadtb2mjxo7gjxhcoebwbodhccdw', 'nsxwh3dkcq4vk47jkmtvbwvwnqqkwc4x'];
const base: RecordPlanInput = { domain: 'support.example.com', region: 'eu-west-1', dkimTokens: TOKENS };

function refusal(input: RecordPlanInput): ValidationError {
  try {
    recordPlan(input);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('recordPlan', () => {
  it('lists exactly the DKIM, inbound, MAIL FROM, SPF and DMARC records', () => {
    // Act
    const plan = recordPlan({ ...base, dmarcReportAddress: 'dmarc@example.com' });
    // Assess
    expect(plan.domain).toBe('support.example.com');
    expect(plan.records.map((r) => [r.name, r.type, r.values.join(' | '), r.purpose, r.optional ?? false])).toEqual([
      ...TOKENS.map((t) => [`${t}._domainkey.support.example.com`, 'CNAME', `${t}.dkim.amazonses.com`, 'dkim', false]),
      ['support.example.com', 'MX', '10 inbound-smtp.eu-west-1.amazonaws.com', 'inbound-mx', false],
      ['bounce.support.example.com', 'MX', '10 feedback-smtp.eu-west-1.amazonses.com', 'mail-from-mx', false],
      ['bounce.support.example.com', 'TXT', 'v=spf1 include:amazonses.com ~all', 'mail-from-spf', false],
      ['support.example.com', 'TXT', 'v=spf1 include:amazonses.com ~all', 'spf', false],
      ['_dmarc.support.example.com', 'TXT', 'v=DMARC1; p=none; rua=mailto:dmarc@example.com', 'dmarc', true],
    ]);
    for (const r of plan.records) expect(r.ttl).toBe(RECORD_TTL_SECONDS[r.purpose]);
  });

  it('says that SES verifies through the DKIM CNAMEs, not a TXT record', () => {
    const [first] = recordPlan(base).notes;
    expect(first).toMatch(/DKIM CNAMEs, not through a verification TXT record/);
  });

  it('takes a custom MAIL FROM domain and the servers that send besides SES, merged with the published SPF', () => {
    // Prepare
    const input: RecordPlanInput = {
      ...base,
      domain: 'Support.Example.COM.',
      mailFromDomain: 'mail.support.example.com',
      spf: { sesSends: true, smtpSenders: ['192.0.2.10', '2001:db8::/48'], publishedTxt: ['v=spf1 mx -all'] },
    };
    // Act
    const plan = recordPlan(input);
    // Assess
    const byPurpose = Object.fromEntries(plan.records.map((r) => [r.purpose, r]));
    expect(byPurpose['mail-from-mx']?.name).toBe('mail.support.example.com');
    expect(byPurpose['spf']?.values).toEqual(['v=spf1 mx include:amazonses.com ip4:192.0.2.10 ip6:2001:db8::/48 -all']);
    expect(plan.notes.some((n) => n.includes('replace that record, do not add a second'))).toBe(true);
  });

  it('leaves out the inbound MX for a domain that keeps its own inbound mail, and SPF when nothing sends', () => {
    const plan = recordPlan({ ...base, receiving: false, spf: { sesSends: false } });
    expect(plan.records.map((r) => r.purpose)).toEqual(['dkim', 'dkim', 'dkim', 'mail-from-mx', 'mail-from-spf', 'dmarc']);
    expect(plan.records.at(-1)?.values).toEqual(['v=DMARC1; p=none']);
  });

  it('warns when DMARC reports go to another organisation, which must accept them', () => {
    const notes = recordPlan({ ...base, dmarcReportAddress: 'mailto:reports@dmarc.vendor.test' }).notes;
    expect(notes.at(-1)).toContain('support.example.com._report._dmarc.dmarc.vendor.test TXT "v=DMARC1"');
    expect(recordPlan({ ...base, dmarcReportAddress: 'dmarc@example.com' }).notes.join('\n')).not.toContain('_report._dmarc');
  });

  it('refuses input that cannot make a plan, field by field', () => {
    const error = refusal({
      domain: 'support..example.com',
      region: 'Ireland',
      dkimTokens: ['ok', 'bad token'],
      mailFromDomain: 'bounce.example.org',
      dmarcReportAddress: 'a@b;c',
    });
    expect(error.fieldReasons).toEqual({
      domain: 'domain.name-invalid',
      mailFromDomain: 'domain.mail-from-not-subdomain',
      region: 'domain.name-invalid',
      dkimTokens: 'domain.name-invalid',
      dmarcReportAddress: 'address.malformed',
    });
    expect(error.fields['domain']).toBe('not a valid domain name: "support..example.com"');
    expect(error.fields['dkimTokens']).toContain('"bad token"');
  });

  it('refuses a domain too long for its DKIM names, and three tokens are required', () => {
    const long = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(30)}.example.com`; // 225 characters, fine alone
    expect(refusal({ ...base, domain: long }).fields['domain']).toContain('too long for its DKIM and DMARC records');
    expect(refusal({ ...base, dkimTokens: TOKENS.slice(0, 2) }).fields['dkimTokens']).toContain('got 2 DKIM tokens');
  });

  it('passes the SPF builder\'s field errors through', () => {
    const error = refusal({ ...base, spf: { sesSends: true, smtpSenders: ['69169235170'] } });
    expect(error.fields).toEqual({ 'spf.smtpSenders[0]': 'not a valid IPv4 address: "69169235170"' });
  });
});
