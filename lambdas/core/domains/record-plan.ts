/**
 * The DNS record plan of a domain (SPEC DOM-3, issue 9 item 3): every record the admin publishes,
 * exactly, so SES can verify the domain (DKIM CNAMEs), receive its mail (inbound MX), take its
 * bounces (MAIL FROM MX and SPF), and receivers can authenticate its mail (SPF, DMARC). Pure: the
 * DKIM tokens, the region and the published SPF come in; records go out, for Route 53 or printing.
 */
import { DOMAIN_NAME } from '../../../contract/recipient-domains.ts';
import { ERROR_REASONS as R } from '../error-reasons.ts';
import { assertNoProblems, problem, type FieldProblems } from '../field-problems.ts';
import type { DnsRecord, DnsRecordPlan, DnsRecordPurpose } from './model.ts';
import { quoted } from './spf-address.ts';
import { isSpfRecord } from './spf-record.ts';
import { SES_MAIL_FROM_SPF, buildSpf, type SpfInput } from './spf.ts';

/**
 * Seconds per record. Short, so a mistake `domain check` reports is healed at resolvers within
 * minutes of its fix; the DKIM CNAMEs stay the same for the identity's life (Easy DKIM rotates
 * keys behind them), so they may be cached longer.
 */
export const RECORD_TTL_SECONDS: Readonly<Record<DnsRecordPurpose, number>> = {
  dkim: 1800,
  'inbound-mx': 300,
  'mail-from-mx': 300,
  'mail-from-spf': 300,
  spf: 300,
  dmarc: 300,
};

/** Easy DKIM always gives three tokens (SES v2 `DkimAttributes.Tokens`), one CNAME each. */
export const DKIM_TOKEN_COUNT = 3;
/** The preference of both MX records: any value works with a single MX host; 10 is what the SES guide shows. */
export const MX_PREFERENCE = 10;
/** A whole DNS name is at most 253 characters in presentation form (RFC 1035 2.3.4). */
const DNS_NAME_CHARS = 253;
/** An SES Easy DKIM token is one DNS label. */
const DKIM_TOKEN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** An AWS region name: `us-east-1`, `ap-southeast-2`, `us-gov-west-1`. */
const REGION = /^[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}$/;
/**
 * A DMARC report address, conservatively: `!`, `,` and `;` would change the meaning of a DMARC
 * URI list (RFC 7489 6.4), so they are refused rather than escaped.
 */
const REPORT_ADDRESS = /^[a-z0-9._+-]+@([a-z0-9.-]+)$/i;

/** What a domain's plan is built from. */
export interface RecordPlanInput {
  /** The domain, e.g. `support.example.com`; lower-cased, one trailing dot dropped. */
  readonly domain: string;
  /** The AWS region SES receives and sends in, e.g. `eu-west-1`. */
  readonly region: string;
  /** The three Easy DKIM tokens SES gave the identity. */
  readonly dkimTokens: readonly string[];
  /** A subdomain of `domain` (SES requires one). @default `bounce.<domain>` */
  readonly mailFromDomain?: string;
  /** False when the domain keeps its own inbound mail (DOM-7): no inbound MX. @default true */
  readonly receiving?: boolean;
  /** What sends for the domain and what it publishes now (spf.ts). @default SES sends, nothing published */
  readonly spf?: SpfInput;
  /** Where DMARC aggregate reports go (`rua=mailto:`). @default none: the DMARC record suggests no `rua` */
  readonly dmarcReportAddress?: string;
}

/**
 * The records `input.domain` needs, in publishing order: the DKIM CNAMEs, the inbound MX, the
 * MAIL FROM MX and SPF, the domain's SPF (when something sends for it or it publishes one), and
 * the DMARC suggestion (`optional`). Names are fully qualified, lower-case, without trailing dot;
 * TXT values unsplit. Notes say what the admin must know beside the records.
 * @throws ValidationError on `domain`, `mailFromDomain`, `region`, `dkimTokens`,
 *   `dmarcReportAddress` (reasons `domain.name-invalid`, `domain.mail-from-not-subdomain`,
 *   `address.malformed`) and the `spf.*` fields of {@link buildSpf}
 */
