/**
 * The record-by-record DNS check of a domain (SPEC DOM-5), as a pure comparison: the plan against
 * what DNS answered. Each record gets one state and a sentence an admin can act on; the overall
 * verdict ignores optional records (DMARC) and tells "DNS is wrong" from "DNS could not be read".
 */
import type { DnsAnswer, DnsRecord, DnsRecordPlan, DnsRecordType } from './model.ts';
import { SPF_LIMITS } from './spf.ts';
import {
  canonicalMx, countWord, isDmarc, isSpf, missingSpfTerms, normalizeHost, normalizeText, parseMx, quoteList,
} from './record-values.ts';

/** A record's state in DNS; `lookup-failed` means DNS could not be read, not that the record is wrong. */
export type RecordCheckState = 'ok' | 'missing' | 'wrong-value' | 'conflicting' | 'over-lookup-limit' | 'lookup-failed';

/** One planned record as DNS has it. */
export interface RecordCheck {
  readonly record: DnsRecord;
  readonly state: RecordCheckState;
  /** What DNS holds at the record's name and type (TXT: only the SPF or DMARC records, for those). */
  readonly found?: readonly string[];
  /** One sentence for the admin: what is wrong and where, or that the record is right. */
  readonly detail: string;
  /** True for records the plan only suggests (DMARC): {@link dnsVerdict} ignores them. */
  readonly optional: boolean;
}

/** The DNS lookups of an SPF record (recursively, through its includes), or why they could not be counted. */
export type SpfLookupCount = { readonly kind: 'counted'; readonly lookups: number } | { readonly kind: 'error'; readonly message: string };

/** Everything the comparison needs, gathered by {@link checkDomainDns} (or built by a test). */
export interface DnsObservation {
  /** DNS answers by {@link answerKey}. */
  readonly answers: ReadonlyMap<string, DnsAnswer>;
  /** The lookup count of each SPF record found, by its text as found. */
  readonly spfLookups: ReadonlyMap<string, SpfLookupCount>;
}

/** The key of one lookup in {@link DnsObservation.answers}: `"<TYPE> <normalised name>"`. */
export function answerKey(name: string, type: DnsRecordType): string {
  return `${type} ${normalizeHost(name)}`;
}

/**
 * The lookups the check needs for a record: its own name and type; for an MX or TXT record, the
 * name's CNAME (a CNAME there hides every other record, RFC 1034 3.6.2); for a CNAME record, the
 * name's TXT and MX (data beside the CNAME). {@link checkDomainDns} adds the CNAME target's TXT
 * and MX where the name answered those, to tell data beside the CNAME from the target's own.
 */
export function lookupsFor(record: DnsRecord): Array<{ name: string; type: DnsRecordType }> {
  const others: DnsRecordType[] = record.type === 'CNAME' ? ['TXT', 'MX'] : ['CNAME'];
  return [record.type, ...others].map((type) => ({ name: record.name, type }));
}

/**
 * Compares every record of the plan with the observation, in the plan's order. Names and hosts
 * compare case-insensitively without the trailing dot; MX by preference and host; SPF by terms (a
 * published SPF with every planned term plus others is ok); DMARC, a suggestion, is ok in any form.
 * A lookup that is not in the observation counts as failed.
 */
export function checkRecords(plan: DnsRecordPlan, observed: DnsObservation): RecordCheck[] {
  return plan.records.map((record) => {
    const optional = record.optional === true;
    const outcome = checkRecord(record, observed);
    const detail = outcome.state === 'missing' && optional ? `${outcome.detail} (optional: suggested, not required)` : outcome.detail;
    return { record, optional, ...outcome, detail };
  });
}

/**
 * The domain's DNS verdict from its record checks, optional records left out: `ok` when every
 * required record is ok; `action-needed` when one is missing, wrong, conflicting or over the SPF
 * limit; otherwise `unknown` (a lookup failed, so the scheduled check must not call it drift).
 */
export function dnsVerdict(checks: readonly RecordCheck[]): 'ok' | 'action-needed' | 'unknown' {
  const required = checks.filter((c) => !c.optional);
  if (required.some((c) => c.state !== 'ok' && c.state !== 'lookup-failed')) return 'action-needed';
  return required.every((c) => c.state === 'ok') ? 'ok' : 'unknown';
}

type Outcome = Pick<RecordCheck, 'state' | 'detail' | 'found'>;

function checkRecord(record: DnsRecord, observed: DnsObservation): Outcome {
  const at = (name: string, type: DnsRecordType) => observed.answers.get(answerKey(name, type));
  const { name, type } = record;
  for (const lookup of lookupsFor(record)) {
    const answer = at(lookup.name, lookup.type);
    if (!answer) return { state: 'lookup-failed', detail: `${lookup.type} at ${lookup.name} was not looked up` };
    if (answer.kind === 'error') return { state: 'lookup-failed', detail: `could not look up ${lookup.type} at ${lookup.name}: ${answer.message}` };
  }
  const own = at(name, type)!;
  const found = own.kind === 'found' ? own.values : undefined;
  const cname = at(name, 'CNAME')!;
  if (type !== 'CNAME' && cname.kind === 'found') {
    return {
      state: 'conflicting',
      detail: `CNAME beside other data at ${name}: it is an alias of ${cname.values.join(', ')}, so it cannot hold the ${type} record; remove the CNAME`,
      ...(found && { found }),
    };
  }
  if (type === 'TXT') return checkTxt(record, found ?? [], observed);
  if (!found) return { state: 'missing', detail: `no ${type} record at ${name}` };
  return type === 'CNAME' ? checkCname(record, found, at) : checkMx(record, found);
}

