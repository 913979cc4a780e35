/**
 * The domain page's status lines are the console's own words in every language: after a failed
 * check they name the records that failed and point at the "Check now" button, never at the CLI
 * (the API's summary says "run `postroom domain check` for each record", which is the CLI's).
 */
import { describe, expect, it } from 'vitest';
import type { DomainStatus } from '../../../console/src/features/admin-domains/api/types.ts';
import { domainStatusLines } from '../../../console/src/features/admin-domains/components/status-lines.ts';
import { domainTexts, type DomainKey } from '../../../console/src/features/admin-domains/i18n/index.ts';
import { fill } from '../../../console/src/lib/i18n/locale.ts';
import { LOCALES } from '../../../console/src/lib/i18n/types.ts';

const FAILED: DomainStatus = {
  checkedAt: '2026-11-27T05:00:00.000Z',
  identity: 'pending',
  dkim: 'pending',
  mailFrom: 'failed',
  verifiedForSending: false,
  dns: 'action-needed',
  records: [
    { name: 'abc._domainkey.shop.test', type: 'CNAME', purpose: 'dkim', state: 'ok' },
    { name: 'bounce.shop.test', type: 'MX', purpose: 'mail-from', state: 'missing' },
    { name: 'shop.test', type: 'TXT', purpose: 'spf', state: 'wrong-value' },
    { name: '_dmarc.shop.test', type: 'TXT', purpose: 'dmarc', state: 'missing', optional: true },
  ],
};

describe('domain status lines', () => {
  it.each(LOCALES)('%s: a failed check names each failed record and the Check now button, not the CLI', (locale) => {
    const t = (key: DomainKey, vars?: Readonly<Record<string, string | number>>) => fill(domainTexts[locale][key], vars);

    const lines = domainStatusLines({ status: FAILED }, t);

    const text = lines.join('\n');
    expect(text).not.toMatch(/postroom/i);
    expect(text).toContain(domainTexts[locale]['detail.check']);
    expect(text).toContain(`MX bounce.shop.test (${domainTexts[locale]['record.missing']})`);
    expect(text).toContain(`TXT shop.test (${domainTexts[locale]['record.wrong-value']})`);
    expect(text).toContain(`TXT _dmarc.shop.test (${domainTexts[locale]['record.missing']}, ${domainTexts[locale]['plan.optional']})`);
    expect(text).not.toContain('abc._domainkey');
  });

  it('before any check and after an unfinished setup, says what to do in the console', () => {
    const t = (key: DomainKey) => domainTexts.en[key];
    expect(domainStatusLines({}, t)).toEqual([domainTexts.en['detail.notCheckedHint']]);
    expect(domainStatusLines({ provisioning: {} }, t).join()).not.toMatch(/postroom/);
  });
});
