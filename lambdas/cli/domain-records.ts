/**
 * The record plan of a domain as `postroom domain records` prints it for any DNS host (issue 9
 * item 4): an aligned table, a BIND zone fragment and JSON. Pure functions over a
 * {@link DnsRecordPlan}, no I/O. Values come from admin input (an SPF record the domain already
 * publishes, a report address), so the table makes them printable and BIND escapes them.
 */
import type { DnsRecord, DnsRecordPlan, DnsRecordPurpose } from '../core/domains/model.ts';
import { splitTxt } from '../core/domains/spf.ts';
import { formatTable, printable } from './format.ts';

/** What each record is for, as the table and the BIND comments say it. */
export const PURPOSE_LABELS: Readonly<Record<DnsRecordPurpose, string>> = {
  dkim: 'DKIM (verifies the domain)',
  'inbound-mx': 'inbound mail',
  'mail-from-mx': 'MAIL FROM (bounces)',
  'mail-from-spf': 'MAIL FROM SPF',
  spf: 'SPF',
  dmarc: 'DMARC',
};

/**
 * The plan as a table (NAME, TYPE, TTL, PURPOSE, VALUE; one row per value; optional records say
 * so), then its notes as a list. TXT values are shown whole: a DNS host's form takes them whole
 * and splits them itself.
 */
export function recordsTable(plan: DnsRecordPlan): string {
  const rows = plan.records.flatMap((r) =>
    r.values.map((value) => [r.name, r.type, String(r.ttl), `${PURPOSE_LABELS[r.purpose]}${r.optional ? ' (optional)' : ''}`, value]),
  );
  // VALUE last: an SPF value runs to hundreds of characters and would push any column after it away.
  const table = formatTable(['name', 'type', 'ttl', 'purpose', 'value'], rows);
  const notes = plan.notes.map((n) => `- ${printable(n)}`);
  return [`DNS records for ${printable(plan.domain)}:`, '', table, ...(notes.length ? ['', 'Notes:', ...notes] : [])].join('\n');
}

/**
 * The plan as a BIND zone fragment to paste into a zone file: fully qualified names with their
 * trailing dot, an explicit TTL and class per record, MX as `<preference> <host>.`, TXT as quoted
 * character-strings of at most 255 octets (splitTxt) with `"` and `\` escaped and every other
 * byte outside printable ASCII written as `\DDD` (RFC 1035 5.1). The notes, and what each group of
 * records is for, are comments.
 */
export function bindSnippet(plan: DnsRecordPlan): string {
  const lines = [`; DNS records for ${printable(plan.domain)}, from Postroom`, ...plan.notes.map((n) => `; ${printable(n)}`)];
  const width = Math.max(0, ...plan.records.map((r) => fqdn(r.name).length));
  for (const [i, record] of plan.records.entries()) {
    const label = `; ${PURPOSE_LABELS[record.purpose]}${record.optional ? ' (optional, a suggestion)' : ''}`;
    if (i === 0 || plan.records[i - 1]!.purpose !== record.purpose || plan.records[i - 1]!.optional !== record.optional) lines.push('', label);
    for (const value of record.values) {
      lines.push(`${fqdn(record.name).padEnd(width)} ${record.ttl} IN ${record.type.padEnd(5)} ${rdata(record, value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The plan as JSON (the DnsRecordPlan shape of core/domains/model.ts, TXT values unsplit), for scripts. */
export function recordsJson(plan: DnsRecordPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

function rdata(record: DnsRecord, value: string): string {
  switch (record.type) {
    case 'CNAME':
      return fqdn(value);
    case 'MX': {
      const [preference, host = ''] = value.split(' ');
      return `${preference} ${fqdn(host)}`;
    }
    case 'TXT':
      return splitTxt(value).map(quotedString).join(' ');
  }
}

/** A name in master-file form: labels as they are (plan names are validated DNS names), trailing dot. */
function fqdn(name: string): string {
  const escaped = [...new TextEncoder().encode(name)].map(escapeNameByte).join('');
  return escaped.endsWith('.') ? escaped : `${escaped}.`;
}

function escapeNameByte(byte: number): string {
  const char = String.fromCharCode(byte);
  return /[A-Za-z0-9._-]/.test(char) ? char : `\\${String(byte).padStart(3, '0')}`;
}

/** A quoted character-string (RFC 1035 5.1): `"` and `\` escaped, bytes outside printable ASCII as `\DDD`. */
function quotedString(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${String(byte).padStart(3, '0')}`;
  }
  return `"${out}"`;
}
