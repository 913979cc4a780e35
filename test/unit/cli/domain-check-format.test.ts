/**
 * `postroom domain check`'s output: the API's summary sentences follow the records, except the one
 * that tells the reader to run the check that just ran.
 */
import { describe, expect, it } from 'vitest';
import { formatCheck } from '../../../lambdas/cli/commands/domain.ts';
import { statusSummary } from '../../../lambdas/core/domains/domain-check.ts';
import type { DomainStatus } from '../../../lambdas/core/domains/domain.ts';

describe('formatCheck', () => {
  it('keeps the summary but not the hint to run `postroom domain check` after the check itself', () => {
    // Prepare: the summary the API answers for a domain whose DNS needs action
    const status = { identity: 'verified', dkim: 'pending', mailFrom: 'verified', verifiedForSending: true, dns: 'action-needed' } as unknown as DomainStatus;
    const summary = statusSummary(status);
    expect(summary.some((line) => line.includes('postroom domain check'))).toBe(true);

    // Act
    const out = formatCheck('example.org', {
      verdict: 'action-needed',
      records: [{ name: 'example.org', type: 'MX', state: 'missing', detail: 'expected 10 inbound-smtp.eu-west-1.amazonaws.com' }],
      summary,
    });

    // Assess
    expect(out).not.toContain('postroom domain check');
    expect(out).toContain('- DKIM is pending: mail goes out without a DKIM signature until SES finds the three CNAMEs.');
    expect(out.split('\n')[0]).toBe('DNS of example.org: records need action');
  });
});
