/**
 * A small authoritative DNS server on 127.0.0.1 for tests: it answers TXT, MX, CNAME and A queries
 * from a zone map and NXDOMAIN for names it does not know, so mail authentication (SPF/DKIM/DMARC)
 * and the domain DNS check are tested for real without any traffic leaving the machine.
 */
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import * as packet from 'dns-packet';

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, for `dns.Resolver#setServers`. */
  readonly server: string;
  /** `<TYPE> <name>` of every question received, in order. */
  readonly queries: string[];
  /** Publishes (replaces) the records of `name`, or removes the name with `undefined`; answers change at once. */
  set(name: string, records: readonly string[] | TestDnsName | undefined): void;
  stop(): Promise<void>;
}

/** The records of one name. A zone that is broken on purpose may hold a CNAME beside other data. */
export interface TestDnsName {
  /** Whole TXT values; each is one record, split into 255-byte strings on the wire. */
  readonly TXT?: readonly string[];
  /** `"<preference> <host>"`, one per record. */
  readonly MX?: readonly string[];
  readonly CNAME?: string;
  readonly A?: readonly string[];
  /** Answer every question at this name with this response code instead (a failing server). */
  readonly rcode?: 'SERVFAIL' | 'REFUSED';
}

/**
 * `zone` maps a lower-case name to its records: either its TXT values (each string is one record,
 * the original form) or a {@link TestDnsName}.
 */
export type TestDnsZone = Record<string, readonly string[] | TestDnsName>;

const RCODES = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

type Answer = packet.Answer;

/** Starts the server on a free loopback port. */
export async function startTestDns(zone: TestDnsZone): Promise<TestDnsServer> {
  const names = new Map(Object.entries(zone).map(([name, records]) => [name.toLowerCase(), asName(records)]));
  const socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (msg, rinfo) => {
    const query = packet.decode(msg);
    const question = query.questions?.[0];
    if (!question) return;
    queries.push(`${question.type} ${question.name}`);
    const { rcode, answers } = answer(names, question.name, question.type);
    const response = packet.encode({
      id: query.id,
      type: 'response',
      flags: packet.AUTHORITATIVE_ANSWER | RCODES[rcode],
      questions: [question],
      answers,
    });
    socket.send(response, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    server: `127.0.0.1:${port}`,
    queries,
    set(name, records) {
      if (records === undefined) names.delete(name.toLowerCase());
      else names.set(name.toLowerCase(), asName(records));
    },
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/**
 * The records of exactly the asked type; where there are none and the name is a CNAME, the CNAME
 * and the chased target's records (RFC 1034 4.3.2), as an authoritative server for the whole zone
 * answers. A name with both a CNAME and the asked type answers with its own records, as a broken
 * DNS host does.
 */
function answer(names: Map<string, TestDnsName>, name: string, type: string, depth = 0): { rcode: keyof typeof RCODES; answers: Answer[] } {
  const records = names.get(name.toLowerCase());
  if (!records) return { rcode: 'NXDOMAIN', answers: [] };
  if (records.rcode) return { rcode: records.rcode, answers: [] };
  const own = recordsOf(name, records, type);
  if (own.length > 0 || !records.CNAME || type === 'CNAME' || depth > 8) return { rcode: 'NOERROR', answers: own };
  const alias: Answer = { type: 'CNAME', name, ttl: 60, data: records.CNAME };
  const chased = answer(names, records.CNAME, type, depth + 1);
  return { rcode: chased.rcode === 'NXDOMAIN' ? 'NOERROR' : chased.rcode, answers: [alias, ...chased.answers] };
}

function recordsOf(name: string, records: TestDnsName, type: string): Answer[] {
  switch (type) {
    case 'TXT':
      return (records.TXT ?? []).map((data) => ({ type: 'TXT', name, ttl: 60, data: chunk(data) }));
    case 'MX':
      return (records.MX ?? []).map((mx) => {
        const [preference, exchange] = mx.split(/\s+/);
        return { type: 'MX', name, ttl: 60, data: { preference: Number(preference), exchange: exchange ?? '' } };
      });
    case 'CNAME':
      return records.CNAME ? [{ type: 'CNAME', name, ttl: 60, data: records.CNAME }] : [];
    case 'A':
      return (records.A ?? []).map((data) => ({ type: 'A', name, ttl: 60, data }));
    default:
      return [];
  }
}

function asName(records: readonly string[] | TestDnsName): TestDnsName {
  return isTxtList(records) ? { TXT: records } : records;
}

function isTxtList(records: readonly string[] | TestDnsName): records is readonly string[] {
  return Array.isArray(records);
}

/** TXT strings are at most 255 bytes each (RFC 1035); longer records are split. */
function chunk(data: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < data.length; i += 255) out.push(data.slice(i, i + 255));
  return out;
}

/**
 * A DNS server that receives every query and never answers, as one that is down behind a
 * firewall: lookups against it end only by their timeout.
 */
export async function startSilentDns(): Promise<Pick<TestDnsServer, 'server' | 'stop'>> {
  const socket = createSocket('udp4');
  socket.on('message', () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return { server: `127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}