export function recordPlan(input: RecordPlanInput): DnsRecordPlan {
  const domain = dnsName(input.domain);
  const mailFrom = dnsName(input.mailFromDomain ?? `bounce.${domain}`);
  const report = input.dmarcReportAddress?.replace(/^mailto:/i, '');
  assertNoProblems(inputProblems(input, domain, mailFrom, report));
  const spfInput = input.spf ?? { sesSends: true };
  const spf = buildSpf(spfInput);
  const record = (name: string, type: DnsRecord['type'], purpose: DnsRecordPurpose, value: string): DnsRecord => ({
    name,
    type,
    values: [value],
    ttl: RECORD_TTL_SECONDS[purpose],
    purpose,
  });
  const records: DnsRecord[] = [
    ...input.dkimTokens.map((t) => record(`${t}._domainkey.${domain}`, 'CNAME', 'dkim', `${t}.dkim.amazonses.com`)),
    ...(input.receiving === false ? [] : [record(domain, 'MX', 'inbound-mx', `${MX_PREFERENCE} inbound-smtp.${input.region}.amazonaws.com`)]),
    record(mailFrom, 'MX', 'mail-from-mx', `${MX_PREFERENCE} feedback-smtp.${input.region}.amazonses.com`),
    record(mailFrom, 'TXT', 'mail-from-spf', SES_MAIL_FROM_SPF),
    ...(spf ? [record(domain, 'TXT', 'spf', spf)] : []),
    { ...record(`_dmarc.${domain}`, 'TXT', 'dmarc', `v=DMARC1; p=none${report ? `; rua=mailto:${report}` : ''}`), optional: true },
  ];
  return { domain, records, notes: planNotes(domain, mailFrom, input, spfInput, report) };
}

/** Lower-case, one trailing dot dropped: names in a plan are compared as DNS compares them. */
function dnsName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function inputProblems(input: RecordPlanInput, domain: string, mailFrom: string, report: string | undefined): FieldProblems {
  const problems: FieldProblems = {};
  // The longest name the plan makes: a DKIM CNAME, or the DMARC name when tokens are short.
  const longest = Math.max(`_dmarc.${domain}`.length, ...input.dkimTokens.map((t) => `${t}._domainkey.${domain}`.length));
  if (!DOMAIN_NAME.test(domain)) problems['domain'] = problem(R.domainNameInvalid, `not a valid domain name: ${quoted(input.domain)}`);
  else if (longest > DNS_NAME_CHARS) {
    problems['domain'] = problem(R.domainNameInvalid, `${quoted(domain)} is too long for its DKIM and DMARC records (names are ${DNS_NAME_CHARS} characters at most)`);
  }
  if (!DOMAIN_NAME.test(mailFrom)) problems['mailFromDomain'] = problem(R.domainNameInvalid, `not a valid domain name: ${quoted(mailFrom)}`);
  else if (!mailFrom.endsWith(`.${domain}`)) {
    problems['mailFromDomain'] = problem(R.domainMailFromNotSubdomain, `the MAIL FROM domain ${quoted(mailFrom)} is not a subdomain of ${quoted(domain)}`);
  }
  if (!REGION.test(input.region)) problems['region'] = problem(R.domainNameInvalid, `not an AWS region name: ${quoted(input.region)}`);
  const badToken = input.dkimTokens.find((t) => !DKIM_TOKEN.test(t));
  if (input.dkimTokens.length !== DKIM_TOKEN_COUNT || badToken !== undefined) {
    const what = badToken === undefined ? `${input.dkimTokens.length} DKIM tokens` : `the DKIM token ${quoted(badToken)}`;
    problems['dkimTokens'] = problem(R.domainNameInvalid, `expected ${DKIM_TOKEN_COUNT} DKIM tokens that are DNS labels, got ${what}`);
  }
  const reportDomain = report === undefined ? undefined : REPORT_ADDRESS.exec(report)?.[1];
  if (report !== undefined && (!reportDomain || !DOMAIN_NAME.test(reportDomain.toLowerCase()))) {
    problems['dmarcReportAddress'] = problem(R.addressMalformed, `not an e-mail address DMARC can report to: ${quoted(report)}`);
  }
  return problems;
}

function planNotes(domain: string, mailFrom: string, input: RecordPlanInput, spf: SpfInput, report: string | undefined): string[] {
  const notes = [
    'SES verifies the domain through its three DKIM CNAMEs, not through a verification TXT record as some mail platforms ask for: no such TXT record is needed.',
    `${mailFrom} receives SES's bounces and complaints (its MX); use it for nothing else. Until its MX resolves, SES sends with its own MAIL FROM domain: mail still goes out, but SPF does not align for DMARC.`,
  ];
  if (input.receiving !== false) {
    notes.push(`The inbound MX sends all mail for ${domain} to SES in ${input.region}: if people receive mail at ${domain} elsewhere today, onboard a subdomain instead.`);
  }
  notes.push(
    (spf.publishedTxt ?? []).some(isSpfRecord)
      ? `The SPF record of ${domain} keeps every mechanism of the one it publishes now: replace that record, do not add a second (two SPF records make SPF fail).`
      : `Publish one SPF record per name: two SPF records make SPF fail.`,
    'The DMARC record is a suggestion: p=none only collects reports; tighten it to quarantine or reject once the reports show your mail passes.',
  );
  const reportDomain = report?.slice(report.lastIndexOf('@') + 1).toLowerCase();
  if (reportDomain && reportDomain !== domain && !domain.endsWith(`.${reportDomain}`) && !reportDomain.endsWith(`.${domain}`)) {
    notes.push(`DMARC reports go to ${reportDomain}: unless it belongs to the same organisation's domain, it must publish ${domain}._report._dmarc.${reportDomain} TXT "v=DMARC1" to accept them (RFC 7489 7.1).`);
  }
  return notes;
}
