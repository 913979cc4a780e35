/**
 * SPF, DKIM and DMARC verdicts of the local SES stand-in, computed by mailauth against a real DNS
 * server on loopback that publishes the sender domains' records.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailAuthenticator, dkimVerdict, dmarcVerdict, spfVerdict, type MailAuthenticator } from '../../../lambdas/local/mail-auth.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicKeyDer = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
let dns: TestDnsServer;
let authenticate: MailAuthenticator;

beforeAll(async () => {
  dns = await startTestDns({
    'customer.example': ['v=spf1 ip4:127.0.0.1 -all'],
    'mail2026._domainkey.customer.example': [`v=DKIM1; k=rsa; p=${publicKeyDer}`],
    '_dmarc.customer.example': ['v=DMARC1; p=reject'],
    'spoofed.example': ['v=spf1 ip4:192.0.2.1 -all'],
    '_dmarc.spoofed.example': ['v=DMARC1; p=reject'],
  });
  authenticate = createMailAuthenticator({ dnsServers: [dns.server] });
});
afterAll(() => dns.stop());

async function compose(from: string, sign: boolean): Promise<Buffer> {
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    ...(sign && { dkim: { domainName: 'customer.example', keySelector: 'mail2026', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } }),
  });
  const info = await transport.sendMail({ from, to: 'help@support.example.test', subject: 'Auth', text: 'hello' });
  return info.message as Buffer;
}

describe('local mail authentication', () => {
  it('passes SPF, DKIM and DMARC for a signed message from an authorized address', async () => {
    const raw = await compose('ada@customer.example', true);

    const result = await authenticate({ raw, ip: '127.0.0.1', helo: 'client.test', mailFrom: 'ada@customer.example', mta: 'postroom.local' });

    expect(result.verdicts).toEqual({ spam: 'DISABLED', virus: 'DISABLED', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' });
    expect(result.headers).toMatch(/Authentication-Results: postroom\.local/);
  });

  it('fails SPF and DMARC for a spoofed sender domain', async () => {
    const raw = await compose('ceo@spoofed.example', false);

    const result = await authenticate({ raw, ip: '127.0.0.1', helo: 'client.test', mailFrom: 'ceo@spoofed.example', mta: 'postroom.local' });

    expect(result.verdicts).toMatchObject({ spf: 'FAIL', dkim: 'GRAY', dmarc: 'FAIL' });
  });

  it('answers PROCESSING_FAILED, not a hang, when DNS does not answer', async () => {
    const silent = createSocket('udp4'); // bound, never replies
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
    const offline = createMailAuthenticator({ dnsServers: [`127.0.0.1:${(silent.address() as AddressInfo).port}`], timeoutMs: 200 });
    const raw = await compose('ada@customer.example', true);

    const result = await offline({ raw, ip: '127.0.0.1', helo: 'client.test', mailFrom: 'ada@customer.example', mta: 'postroom.local' });
    silent.close();

    expect(result.verdicts.spf).toBe('PROCESSING_FAILED');
    expect(result.verdicts.dkim).toBe('PROCESSING_FAILED');
  });

  it('maps RFC results onto SES verdicts', () => {
    expect(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror'].map(spfVerdict)).toEqual([
      'PASS', 'FAIL', 'FAIL', 'GRAY', 'GRAY', 'PROCESSING_FAILED', 'GRAY',
    ]);
    expect(dkimVerdict(['fail', 'pass'])).toBe('PASS');
    expect(dkimVerdict([])).toBe('GRAY');
    expect(dmarcVerdict('fail')).toBe('FAIL');
  });
});
