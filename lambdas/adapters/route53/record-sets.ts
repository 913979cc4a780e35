/**
 * How a plan's {@link DnsRecord} is written in Route 53's presentation format and read back: names
 * and hosts fully qualified with a trailing dot, TXT values quoted and split into 255-byte strings
 * (RFC 1035 §3.3: a character-string is at most 255 octets), and the rule by which a TXT record
 * set shared with others (the apex TXT: SPF beside google-site-verification and the like) is merged.
 */
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { DnsRecord } from '../../core/domains/model.ts';

/** RFC 1035 §3.3: one TXT character-string carries at most 255 octets, so a longer text is split into several strings. */
export const MAX_TXT_STRING_LENGTH = 255;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `name` as Route 53 writes it: lower-case with the trailing dot. */
export function fqdn(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/**
 * A name as Route 53 lists it, compared with a plan's: lower-case, no trailing dot, its `\ddd`
 * octal escapes (Route 53 writes `*` as `\052`) decoded.
 */
export function plainName(name: string): string {
  return name
    .replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    .toLowerCase()
    .replace(/\.$/, '');
}

/**
 * One TXT text in Route 53's format: UTF-8 bytes in quoted strings of at most 255 bytes, `"` and
 * `\` escaped, bytes outside printable ASCII as `\ddd` octal (Route 53's escape).
 */
export function quoteTxt(text: string): string {
  const bytes = encoder.encode(text);
  const strings: string[] = [];
  // An empty text is still one (empty) string.
  for (let start = 0; start === 0 || start < bytes.length; start += MAX_TXT_STRING_LENGTH) {
    let quoted = '';
    for (const byte of bytes.subarray(start, start + MAX_TXT_STRING_LENGTH)) {
      if (byte === 0x22 || byte === 0x5c) quoted += `\\${String.fromCharCode(byte)}`;
      else if (byte >= 0x20 && byte < 0x7f) quoted += String.fromCharCode(byte);
      else quoted += `\\${byte.toString(8).padStart(3, '0')}`;
    }
    strings.push(`"${quoted}"`);
  }
  return strings.join(' ');
}

/** A Route 53 TXT value read back: its strings unescaped and joined into the one text they carry. */
export function unquoteTxt(value: string): string {
  const bytes: number[] = [];
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '"') {
      quoted = !quoted;
    } else if (ch === '\\' && /^\d{3}$/.test(value.slice(i + 1, i + 4))) {
      bytes.push(parseInt(value.slice(i + 1, i + 4), 8));
      i += 3;
    } else if (ch === '\\' && i + 1 < value.length) {
      bytes.push(...encoder.encode(value[++i]!));
    } else if (quoted || !/\s/.test(ch)) {
      // Whitespace between strings only separates them; inside quotes it is text.
      bytes.push(...encoder.encode(ch));
    }
  }
  return decoder.decode(new Uint8Array(bytes));
}

/** A plan value in Route 53's format: TXT quoted and split, CNAME and MX hosts with the trailing dot. */
export function route53Value(type: DnsRecord['type'], value: string): string {
  if (type === 'TXT') return quoteTxt(value);
  if (type === 'MX') {
    const [preference, host = ''] = value.trim().split(/\s+/);
    return `${preference} ${fqdn(host)}`;
  }
  return fqdn(value.trim());
}

/** A value read from Route 53 in the plan's form, so the two compare: TXT joined, hosts without the dot. */
export function planValue(type: string | undefined, value: string): string {
  if (type === 'TXT') return unquoteTxt(value);
  if (type === 'MX') {
    const [preference, host = ''] = value.trim().split(/\s+/);
    return `${preference} ${plainName(host)}`;
  }
  return plainName(value.trim());
}

/** The plan values of a listed record set (an alias set has none). */
export function valuesOf(set: ResourceRecordSet): string[] {
  return (set.ResourceRecords ?? []).map((r) => planValue(set.Type, r.Value ?? ''));
}

/** The record set Postroom writes for one plan record. */
export function recordSetOf(record: DnsRecord, values: readonly string[] = record.values): ResourceRecordSet {
  return {
    Name: fqdn(record.name),
    Type: record.type,
    TTL: record.ttl,
    ResourceRecords: values.map((v) => ({ Value: route53Value(record.type, v) })),
  };
}

/**
 * The TXT "kind" of a text: its version tag (`v=spf1`, `v=DMARC1`), lower-case, or undefined.
 * RFC 7208 §4.5 and RFC 7489 §6.4: the tag opens the record and is followed by a space, `;` or the end.
 */
export function txtKind(text: string): string | undefined {
  return /^v=([a-z0-9]+)(?=[\s;]|$)/i.exec(text.trim())?.[1]?.toLowerCase();
}

/**
 * The values a shared TXT record set holds after Postroom writes `ours`: every existing text of a
 * kind Postroom does not write (google-site-verification, another service's token) is kept, the
 * existing texts of Postroom's kinds (the one SPF, the one DMARC record a name may have) are
 * replaced, and nothing is repeated. Existing texts come first, so a re-run is a no-op.
 */
export function mergeTxt(existing: readonly string[], ours: readonly string[]): string[] {
  const ourKinds = new Set(ours.map(txtKind).filter((k) => k !== undefined));
  const kept = existing.filter((text) => {
    const kind = txtKind(text);
    return kind === undefined || !ourKinds.has(kind);
  });
  return [...new Set([...kept, ...ours])];
}

/** True when two value lists hold the same values, in any order. */
export function sameValues(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((v, i) => v === right[i]);
}
