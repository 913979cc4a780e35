/**
 * One domain's status (SPEC DOM-4, DOM-5): its record plan checked in DNS, beside SES's own view
 * of the identity, DKIM and MAIL FROM. Used by `domain check`, by the API's check and by the
 * scheduled check, so all three say the same. I/O only through the ports.
 */
import type { Domain, DomainStatus } from './domain.ts';
import { checkDomainDns, spfLookupCounter, type DomainDnsCheck } from './check-domain-dns.ts';
import type { DnsLookupPort, DnsRecordPlan, SesIdentityPort, SesIdentityStatus } from './model.ts';
import { recordPlan } from './record-plan.ts';

/** What a check reads through. */
export interface DomainCheckDeps {
  readonly ses: SesIdentityPort;
  readonly lookup: DnsLookupPort;
  /** The region SES receives and sends in (the MX hosts name it). */
  readonly region: string;
  readonly now: () => Date;
  /** The SMTP servers that send for each domain (the outbound issue's registry). @default none */
  readonly smtpSenders?: (domain: string) => readonly string[];
}

/** A check's whole answer: the stored summary and the details `domain check` prints. */
export interface DomainCheckResult {
  readonly status: DomainStatus;
  readonly plan: DnsRecordPlan;
  readonly dns: DomainDnsCheck;
  /** Undefined when SES has no identity for the domain (it was deleted outside Postroom). */
  readonly ses: SesIdentityStatus | undefined;
}

/**
 * The plan a domain is checked against: SES sends for it (its SPF includes amazonses.com), plus
 * the SMTP servers that send for it. The SPF the domain publishes now is not merged in: the check
 * asks whether what is published has every planned mechanism (record-check.ts), not for equality.
 */
export function planOf(domain: Domain, region: string, smtpSenders: readonly string[] = []): DnsRecordPlan {
  return recordPlan({
    domain: domain.name,
    region,
    dkimTokens: domain.dkimTokens,
    mailFromDomain: domain.mailFromDomain,
    spf: { sesSends: true, smtpSenders },
    ...(domain.dmarcReportAddress !== undefined && { dmarcReportAddress: domain.dmarcReportAddress }),
  });
}

/**
 * Checks `domain` now. `verifiedAt` is carried over from the previous status, or set now when SES
 * first reports the domain verified for sending. A missing SES identity reads as `failed`.
 * Never rejects because of DNS (failures are record states); an SES failure rejects.
 */
export async function checkDomain(domain: Domain, deps: DomainCheckDeps): Promise<DomainCheckResult> {
  const plan = planOf(domain, deps.region, deps.smtpSenders?.(domain.name) ?? []);
  const [dns, ses] = await Promise.all([
    checkDomainDns(plan, deps.lookup, spfLookupCounter(domain.name, deps.lookup)),
    deps.ses.status(domain.name),
  ]);
  const checkedAt = deps.now().toISOString();
  const verifiedForSending = ses?.verifiedForSending ?? false;
  const verifiedAt = domain.status?.verifiedAt ?? (verifiedForSending ? checkedAt : undefined);
  const status: DomainStatus = {
    checkedAt,
    identity: ses?.identity ?? 'failed',
    dkim: ses?.dkim ?? 'failed',
    mailFrom: ses?.mailFrom ?? 'failed',
    verifiedForSending,
    dns: dns.verdict,
    records: dns.records.map((c) => ({
      name: c.record.name,
      type: c.record.type,
      purpose: c.record.purpose,
      state: c.state,
      ...(c.optional && { optional: true }),
    })),
    ...(verifiedAt !== undefined && { verifiedAt }),
  };
  return { status, plan, dns, ses };
}

/**
 * What the status means for mail, in one sentence per fact (seed 003: unverified DKIM does not
 * stop mail, it goes out unsigned). Shown by `domain show`, `domain list` and the console.
 */
export function statusSummary(status: DomainStatus): string[] {
  const lines: string[] = [];
  lines.push(
    status.verifiedForSending
      ? 'SES may send from this domain.'
      : `SES may not send from this domain yet (identity ${status.identity}); replies go through the SMTP server that owns the sender address, if any.`,
  );
  if (status.dkim !== 'verified') lines.push(`DKIM is ${status.dkim}: mail goes out without a DKIM signature until SES finds the three CNAMEs.`);
  if (status.mailFrom !== 'verified') lines.push(`The MAIL FROM domain is ${status.mailFrom}: SES uses its own MAIL FROM (amazonses.com) until its MX resolves.`);
  if (status.dns === 'action-needed') lines.push('Some DNS records are missing or wrong: run `postroom domain check` for each record.');
  if (status.dns === 'unknown') lines.push('Some records could not be read from DNS (lookup-failed): the check is incomplete, not wrong.');
  return lines;
}