function checkCname(record: DnsRecord, found: readonly string[], at: (name: string, type: DnsRecordType) => DnsAnswer | undefined): Outcome {
  const expected = normalizeHost(record.values[0] ?? '');
  const targets = found.map(normalizeHost);
  for (const type of ['TXT', 'MX'] as const) {
    const own = at(record.name, type);
    if (own?.kind !== 'found') continue;
    // A resolver follows the CNAME, so the target's own data comes back too: only the rest is beside it.
    const target = targets.map((t) => at(t, type)).find((a) => a?.kind === 'found');
    const chased = new Set(target?.kind === 'found' ? target.values.map(normalizeText) : []);
    const beside = own.values.filter((v) => !chased.has(normalizeText(v)));
    if (beside.length > 0) {
      return { state: 'conflicting', found, detail: `CNAME beside other data at ${record.name}: it also has ${type} ${quoteList(beside)}; a name with a CNAME may hold nothing else` };
    }
  }
  if (targets.includes(expected)) return { state: 'ok', found, detail: `${record.name} is an alias of ${expected}` };
  return { state: 'wrong-value', found, detail: `${record.name} is an alias of ${targets.join(', ')}; it must be an alias of ${expected}` };
}

function checkMx(record: DnsRecord, found: readonly string[]): Outcome {
  const published = found.map(canonicalMx);
  const planned = record.values.map(canonicalMx);
  const lacking = planned.filter((mx) => !published.includes(mx));
  if (lacking.length > 0) {
    const hosts = new Set(lacking.map((mx) => parseMx(mx)?.host));
    const near = published.filter((mx) => hosts.has(parseMx(mx)?.host));
    const hint = near.length > 0 ? ` (found ${near.join(', ')}: the preference differs)` : ` (found ${published.join(', ')})`;
    return { state: 'wrong-value', found: published, detail: `MX at ${record.name} lacks ${lacking.join(', ')}${hint}` };
  }
  const others = published.filter((mx) => !planned.includes(mx));
  if (others.length > 0) {
    return { state: 'conflicting', found: published, detail: `other MX records at ${record.name}: ${others.join(', ')}; mail would be split between them and ${planned.join(', ')}` };
  }
  return { state: 'ok', found: published, detail: `MX at ${record.name} is ${planned.join(', ')}` };
}

function checkTxt(record: DnsRecord, found: readonly string[], observed: DnsObservation): Outcome {
  const planned = record.values[0] ?? '';
  if (isSpf(planned)) return checkSpf(record, planned, found.filter(isSpf), observed);
  if (isDmarc(planned)) return checkDmarc(record, planned, found.filter(isDmarc));
  if (found.length === 0) return { state: 'missing', detail: `no TXT record at ${record.name}` };
  const want = record.values.map(normalizeText);
  const have = found.map(normalizeText);
  if (want.every((v) => have.includes(v))) return { state: 'ok', found, detail: `TXT at ${record.name} is as planned` };
  return { state: 'wrong-value', found, detail: `TXT at ${record.name} is ${quoteList(found)}; expected ${quoteList(record.values)}` };
}

function checkSpf(record: DnsRecord, planned: string, spf: readonly string[], observed: DnsObservation): Outcome {
  const { name } = record;
  if (spf.length === 0) return { state: 'missing', detail: `no SPF record at ${name}` };
  if (spf.length > 1) {
    return {
      state: 'conflicting',
      found: spf,
      detail: `${countWord(spf.length)} SPF records at ${name}: ${quoteList(spf)}; receivers treat more than one as an error (RFC 7208 4.5), so SPF fails: merge them into one`,
    };
  }
  const published = spf[0]!;
  const lacking = missingSpfTerms(planned, published);
  if (lacking.length > 0) return { state: 'wrong-value', found: spf, detail: `SPF at ${name} lacks ${lacking.join(' ')}: found "${published}"` };
  const count = observed.spfLookups.get(published);
  if (count?.kind === 'error') return { state: 'lookup-failed', found: spf, detail: `could not count the DNS lookups of the SPF record at ${name}: ${count.message}` };
  if (count && count.lookups > SPF_LIMITS.maxDnsLookups) {
    return { state: 'over-lookup-limit', found: spf, detail: `SPF at ${name} needs ${count.lookups} DNS lookups; the limit is ${SPF_LIMITS.maxDnsLookups} (RFC 7208 4.6.4)` };
  }
  const lookups = count ? ` (${count.lookups} DNS lookups)` : '';
  return { state: 'ok', found: spf, detail: `SPF at ${name} has every planned mechanism${lookups}` };
}

function checkDmarc(record: DnsRecord, planned: string, dmarc: readonly string[]): Outcome {
  const { name } = record;
  if (dmarc.length === 0) return { state: 'missing', detail: `no DMARC record at ${name}` };
  if (dmarc.length > 1) {
    return { state: 'conflicting', found: dmarc, detail: `${countWord(dmarc.length)} DMARC records at ${name}: ${quoteList(dmarc)}; receivers then apply none of them (RFC 7489 6.6.3)` };
  }
  // The admin's own policy (p=quarantine, other report addresses) is theirs to choose.
  const same = normalizeText(dmarc[0]!).toLowerCase() === normalizeText(planned).toLowerCase();
  return { state: 'ok', found: dmarc, detail: same ? `DMARC at ${name} is as suggested` : `DMARC at ${name} is published (Postroom suggested "${planned}")` };
}
