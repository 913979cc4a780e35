/**
 * How the domain check reads published DNS values: names and hosts compare case-insensitively
 * without the trailing dot (RFC 4343; `Example.COM.` is `example.com`), MX by preference and host,
 * SPF by its terms rather than its text (`include:a ip4:1.2.3.4` is `ip4:1.2.3.4/32 +include:A`).
 */

/** A name or host as the plan writes it: lower-case, no trailing dot. */
export function normalizeHost(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** An MX value split into preference and normalised host; undefined when it is not `<number> <host>`. */
export function parseMx(value: string): { readonly preference: number; readonly host: string } | undefined {
  const match = /^\s*(\d{1,5})\s+(\S+)\s*$/.exec(value);
  return match ? { preference: Number(match[1]), host: normalizeHost(match[2]!) } : undefined;
}

/** `"<preference> <host>"` with the host normalised, or the trimmed text when it is not an MX value. */
export function canonicalMx(value: string): string {
  const mx = parseMx(value);
  return mx ? `${mx.preference} ${mx.host}` : value.trim();
}

/** True for a TXT value that is an SPF record (RFC 7208 4.5: `v=spf1` then a space or the end). */
export function isSpf(value: string): boolean {
  return /^v=spf1(\s|$)/i.test(value.trim());
}

/** True for a TXT value that is a DMARC record (RFC 7489 6.4: it begins with `v=DMARC1`). */
export function isDmarc(value: string): boolean {
  return /^v=dmarc1\s*(;|$)/i.test(value.trim());
}

/**
 * The terms of an SPF record that say who may send, in a comparable form: lower-case, the default
 * `+` qualifier dropped, single-address `ip4:…/32` and `ip6:…/128` written without the prefix. The
 * version and the `all` term are left out: the builder chooses `all`'s qualifier, and an admin's
 * stricter `-all` is as good as the planned `~all`.
 */
export function spfTerms(record: string): string[] {
  return record
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((term) => term.toLowerCase().replace(/^\+/, ''))
    .filter((term) => !/^[~?-]?all$/.test(term))
    .map((term) => term.replace(/^(ip4:[^/]+)\/32$/, '$1').replace(/^(ip6:[^/]+)\/128$/, '$1'));
}

/** The planned record's SPF terms that the published record lacks, in the planned order. */
export function missingSpfTerms(planned: string, published: string): string[] {
  const have = new Set(spfTerms(published));
  return spfTerms(planned).filter((term) => !have.has(term));
}

/** Whitespace runs collapsed, ends trimmed: TXT text compared by content, not by how it was typed. */
export function normalizeText(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`: found values quoted for a detail line. */
export function quoteList(values: readonly string[]): string {
  const quoted = values.map((v) => `"${v}"`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

/** `two`, `three` or the digits: counts an admin reads in a sentence. */
export function countWord(n: number): string {
  return ['no', 'one', 'two', 'three', 'four', 'five'][n] ?? String(n);
}
