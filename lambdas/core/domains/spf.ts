/**
 * The SPF record of a domain (SPEC DOM-6, RFC 7208), built from the paths that send for it and
 * merged with the record it already publishes, and TXT string splitting.
 *
 * Errors: every problem is thrown as one core {@link ValidationError} whose fields are the input's
 * paths (`spf.smtpSenders[2]`, `spf.publishedTxt`, `spf`) and whose reasons are the `spf.*` reasons of
 * core/error-reasons.ts, so the API answers them as field issues and the CLI names the bad value.
 * All bad senders are reported at once, not only the first.
 */
import { ERROR_REASONS as R } from '../error-reasons.ts';
import { assertNoProblems, problem, type FieldProblems } from '../field-problems.ts';
import { senderMechanism, type SenderMechanism } from './spf-address.ts';
import { isSpfRecord, localLookupCount, parseSpf, type SpfRecord } from './spf-record.ts';

export const SPF_LIMITS = {
  /**
   * RFC 7208 4.6.4: past 10 DNS-querying terms a receiver answers permerror and SPF fails for all
   * of the domain's mail, so a record over it is refused, never published.
   */
  maxDnsLookups: 10,
  /** A TXT character-string holds at most 255 octets (RFC 1035 3.3.14); longer text is split (RFC 7208 3.3). */
  maxTxtStringOctets: 255,
  /**
   * Include and redirect nesting followed when counting through DNS. Each level costs a lookup,
   * so a deeper chain is over the lookup limit anyway; the cap bounds the work on hostile records.
   */
  maxIncludeDepth: 10,
} as const;

/** What SES needs in the SPF of a domain it sends for (AWS SES developer guide, "custom MAIL FROM domain"). */
export const SES_SPF_INCLUDE = 'include:amazonses.com';

/** The SPF record of a MAIL FROM domain that only SES sends from, as the SES developer guide gives it. */
export const SES_MAIL_FROM_SPF = `v=spf1 ${SES_SPF_INCLUDE} ~all`;

/** What sends mail for a domain, and what it publishes now. */
export interface SpfInput {
  /** True when SES sends for the domain: adds `include:amazonses.com`. */
  readonly sesSends: boolean;
  /**
   * The SMTP servers that send for the domain: IPv4 or IPv6 addresses with an optional CIDR
   * prefix (`ip4:` / `ip6:`), or host names (`a:host`). @default []
   */
  readonly smtpSenders?: readonly string[];
  /**
   * The TXT values the domain publishes now, as DNS answers them (strings joined); values that are
   * not SPF records are ignored, two SPF records are an error. @default [] (nothing published)
   */
  readonly publishedTxt?: readonly string[];
}

/**
 * The SPF record the domain must publish: the mechanisms of the record it publishes now (kept
 * verbatim and in order; duplicates dropped), then the mechanisms its senders need that it lacks
 * (see {@link mergeSpf}). Every IP and CIDR, given or published, is validated strictly.
 * @returns the record, or undefined when nothing sends for the domain and it publishes no SPF
 * @throws ValidationError naming each bad sender (`spf.sender-invalid`), a bad or second published
 *   record (`spf.record-invalid`, `spf.multiple-records`), or a result over
 *   {@link SPF_LIMITS.maxDnsLookups} counted locally (`spf.too-many-lookups`)
 */
export function buildSpf(input: SpfInput): string | undefined {
  const problems: FieldProblems = {};
  const added: SenderMechanism[] = input.sesSends ? [{ mechanism: SES_SPF_INCLUDE, key: SES_SPF_INCLUDE }] : [];
  for (const [i, sender] of (input.smtpSenders ?? []).entries()) {
    const mechanism = senderMechanism(sender);
    if (typeof mechanism === 'string') problems[`spf.smtpSenders[${i}]`] = problem(R.spfSenderInvalid, mechanism);
    else added.push(mechanism);
  }
  const current = publishedSpf(input.publishedTxt ?? [], problems);
  assertNoProblems(problems);
  if (!current && added.length === 0) return undefined;
  const record = mergeSpf(current, added);
  const parsed = parseSpf(record);
  // Unreachable: the record is made of parsed terms and validated mechanisms.
  if (typeof parsed === 'string') throw new Error(`merged SPF record does not parse: ${parsed}`);
  const lookups = localLookupCount(parsed);
  if (lookups > SPF_LIMITS.maxDnsLookups) {
    assertNoProblems({
      spf: problem(
        R.spfTooManyLookups,
        `the SPF record needs ${lookups} DNS lookups, RFC 7208 allows ${SPF_LIMITS.maxDnsLookups}: ` +
          'name senders by IP address instead of host name, or drop includes that are no longer used',
      ),
    });
  }
  return record;
}

