/**
 * Reading an SPF record (RFC 7208 4.5 and 12): its terms, checked against the grammar, each with a
 * key that ignores spelling and qualifier (so a merge can tell that `ip4:1.2.3.4/32` is already
 * there as `-ip4:1.2.3.4`), and the number of DNS lookups it costs on its own (4.6.4).
 */
import { parseIpNetwork, quoted } from './spf-address.ts';

/** A mechanism's result when it matches (RFC 7208 4.6.2); `+` when the term names none. */
export type SpfQualifier = '+' | '-' | '~' | '?';

/** One term of an SPF record. */
export interface SpfTerm {
  /** The term as published (kept verbatim when a record is merged). */
  readonly text: string;
  readonly kind: 'mechanism' | 'modifier';
  /** Lower-case: `include`, `ip4`, `all`, `redirect`, … */
  readonly name: string;
  /** `+` for modifiers. */
  readonly qualifier: SpfQualifier;
  /** What two terms with the same effect share: the lower-case name and value, IPs canonical, no qualifier. */
  readonly key: string;
}

/** A parsed SPF record: its terms after `v=spf1`, in order. */
export interface SpfRecord {
  readonly terms: readonly SpfTerm[];
}

/** The mechanisms RFC 7208 5 defines; any other name makes the record a permerror. */
const MECHANISMS = new Set(['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists']);
/** Mechanisms that query DNS and so count toward the lookup limit (RFC 7208 4.6.4); `redirect` counts too. */
export const LOOKUP_MECHANISMS: ReadonlySet<string> = new Set(['include', 'a', 'mx', 'ptr', 'exists']);
/** Mechanisms whose value is a required `:domain-spec`. */
const NEEDS_DOMAIN = new Set(['include', 'exists']);
/** RFC 7208 7.1 macro-expand, or `%%`, `%_`, `%-`. */
const MACRO = /%(?:\{[slodiphcrtv][0-9]*r?[.\-+,/_=]*\}|[%_-])/gi;
/** What is left of a domain-spec without its macros: visible ASCII but `%` (RFC 7208 macro-literal). */
const MACRO_LITERALS = /^[\x21-\x24\x26-\x7e]*$/;
/** `a` and `mx`: `[:domain-spec][/ip4-cidr][//ip6-cidr]`. */
const A_MX_VALUE = /^(?::([^/]+))?(?:\/([0-9]+))?(?:\/\/([0-9]+))?$/;
const CIDR_LENGTH = /^(?:0|[1-9][0-9]{0,2})$/;

/** True for a TXT value that is an SPF record: `v=spf1` alone or followed by a space (RFC 7208 4.5). */
export function isSpfRecord(txt: string): boolean {
  return /^v=spf1(?: |$)/i.test(txt);
}

/**
 * Parses an SPF record strictly: an unknown mechanism, a malformed IP or CIDR, a domain-spec with a
 * broken macro, or `redirect=` / `exp=` given twice are errors, because receivers answer such a
 * record with permerror and SPF then fails for all mail. Trailing spaces are allowed (RFC 7208 12).
 * @returns the record, or a message that names the first bad term
 */
export function parseSpf(record: string): SpfRecord | string {
  const [version, ...texts] = record.trimEnd().split(' ');
  if (version?.toLowerCase() !== 'v=spf1') return `not an SPF record (it must start with "v=spf1"): ${quoted(record)}`;
  const terms: SpfTerm[] = [];
  const once = new Set<string>();
  for (const text of texts) {
    if (text === '') continue; // terms are separated by one or more spaces
    const term = parseTerm(text);
    if (typeof term === 'string') return term;
    if (term.kind === 'modifier' && (term.name === 'redirect' || term.name === 'exp')) {
      if (once.has(term.name)) return `"${term.name}=" appears more than once (RFC 7208 6)`;
      once.add(term.name);
    }
    terms.push(term);
  }
  return { terms };
}

function parseTerm(text: string): SpfTerm | string {
  const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(text);
  if (modifier) {
    const name = modifier[1]!.toLowerCase();
    const value = modifier[2]!;
    if ((name === 'redirect' || name === 'exp') && !validDomainSpec(value)) return `not a valid domain in ${quoted(text)}`;
    return { text, kind: 'modifier', name, qualifier: '+', key: `${name}=${value.toLowerCase()}` };
  }
  const mechanism = /^([+\-~?]?)([a-z][a-z0-9]*)(.*)$/i.exec(text);
  const name = mechanism?.[2]?.toLowerCase();
  if (!mechanism || !name || !MECHANISMS.has(name)) return `unknown SPF mechanism ${quoted(text)}`;
  const qualifier = (mechanism[1] || '+') as SpfQualifier;
  const key = mechanismKey(name, mechanism[3]!, text);
  return 'error' in key ? key.error : { text, kind: 'mechanism', name, qualifier, key: key.key };
}

/** The key of a mechanism, or why its value is malformed. */
function mechanismKey(name: string, rest: string, text: string): { key: string } | { error: string } {
  const bad = (what: string) => ({ error: `${what} in ${quoted(text)}` });
  if (name === 'all') return rest === '' ? { key: 'all' } : bad('"all" takes no value');
  if (name === 'ip4' || name === 'ip6') {
    if (!rest.startsWith(':')) return bad('an address is missing');
    const network = parseIpNetwork(rest.slice(1), name === 'ip4' ? 4 : 6);
    return typeof network === 'string' ? { error: network } : { key: network.key };
  }
  if (name === 'ptr' && rest === '') return { key: 'ptr' };
  if (NEEDS_DOMAIN.has(name) || name === 'ptr') {
    if (!rest.startsWith(':') || !validDomainSpec(rest.slice(1))) return bad('not a valid domain');
    return { key: `${name}${rest.toLowerCase()}` };
  }
  const parts = A_MX_VALUE.exec(rest); // a, mx
  if (!parts) return bad('not a valid domain or CIDR');
  if (parts[1] !== undefined && !validDomainSpec(parts[1])) return bad('not a valid domain');
  if (!cidrWithin(parts[2], 32) || !cidrWithin(parts[3], 128)) return bad('not a valid CIDR prefix length');
  return { key: `${name}${rest.toLowerCase()}` };
}

function cidrWithin(length: string | undefined, max: number): boolean {
  return length === undefined || (CIDR_LENGTH.test(length) && Number(length) <= max);
}

/** RFC 7208 7.1 `domain-spec`, loosely: visible ASCII with well-formed macros, not empty. */
function validDomainSpec(spec: string): boolean {
  return spec !== '' && MACRO_LITERALS.test(spec.replace(MACRO, ''));
}

/**
 * The DNS lookups the record costs by itself (RFC 7208 4.6.4): one per `include`, `a`, `mx`,
 * `ptr` and `exists`, and one for `redirect` unless the record has an `all` mechanism (6.1: then
 * `redirect` is never followed). `ip4`, `ip6`, `all` and `exp` cost none. What an `include`
 * costs in turn is only known through DNS (spf-lookups.ts).
 */
export function localLookupCount(record: SpfRecord): number {
  const hasAll = record.terms.some((t) => t.kind === 'mechanism' && t.name === 'all');
  return record.terms.filter((t) =>
    t.kind === 'mechanism' ? LOOKUP_MECHANISMS.has(t.name) : t.name === 'redirect' && !hasAll,
  ).length;
}
