/**
 * What a domain's last check means, in the console's own words (en/de/ja). The API's summary
 * lines are the CLI's ("run `postroom domain check` for each record"); the console says which
 * records failed and points at its "Check now" button instead.
 */
import type { DomainKey } from '../i18n/index.ts';
import type { Domain, DomainStatus } from '../api/types.ts';

/** useT's function over the domain texts (lib/i18n's Translate, written out: this module stays free of React for its unit test). */
type Translate = (key: DomainKey, vars?: Readonly<Record<string, string | number>>) => string;

/** The record states a check reports besides ok (lambdas/core/domains/record-check.ts). */
const FAILED_STATES = ['missing', 'wrong-value', 'conflicting', 'over-lookup-limit', 'lookup-failed'] as const;

/** One line per fact of the domain's status; before any check, the hint to press "Check now". */
export function domainStatusLines(domain: Pick<Domain, 'status' | 'provisioning'>, t: Translate): string[] {
  const s = domain.status;
  if (!s) return [t(domain.provisioning ? 'summary.provisioning' : 'detail.notCheckedHint')];
  const lines = [s.verifiedForSending ? t('summary.sendingYes') : t('summary.sendingNo', { identity: s.identity })];
  if (s.dkim !== 'verified') lines.push(t('summary.dkim', { state: s.dkim }));
  if (s.mailFrom !== 'verified') lines.push(t('summary.mailFrom', { state: s.mailFrom }));
  const failed = failedRecords(s, t);
  if (s.dns === 'action-needed') lines.push(t('summary.dnsActionNeeded', { records: failed || '–' }));
  if (s.dns === 'unknown') lines.push(t('summary.dnsUnknown', { records: failed || '–' }));
  return lines;
}

/** "MX bounce.example.com (missing), TXT example.com (wrong value)": the records the check did not find right. */
function failedRecords(s: DomainStatus, t: Translate): string {
  return (s.records ?? [])
    .filter((r) => r.state !== 'ok')
    .map((r) => {
      const state = (FAILED_STATES as readonly string[]).includes(r.state) ? t(`record.${r.state as (typeof FAILED_STATES)[number]}`) : r.state;
      return `${r.type} ${r.name} (${state}${r.optional ? `, ${t('plan.optional')}` : ''})`;
    })
    .join(', ');
}
