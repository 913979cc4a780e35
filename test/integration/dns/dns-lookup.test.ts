/**
 * The DNS lookup adapter against a real DNS server on loopback: answers normalised to the plan's
 * shapes, "no such record" told apart from "DNS failed", and a silent server bounded in time.
 */
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsLookup } from '../../../lambdas/adapters/dns/dns-lookup.ts';
import type { DnsLookupPort } from '../../../lambdas/core/domains/model.ts';
import { startSilentDns, startTestDns, type TestDnsServer } from '../../support/dns-server.ts';

const LONG_SPF = `v=spf1 ${Array.from({ length: 30 }, (_, i) => `ip4:192.0.2.${i + 1}`).join(' ')} include:amazonses.com ~all`;
let dns: TestDnsServer;
let lookup: DnsLookupPort;

beforeAll(async () => {
  dns = await startTestDns({
    'example.com': { TXT: [LONG_SPF, 'hello'], MX: ['10 Inbound-SMTP.eu-west-1.amazonaws.com.', '20 backup.example.net'] },
    'sel._domainkey.example.com': { CNAME: 'Sel.DKIM.amazonses.com.' },
    'sel.dkim.amazonses.com': { TXT: ['p=KEY'] },
    'broken.example.com': { rcode: 'SERVFAIL' },
    'closed.example.com': { rcode: 'REFUSED' },
  });
  lookup = createDnsLookup({ servers: [dns.server] });
});
afterAll(() => dns.stop());

describe('createDnsLookup', () => {
  it('joins a TXT record split into 255-byte strings back into one value', async () => {
    const answer = await lookup.lookup('example.com', 'TXT');

    expect(LONG_SPF.length).toBeGreaterThan(255);
    expect(answer).toEqual({ kind: 'found', values: [LONG_SPF, 'hello'] });
  });

  it('answers MX as "<preference> <host>" and CNAME as the target, lower-case without the trailing dot', async () => {
    const [mx, cname] = await Promise.all([lookup.lookup('example.com', 'MX'), lookup.lookup('sel._domainkey.example.com', 'CNAME')]);

    expect(mx).toEqual({ kind: 'found', values: ['10 inbound-smtp.eu-west-1.amazonaws.com', '20 backup.example.net'] });
    expect(cname).toEqual({ kind: 'found', values: ['sel.dkim.amazonses.com'] });
  });

  it('says none for a name that does not exist, a type the name lacks, and a type its CNAME target lacks', async () => {
    const answers = await Promise.all([
      lookup.lookup('nowhere.example.com', 'TXT'),
      lookup.lookup('example.com', 'CNAME'),
      lookup.lookup('sel._domainkey.example.com', 'MX'),
    ]);

    expect(answers).toEqual([{ kind: 'none' }, { kind: 'none' }, { kind: 'none' }]);
  });

  it('says error, in plain words, when the server fails or refuses', async () => {
    const [failed, refused] = await Promise.all([lookup.lookup('broken.example.com', 'TXT'), lookup.lookup('closed.example.com', 'MX')]);

    expect(failed).toEqual({ kind: 'error', message: `the DNS server failed to answer (SERVFAIL) (${dns.server}) for TXT broken.example.com` });
    expect(refused).toMatchObject({ kind: 'error', message: expect.stringMatching(/^the DNS server refused the query/) });
  });

  it('says error, not none, when nothing listens on the server port', async () => {
    const port = await freeUdpPort();
    const nobody = createDnsLookup({ servers: [`127.0.0.1:${port}`] });

    const answer = await nobody.lookup('example.com', 'TXT');

    expect(answer.kind).toBe('error');
  });

  it('ends a lookup against a silent server within timeout x tries', async () => {
    const silent = await startSilentDns();
    const offline = createDnsLookup({ servers: [silent.server], timeoutMs: 300, tries: 2 });
    const started = Date.now();

    const answer = await offline.lookup('example.com', 'MX');
    const elapsed = Date.now() - started;
    await silent.stop();

    expect(answer).toMatchObject({ kind: 'error', message: expect.stringMatching(/^no answer from the DNS server within 0\.6 s/) });
    expect(elapsed).toBeLessThan(600 + 250);
  });

  it('refuses a server that is not an IP address when created', () => {
    expect(() => createDnsLookup({ servers: ['dns.example.com'] })).toThrow();
  });
});

/** A loopback UDP port nothing listens on (bound, then released). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
