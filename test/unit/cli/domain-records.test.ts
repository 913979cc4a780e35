/**
 * The printed record plan (issue 9 item 4): the exact table for a fixed plan, a BIND fragment
 * that parses back to the plan (and through DNS wire format, with dns-packet), and JSON.
 */
import * as packet from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { bindSnippet, recordsJson, recordsTable } from '../../../lambdas/cli/domain-records.ts';
import type { DnsRecordPlan, DnsRecordType } from '../../../lambdas/core/domains/model.ts';
import { recordPlan } from '../../../lambdas/core/domains/record-plan.ts';

const plan: DnsRecordPlan = {
  domain: 'support.example.com',
  records: [
    { name: 'tok1._domainkey.support.example.com', type: 'CNAME', values: ['tok1.dkim.amazonses.com'], ttl: 1800, purpose: 'dkim' },
    { name: 'support.example.com', type: 'MX', values: ['10 inbound-smtp.eu-west-1.amazonaws.com'], ttl: 300, purpose: 'inbound-mx' },
    { name: 'support.example.com', type: 'TXT', values: ['v=spf1 include:amazonses.com ~all'], ttl: 300, purpose: 'spf' },
    { name: '_dmarc.support.example.com', type: 'TXT', values: ['v=DMARC1; p=none'], ttl: 300, purpose: 'dmarc', optional: true },
  ],
  notes: ['SES verifies the domain through its DKIM CNAMEs.', 'Second note\u001b[2J.'],
};

/** One record of a master-file line: TXT strings decoded to bytes, as a name server would read them. */
interface ParsedRecord {
  readonly name: string;
  readonly ttl: number;
  readonly type: DnsRecordType;
  readonly data: string | { preference: number; exchange: string } | Buffer[];
}

/** Reads the record lines of a BIND fragment (`name ttl IN type rdata`; `;` comments outside quotes). */
function parseZone(text: string): ParsedRecord[] {
  const records: ParsedRecord[] = [];
  for (const line of text.split('\n')) {
    const tokens = tokenize(line);
    if (tokens.length === 0) continue;
    const [name, ttl, klass, type, ...rdata] = tokens;
    expect(klass).toEqual(Buffer.from('IN'));
    const word = (b: Buffer | undefined) => b!.toString('latin1');
    expect(word(name)).toMatch(/\.$/);
    const t = word(type) as DnsRecordType;
    const data = t === 'TXT' ? rdata : t === 'MX' ? { preference: Number(word(rdata[0])), exchange: word(rdata[1]) } : word(rdata[0]);
    records.push({ name: word(name), ttl: Number(word(ttl)), type: t, data });
  }
  return records;
}

/** Splits a line into words and quoted strings (RFC 1035 5.1: `\X` is X, `\DDD` is the octet DDD). */
function tokenize(line: string): Buffer[] {
  const tokens: Buffer[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ' || line[i] === '\t') i += 1;
    else if (line[i] === ';') break;
    else {
      const quotedToken = line[i] === '"';
      if (quotedToken) i += 1;
      const bytes: number[] = [];
      while (i < line.length && (quotedToken ? line[i] !== '"' : line[i] !== ' ')) {
        if (line[i] === '\\' && /^[0-9]{3}$/.test(line.slice(i + 1, i + 4))) {
          bytes.push(Number(line.slice(i + 1, i + 4)));
          i += 4;
        } else {
          if (line[i] === '\\') i += 1;
          const code = line.charCodeAt(i);
          expect(code, `unescaped non-ASCII in ${line}`).toBeLessThan(0x7f);
          bytes.push(code);
          i += 1;
        }
      }
      if (quotedToken) {
        expect(line[i], `unterminated string in ${line}`).toBe('"');
        i += 1;
      }
      tokens.push(Buffer.from(bytes));
    }
  }
  return tokens;
}

describe('recordsTable', () => {
  it('prints the plan as an aligned table with its notes, made printable', () => {
    expect(recordsTable(plan)).toBe(
      [
        'DNS records for support.example.com:',
        '',
        'NAME                                 TYPE   TTL   PURPOSE                     VALUE',
        'tok1._domainkey.support.example.com  CNAME  1800  DKIM (verifies the domain)  tok1.dkim.amazonses.com',
        'support.example.com                  MX     300   inbound mail                10 inbound-smtp.eu-west-1.amazonaws.com',
        'support.example.com                  TXT    300   SPF                         v=spf1 include:amazonses.com ~all',
        '_dmarc.support.example.com           TXT    300   DMARC (optional)            v=DMARC1; p=none',
        '',
        'Notes:',
        '- SES verifies the domain through its DKIM CNAMEs.',
        '- Second note [2J.',
      ].join('\n'),
    );
  });
});

describe('bindSnippet', () => {
  it('prints fully qualified names, TTLs, MX preferences and quoted TXT, with notes as comments', () => {
    const lines = bindSnippet(plan).split('\n');
    expect(lines).toContain('tok1._domainkey.support.example.com. 1800 IN CNAME tok1.dkim.amazonses.com.');
    expect(lines).toContain('support.example.com.                 300 IN MX    10 inbound-smtp.eu-west-1.amazonaws.com.');
    expect(lines).toContain('_dmarc.support.example.com.          300 IN TXT   "v=DMARC1; p=none"');
    expect(lines).toContain('; Second note [2J.');
    expect(lines).toContain('; DMARC (optional, a suggestion)');
  });

  it('parses back to the plan, through DNS wire format, with long and hostile TXT values', () => {
    // Prepare: a long merged SPF record and a TXT value with quotes, a backslash, a newline and non-ASCII
    const real = recordPlan({
      domain: 'support.example.com',
      region: 'eu-west-1',
      dkimTokens: ['tok1', 'tok2', 'tok3'],
      spf: { sesSends: true, smtpSenders: Array.from({ length: 30 }, (_, i) => `2001:db8:${i}::/48`) },
    });
    const hostile = { name: 'x.support.example.com', type: 'TXT' as const, values: ['say "hi" \\ there\nnext; ünïcode ✓'], ttl: 60, purpose: 'spf' as const };
    const input: DnsRecordPlan = { ...real, records: [...real.records, hostile] };
    // Act
    const parsed = parseZone(bindSnippet(input));
    const wire = packet.decode(packet.encode({ type: 'response', id: 1, answers: parsed.map((r) => ({ ...r, class: 'IN' })) as packet.Answer[] }));
    // Assess
    expect(wire.answers).toHaveLength(input.records.length);
    input.records.forEach((record, i) => {
      const answer = wire.answers![i] as { name: string; type: string; ttl?: number; data: unknown };
      expect(answer.name).toBe(record.name);
      expect([answer.type, answer.ttl]).toEqual([record.type, record.ttl]);
      const value = record.values[0]!;
      if (record.type === 'TXT') {
        const strings = answer.data as Buffer[];
        for (const s of strings) expect(s.length).toBeLessThanOrEqual(255);
        expect(Buffer.concat(strings).toString('utf8')).toBe(value);
      } else if (record.type === 'MX') {
        const mx = answer.data as { preference: number; exchange: string };
        expect(`${mx.preference} ${mx.exchange}`).toBe(value);
      } else expect(answer.data).toBe(value);
    });
    const spf = input.records.find((r) => r.purpose === 'spf')!.values[0]!;
    expect(spf.length).toBeGreaterThan(255); // the split was exercised
  });
});

describe('recordsJson', () => {
  it('prints the plan in its model shape', () => {
    expect(JSON.parse(recordsJson(plan))).toEqual(plan);
  });
});
