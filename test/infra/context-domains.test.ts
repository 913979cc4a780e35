/**
 * The domain settings of the CDK context: declared domains as names or objects, the deprecated
 * alias, the domain limit and the check rate, each refusal naming the key.
 */
import { describe, expect, it } from 'vitest';
import { ContextError } from '../../lib/context-error.ts';
import { DOMAIN_CHECK_MINUTES, domainSettingsOf } from '../../lib/context-domains.ts';

describe('domainSettingsOf', () => {
  it('declares nothing by default, allows 2 domains and checks every 15 minutes', () => {
    expect(domainSettingsOf(undefined, undefined, undefined, undefined)).toEqual({ domains: [], maxDomains: 2, domainCheckMinutes: DOMAIN_CHECK_MINUTES.default });
  });

  it('reads names and objects, lower-cased, without a trailing dot', () => {
    // Act
    const { domains } = domainSettingsOf(
      ['Support.Acme.com.', { name: 'help.acme.org', hostedZoneId: '/hostedzone/Z1D633PJN98FT9', mailFromDomain: 'Mail.Help.Acme.org', dmarcReportAddress: ' dmarc@acme.org ' }],
      undefined,
      undefined,
      undefined,
    );
    // Assess
    expect(domains).toEqual([
      { name: 'support.acme.com' },
      { name: 'help.acme.org', hostedZoneId: 'Z1D633PJN98FT9', mailFromDomain: 'mail.help.acme.org', dmarcReportAddress: 'dmarc@acme.org' },
    ]);
  });

  it('reads a comma-separated string as -c passes it', () => {
    expect(domainSettingsOf('support.acme.com, help.acme.org', undefined, '3', '60')).toEqual({
      domains: [{ name: 'support.acme.com' }, { name: 'help.acme.org' }],
      maxDomains: 3,
      domainCheckMinutes: 60,
    });
  });

  it('still accepts the deprecated postroom:recipientDomains, but not beside postroom:domains', () => {
    expect(domainSettingsOf(undefined, ['support.acme.com'], undefined, undefined).domains).toEqual([{ name: 'support.acme.com' }]);
    expect(() => domainSettingsOf(['a.acme.com'], ['b.acme.com'], undefined, undefined)).toThrow(/postroom:domains and postroom:recipientDomains .* exclude each other/);
  });

  it('refuses more declared domains than postroom:maxDomains allows', () => {
    const act = () => domainSettingsOf(['a.acme.com', 'b.acme.com', 'c.acme.com'], undefined, undefined, undefined);
    expect(act).toThrow(ContextError);
    expect(act).toThrow(/declares 3 domains; postroom:maxDomains allows 2/);
    expect(domainSettingsOf(['a.acme.com', 'b.acme.com', 'c.acme.com'], undefined, 3, undefined).domains).toHaveLength(3);
  });

  it.each([
    [['not a domain'], /postroom:domains has an invalid domain name: not a domain/],
    [['support.example.com'], /reserved example domain .*support\.example\.com/],
    [[42], /neither a name nor an object/],
    [{ name: 'a.acme.com' }, /must be an array/],
    [['a.acme.com', 'A.acme.com'], /declares a\.acme\.com more than once/],
    [[{ name: 'a.acme.com', hostedZoneId: 'zone-1' }], /a\.acme\.com: hostedZoneId must be a Route 53 hosted zone id/],
    [[{ name: 'a.acme.com', mailFromDomain: 'bounce.other.com' }], /mailFromDomain must be a subdomain of a\.acme\.com/],
    [[{ name: 'a.acme.com', dmarcReportAddress: 'nobody' }], /dmarcReportAddress must be an e-mail address/],
    [[{ name: 'a.acme.com', zone: 'Z1' }], /unknown fields: zone/],
  ])('refuses postroom:domains = %j', (value, message) => {
    expect(() => domainSettingsOf(value, undefined, undefined, undefined)).toThrow(message);
  });

  it.each([
    [0, undefined, /postroom:maxDomains must be a whole number from 1 to 100, got 0/],
    [101, undefined, /from 1 to 100/],
    [undefined, 4, /postroom:domainCheckMinutes must be a whole number from 5 to 1440, got 4/],
    [undefined, '1441', /from 5 to 1440/],
  ])('refuses maxDomains %j / domainCheckMinutes %j', (max, minutes, message) => {
    expect(() => domainSettingsOf(undefined, undefined, max, minutes)).toThrow(message);
  });
});