/** The one SPF record among `txt`, parsed; records a problem on `spf.publishedTxt` when it is bad or not one. */
function publishedSpf(txt: readonly string[], problems: FieldProblems): SpfRecord | undefined {
  const records = txt.filter(isSpfRecord);
  if (records.length > 1) {
    problems['spf.publishedTxt'] = problem(
      R.spfMultipleRecords,
      `the domain publishes ${records.length} SPF records, and RFC 7208 3.2 makes SPF fail with more than one: merge them into one first`,
    );
    return undefined;
  }
  if (records[0] === undefined) return undefined;
  const parsed = parseSpf(records[0]);
  if (typeof parsed !== 'string') return parsed;
  problems['spf.publishedTxt'] = problem(R.spfRecordInvalid, `the published SPF record is invalid: ${parsed}`);
  return undefined;
}

/**
 * Merges mechanisms into a record: `v=spf1`, the record's mechanisms but `all` (verbatim, in
 * order), the added ones it lacks, `all`, then its modifiers. A mechanism is "had" when one with
 * the same key exists whatever its qualifier: SPF takes the first match, so the record's own
 * `-ip4:x` would win over an added `ip4:x` anyway. The `all` keeps `-all` when the record has it
 * and is `~all` otherwise: a `?all` or `+all` would let anyone send as the domain. A record that
 * ends in `redirect=` without `all` gets no `all`, since an `all` would disable the redirect (RFC
 * 7208 6.1). Mechanisms the record had after its `all` were never evaluated; moving `all` to the
 * end makes them count, which is what such a record's author meant.
 * Merging is idempotent: merging the result again with the same mechanisms returns it.
 */
export function mergeSpf(record: SpfRecord | undefined, added: readonly SenderMechanism[]): string {
  const terms = record?.terms ?? [];
  const all = terms.find((t) => t.kind === 'mechanism' && t.name === 'all');
  const modifiers = terms.filter((t) => t.kind === 'modifier');
  const candidates = [
    ...terms.filter((t) => t.kind === 'mechanism' && t.name !== 'all').map((t) => ({ text: t.text, key: t.key })),
    ...added.map((m) => ({ text: m.mechanism, key: m.key })),
  ];
  const seen = new Set<string>();
  const out = ['v=spf1'];
  for (const { text, key } of candidates) {
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(text);
  }
  const redirectOnly = !all && modifiers.some((t) => t.name === 'redirect');
  if (all?.qualifier === '-') out.push('-all');
  else if (!redirectOnly) out.push('~all');
  out.push(...modifiers.map((t) => t.text));
  return out.join(' ');
}

/**
 * Splits a TXT value into character-strings of at most `maxOctets` UTF-8 octets (RFC 1035
 * 3.3.14). Receivers join an SPF record's strings without adding spaces (RFC 7208 3.3), so a cut
 * may fall anywhere; a cut falls after a space where the string has one, so each string starts
 * with a whole term, and never inside a character. Joining the parts gives the value back.
 * @param maxOctets @default {@link SPF_LIMITS.maxTxtStringOctets} (255)
 */
export function splitTxt(value: string, maxOctets: number = SPF_LIMITS.maxTxtStringOctets): string[] {
  const parts: string[] = [];
  let rest = value;
  while (octets(rest) > maxOctets) {
    let cut = 0;
    let size = 0;
    for (const char of rest) {
      if (size + octets(char) > maxOctets) break;
      size += octets(char);
      cut += char.length;
    }
    const space = rest.lastIndexOf(' ', cut - 1);
    // At least one character, so a `maxOctets` below a character's size still ends.
    const at = space > 0 ? space + 1 : Math.max(cut, String.fromCodePoint(rest.codePointAt(0)!).length);
    parts.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  parts.push(rest);
  return parts;
}

/** UTF-8 length of `text` (a lone surrogate is encoded as U+FFFD, 3 octets). */
export function octets(text: string): number {
  let n = 0;
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}
