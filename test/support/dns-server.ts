/**
 * A small authoritative DNS server on 127.0.0.1 for tests: it answers TXT (and A) queries from a
 * fixed zone and NXDOMAIN for everything else, so mail authentication (SPF/DKIM/DMARC) is tested
 * for real without any traffic leaving the machine.
 */
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import * as packet from 'dns-packet';

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, for `dns.Resolver#setServers`. */
  readonly server: string;
  readonly queries: string[];
  stop(): Promise<void>;
}

/** `zone` maps a lower-case name to its TXT strings (each string is one record). */
export async function startTestDns(zone: Record<string, string[]>): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (msg, rinfo) => {
    const query = packet.decode(msg);
    const question = query.questions?.[0];
    if (!question) return;
    queries.push(`${question.type} ${question.name}`);
    const records = zone[question.name.toLowerCase()];
    const answers =
      records && question.type === 'TXT'
        ? records.map((data) => ({ type: 'TXT' as const, name: question.name, ttl: 60, data: chunk(data) }))
        : [];
    const response = packet.encode({
      id: query.id,
      type: 'response',
      flags: packet.AUTHORITATIVE_ANSWER | (records ? 0 : 3), // rcode 3 = NXDOMAIN
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
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** TXT strings are at most 255 bytes each (RFC 1035); longer records are split. */
function chunk(data: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < data.length; i += 255) out.push(data.slice(i, i + 255));
  return out;
}
