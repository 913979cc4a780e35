/**
 * Publishing a record plan into the loopback test DNS server (dns-server.ts) the way an admin
 * publishes it at a DNS host: from the plan's records, or from the BIND fragment `postroom domain
 * records --bind` prints. Plus what SES itself publishes and the check follows (amazonses.com's SPF).
 */
import type { DnsRecord } from '../../lambdas/core/domains/model.ts';
import type { TestDnsName, TestDnsServer, TestDnsZone } from './dns-server.ts';

/** One record as a master-file line holds it. */
interface ZoneLine {
  readonly name: string;
  readonly type: 'CNAME' | 'MX' | 'TXT';
  readonly value: string;
}

/**
 * The names SES publishes that a domain's SPF check follows: `include:amazonses.com` is counted
 * through amazonses.com's own SPF record (a shortened copy of SES's).
 */
export const SES_PUBLISHED: TestDnsZone = {
  'amazonses.com': { TXT: ['v=spf1 ip4:199.255.192.0/22 ip4:199.127.232.0/22 ip4:54.240.0.0/18 ~all'] },
};

/** The zone that publishes `records` (MX and TXT values of one name add up; a CNAME is the name's only value). */
export function zoneOfRecords(records: readonly Pick<DnsRecord, 'name' | 'type' | 'values'>[]): TestDnsZone {
  return zoneOfLines(records.flatMap((r) => r.values.map((value) => ({ name: r.name, type: r.type, value }))));
}

/**
 * The zone a BIND fragment as `bindSnippet` prints it publishes: `name ttl IN type rdata` lines,
 * `;` comments, TXT as one or more quoted strings joined (RFC 7208 3.3). ASCII names only, which
 * is what the test domains are.
 */
export function readBindFragment(text: string): TestDnsZone {
  const lines: ZoneLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';')) continue;
    const match = /^(\S+)\s+\d+\s+IN\s+(CNAME|MX|TXT)\s+(.+)$/.exec(line);
    if (!match) throw new Error(`not a record line of a BIND fragment: ${raw}`);
    const [, name, type, rdata] = match as unknown as [string, string, ZoneLine['type'], string];
    lines.push({ name: host(name), type, value: valueOf(type, rdata) });
  }
  return zoneOfLines(lines);
}

/** Publishes every name of `zone` on the running server, replacing what those names had. */
export function publish(dns: TestDnsServer, zone: TestDnsZone): void {
  for (const [name, records] of Object.entries(zone)) dns.set(name, records);
}

function valueOf(type: ZoneLine['type'], rdata: string): string {
  switch (type) {
    case 'CNAME':
      return host(rdata.trim());
    case 'MX': {
      const [preference, exchange = ''] = rdata.trim().split(/\s+/);
      return `${preference} ${host(exchange)}`;
    }
    case 'TXT':
      return [...rdata.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1')).join('');
  }
}

function zoneOfLines(lines: readonly ZoneLine[]): TestDnsZone {
  const names: Record<string, { TXT?: string[]; MX?: string[]; CNAME?: string }> = {};
  for (const { name, type, value } of lines) {
    const entry = (names[name] ??= {});
    if (type === 'CNAME') entry.CNAME = value;
    else (entry[type] ??= []).push(value);
  }
  return names as Record<string, TestDnsName>;
}

const host = (name: string): string => name.toLowerCase().replace(/\.$/, '');
