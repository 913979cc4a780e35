/**
 * The DNS lookups an SPF record costs as a receiver evaluates it (RFC 7208 4.6.4): its own
 * DNS-querying terms plus those of every record it includes or redirects to, read through an
 * injected TXT lookup (so core stays free of I/O). `include:amazonses.com` costs one lookup here
 * and whatever amazonses.com's record costs in turn, which a local count cannot know.
 */
import { ERROR_REASONS as R } from '../error-reasons.ts';
import { ValidationError } from '../errors.ts';
import { problem } from '../field-problems.ts';
import { quoted } from './spf-address.ts';
import { LOOKUP_MECHANISMS, isSpfRecord, parseSpf, type SpfRecord } from './spf-record.ts';
import { SPF_LIMITS } from './spf.ts';

/** The TXT values at `name`, each with its strings joined; [] when there are none. May throw on DNS failure. */
export type TxtLookup = (name: string) => Promise<readonly string[]>;

/** What counting found. Counting stops at the first lookup over the limit, so `lookups` is then 11. */
export type SpfLookupCount =
  | { readonly kind: 'ok'; readonly lookups: number }
  | { readonly kind: 'over-limit'; readonly lookups: number }
  /** An include or redirect leads back to a domain already being evaluated (or nests too deep). */
  | { readonly kind: 'loop'; readonly chain: readonly string[] }
  /** A record on the way is invalid, or an included domain has no or two SPF records: a permerror. */
  | { readonly kind: 'broken'; readonly name: string; readonly message: string };

class Stop {
  constructor(readonly result: SpfLookupCount) {}
}

/**
 * Counts the DNS lookups of `record`, published at `domain`, through DNS: every `include`, `a`,
 * `mx`, `ptr`, `exists` and followed `redirect` costs one, and the records of `include` and
 * `redirect` targets are read and counted in turn (depth first, in evaluation order). Targets
 * with macros (`%{i}`) depend on the sender and are counted but not followed. Loops and nesting
 * deeper than {@link SPF_LIMITS.maxIncludeDepth} end the count.
 * @throws whatever `txt` throws (a DNS failure is the caller's to report, not a count)
 */
export async function countSpfLookups(domain: string, record: string, txt: TxtLookup): Promise<SpfLookupCount> {
  const counter = { lookups: 0 };
  try {
    await visit(domain, record, [domain.toLowerCase()], counter, txt);
  } catch (error) {
    if (error instanceof Stop) return error.result;
    throw error;
  }
  return { kind: 'ok', lookups: counter.lookups };
}

async function visit(name: string, text: string, chain: readonly string[], counter: { lookups: number }, txt: TxtLookup): Promise<void> {
  const record = parseSpf(text);
  if (typeof record === 'string') throw new Stop({ kind: 'broken', name, message: record });
  for (const target of costedTerms(record)) {
    counter.lookups += 1;
    if (counter.lookups > SPF_LIMITS.maxDnsLookups) throw new Stop({ kind: 'over-limit', lookups: counter.lookups });
    if (target === undefined || target.includes('%')) continue;
    if (chain.includes(target) || chain.length > SPF_LIMITS.maxIncludeDepth) {
      throw new Stop({ kind: 'loop', chain: [...chain, target] });
    }
    const records = (await txt(target)).filter(isSpfRecord);
    if (records.length !== 1) {
      const found = records.length === 0 ? 'has no SPF record' : `has ${records.length} SPF records`;
      // At the top the record is counted by its text, which may be published at more than one name
      // (the domain's SPF and the MAIL FROM's can be equal): only a nested include names its includer.
      const by = chain.length > 1 ? ` (included by ${name})` : '';
      throw new Stop({ kind: 'broken', name: target, message: `${target} ${found}${by}` });
    }
    await visit(target, records[0]!, [...chain, target], counter, txt);
  }
}

/** One entry per term that costs a lookup: the domain to follow for `include`/`redirect`, else undefined. */
function costedTerms(record: SpfRecord): (string | undefined)[] {
  const hasAll = record.terms.some((t) => t.kind === 'mechanism' && t.name === 'all');
  const out: (string | undefined)[] = [];
  for (const term of record.terms) {
    if (term.kind === 'mechanism' && term.name === 'include') out.push(term.text.slice(term.text.indexOf(':') + 1).toLowerCase());
    else if (term.kind === 'modifier' && term.name === 'redirect' && !hasAll) out.push(term.text.slice('redirect='.length).toLowerCase());
    else if (term.kind === 'mechanism' && LOOKUP_MECHANISMS.has(term.name)) out.push(undefined);
  }
  return out;
}

/**
 * {@link countSpfLookups}, as a guard before a record is published.
 * @returns the number of lookups, within {@link SPF_LIMITS.maxDnsLookups}
 * @throws ValidationError on field `spf`: `spf.too-many-lookups` (over the limit, or a loop) or
 *   `spf.include-invalid` (a record on the way is invalid or missing); and whatever `txt` throws
 */
export async function assertSpfLookups(domain: string, record: string, txt: TxtLookup): Promise<number> {
  const count = await countSpfLookups(domain, record, txt);
  if (count.kind === 'ok') return count.lookups;
  const limit = SPF_LIMITS.maxDnsLookups;
  const issue =
    count.kind === 'over-limit'
      ? problem(R.spfTooManyLookups, `the SPF record of ${domain} needs more than ${limit} DNS lookups with its includes (RFC 7208 4.6.4)`)
      : count.kind === 'loop'
        ? problem(R.spfTooManyLookups, `the SPF includes of ${domain} loop or nest too deep: ${count.chain.map((n) => quoted(n)).join(' -> ')}`)
        : problem(R.spfIncludeInvalid, `the SPF record of ${domain} cannot be evaluated: ${count.message}`);
  throw new ValidationError({ spf: issue.message }, {}, { spf: issue.reason });
}
