/**
 * `postroom domain check` and the scheduled check (SPEC DOM-5), the DNS half: look every planned
 * record up through the DNS lookup port, count the lookups of the SPF records found, and compare
 * (record-check.ts). I/O happens only through the injected port and counter.
 */
import type { DnsAnswer, DnsLookupPort, DnsRecordPlan, DnsRecordType } from './model.ts';
import { answerKey, checkRecords, dnsVerdict, lookupsFor, type RecordCheck, type SpfLookupCount } from './record-check.ts';
import { isSpf, normalizeHost } from './record-values.ts';
import { countSpfLookups } from './spf-lookups.ts';

/** The DNS side of a domain's status. */
export interface DomainDnsCheck {
  readonly domain: string;
  /** One per planned record, in the plan's order. */
  readonly records: readonly RecordCheck[];
  /** {@link dnsVerdict} of the records. */
  readonly verdict: 'ok' | 'action-needed' | 'unknown';
}

/**
 * Checks a domain's records in DNS. Each distinct name and type is looked up once, all at the same
 * time (a plan holds about eight records, and a slow server then costs one timeout, not eight).
 * `spfLookups(record)` counts the DNS lookups an SPF record causes (recursively, RFC 7208 4.6.4);
 * it is called once per distinct SPF record found, and a rejection is reported on that record as
 * lookup-failed. Never rejects because of DNS: failures are states of the records.
 */
export async function checkDomainDns(
  plan: DnsRecordPlan,
  lookup: DnsLookupPort,
  spfLookups: (record: string) => Promise<number>,
): Promise<DomainDnsCheck> {
  const answers = new Map<string, DnsAnswer>();
  await lookupAll(lookup, answers, plan.records.flatMap(lookupsFor));
  await lookupAll(lookup, answers, cnameTargets(plan, answers));
  const spfFound = new Set(
    plan.records
      .filter((r) => r.type === 'TXT')
      .flatMap((r) => found(answers.get(answerKey(r.name, 'TXT'))))
      .filter(isSpf),
  );
  const counts = await Promise.all([...spfFound].map(async (record) => [record, await count(spfLookups, record)] as const));
  const records = checkRecords(plan, { answers, spfLookups: new Map(counts) });
  return { domain: plan.domain, records, verdict: dnsVerdict(records) };
}

/**
 * The `spfLookups` counter of {@link checkDomainDns} over the same DNS lookup port: counts
 * recursively (spf-lookups.ts) reading TXT records through `lookup`. A count past the limit is
 * returned as it is (the check reports over-lookup-limit); a DNS failure, a loop or a broken
 * record on the way rejects with a message the check shows on the record.
 */
export function spfLookupCounter(domain: string, lookup: DnsLookupPort): (record: string) => Promise<number> {
  const txt = async (name: string): Promise<readonly string[]> => {
    const answer = await lookup.lookup(name, 'TXT');
    if (answer.kind === 'error') throw new Error(answer.message);
    return answer.kind === 'found' ? answer.values : [];
  };
  return async (record) => {
    const result = await countSpfLookups(domain, record, txt);
    if (result.kind === 'ok' || result.kind === 'over-limit') return result.lookups;
    if (result.kind === 'loop') throw new Error(`the SPF includes loop: ${result.chain.join(' -> ')}`);
    throw new Error(`the SPF record at ${result.name} is broken: ${result.message}`);
  };
}

/**
 * Where a planned CNAME's name also answered TXT or MX, the same type at the CNAME's target: a
 * resolver follows the CNAME, so only what the target lacks is data beside the CNAME.
 */
function cnameTargets(plan: DnsRecordPlan, answers: Map<string, DnsAnswer>): Array<{ name: string; type: DnsRecordType }> {
  return plan.records
    .filter((r) => r.type === 'CNAME')
    .flatMap((r) =>
      found(answers.get(answerKey(r.name, 'CNAME'))).flatMap((target) =>
        (['TXT', 'MX'] as const)
          .filter((type) => answers.get(answerKey(r.name, type))?.kind === 'found')
          .map((type) => ({ name: normalizeHost(target), type })),
      ),
    );
}

async function lookupAll(port: DnsLookupPort, answers: Map<string, DnsAnswer>, wanted: ReadonlyArray<{ name: string; type: DnsRecordType }>): Promise<void> {
  const distinct = new Map(wanted.map((w) => [answerKey(w.name, w.type), w]));
  for (const key of answers.keys()) distinct.delete(key);
  await Promise.all(
    [...distinct].map(async ([key, { name, type }]) => {
      answers.set(key, await answerOf(port, normalizeHost(name), type));
    }),
  );
}

/** A port that throws is a failed lookup like any other, not a failed check. */
async function answerOf(port: DnsLookupPort, name: string, type: DnsRecordType): Promise<DnsAnswer> {
  try {
    return await port.lookup(name, type);
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
}

async function count(spfLookups: (record: string) => Promise<number>, record: string): Promise<SpfLookupCount> {
  try {
    return { kind: 'counted', lookups: await spfLookups(record) };
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
}

function found(answer: DnsAnswer | undefined): readonly string[] {
  return answer?.kind === 'found' ? answer.values : [];
}
