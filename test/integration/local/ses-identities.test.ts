/**
 * The local SES identity stand-in against a real DNS server on loopback: created vs adopted, the
 * identity turns verified when its DKIM CNAMEs appear, MAIL FROM by its MX, DNS failures read as
 * temporary failures, a verified identity survives a short loss of its records, and identities
 * survive a restart with the same tokens.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDnsLookup } from '../../../lambdas/adapters/dns/dns-lookup.ts';
import { DKIM_LOSS_GRACE_MS, LocalSesIdentities, SES_IDENTITIES_FILE } from '../../../lambdas/local/ses-identities.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';

const REGION = 'eu-west-1';
const DOMAIN = 'support.example.org';
const request = { domain: DOMAIN, mailFromDomain: `bounce.${DOMAIN}` };

let dns: TestDnsServer;
let dir: string;
let clock: Date;

beforeEach(async () => {
  dns = await startTestDns({});
  dir = await mkdtemp(join(tmpdir(), 'postroom-ses-'));
  clock = new Date('2026-11-26T10:00:00Z');
  return async () => {
    await dns.stop();
    await rm(dir, { recursive: true, force: true });
  };
});

function open(file?: string): Promise<LocalSesIdentities> {
  return LocalSesIdentities.open({
    lookup: createDnsLookup({ servers: [dns.server], timeoutMs: 300, tries: 1 }),
    region: REGION,
    now: () => clock,
    ...(file !== undefined && { file }),
  });
}

/** Publishes the three DKIM CNAMEs of `tokens`. */
function publishDkim(tokens: readonly string[]): void {
  for (const token of tokens) dns.set(`${token}._domainkey.${DOMAIN}`, { CNAME: `${token}.dkim.amazonses.com` });
}

function unpublishDkim(tokens: readonly string[]): void {
  for (const token of tokens) dns.set(`${token}._domainkey.${DOMAIN}`, undefined);
}

describe('LocalSesIdentities', () => {
  it('creates an identity with three Easy-DKIM-shaped tokens, then adopts it with the same tokens', async () => {
    const ses = await open();

    const first = await ses.ensure(request);
    const second = await ses.ensure({ ...request, mailFromDomain: `mail.${DOMAIN}` });

    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(first.status.dkimTokens).toHaveLength(3);
    expect(new Set(first.status.dkimTokens).size).toBe(3);
    for (const token of first.status.dkimTokens) expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(second.status.dkimTokens).toEqual(first.status.dkimTokens);
    expect(second.status.mailFromDomain).toBe(`mail.${DOMAIN}`);
  });

  it('is pending until all three DKIM CNAMEs point at SES, then verified for sending', async () => {
    const ses = await open();
    const { status } = await ses.ensure(request);
    const [a, b, c] = status.dkimTokens as [string, string, string];

    publishDkim([a, b]);
    dns.set(`${c}._domainkey.${DOMAIN}`, { CNAME: `${c}.dkim.elsewhere.example` });
    const partly = await ses.status(DOMAIN);
    publishDkim([c]);
    const whole = await ses.status(DOMAIN);

    expect(status).toMatchObject({ identity: 'pending', dkim: 'pending', mailFrom: 'pending', verifiedForSending: false });
    expect(partly).toMatchObject({ identity: 'pending', dkim: 'pending', verifiedForSending: false });
    expect(whole).toMatchObject({ identity: 'verified', dkim: 'verified', verifiedForSending: true });
  });

  it("verifies the MAIL FROM domain by its MX to SES's feedback host in the region", async () => {
    const ses = await open();
    await ses.ensure(request);

    dns.set(`bounce.${DOMAIN}`, { MX: ['10 feedback-smtp.us-east-1.amazonses.com'] });
    const otherRegion = await ses.status(DOMAIN);
    dns.set(`bounce.${DOMAIN}`, { MX: ['10 feedback-smtp.eu-west-1.amazonses.com'] });
    const right = await ses.status(DOMAIN);

    expect(otherRegion?.mailFrom).toBe('pending');
    expect(right?.mailFrom).toBe('verified');
    expect(right?.identity).toBe('pending');
  });

  it('reads a failing DNS server as a temporary failure, not as missing records', async () => {
    const ses = await open();
    const { status } = await ses.ensure(request);

    dns.set(`${status.dkimTokens[0]}._domainkey.${DOMAIN}`, { rcode: 'SERVFAIL' });
    dns.set(`bounce.${DOMAIN}`, { rcode: 'SERVFAIL' });
    const failing = await ses.status(DOMAIN);

    expect(failing).toMatchObject({ identity: 'temporary-failure', dkim: 'temporary-failure', mailFrom: 'temporary-failure', verifiedForSending: false });
  });

  it('stays verified while the CNAMEs are gone for less than the grace, fails after it, and verifies again when they return', async () => {
    const ses = await open();
    const tokens = (await ses.ensure(request)).status.dkimTokens;
    publishDkim(tokens);
    await ses.status(DOMAIN);

    unpublishDkim(tokens);
    const justLost = await ses.status(DOMAIN);
    clock = new Date(clock.getTime() + DKIM_LOSS_GRACE_MS - 60_000);
    const withinGrace = await ses.status(DOMAIN);
    clock = new Date(clock.getTime() + 120_000);
    const pastGrace = await ses.status(DOMAIN);
    publishDkim(tokens);
    const back = await ses.status(DOMAIN);

    expect([justLost, withinGrace, pastGrace, back].map((s) => s?.dkim)).toEqual(['verified', 'verified', 'failed', 'verified']);
    expect(pastGrace).toMatchObject({ identity: 'failed', verifiedForSending: false });
  });

  it('survives a restart from its file with the same tokens and verification, written without a temporary file left', async () => {
    const file = join(dir, SES_IDENTITIES_FILE);
    const before = await open(file);
    const tokens = (await before.ensure(request)).status.dkimTokens;
    publishDkim(tokens);
    await before.status(DOMAIN);

    const after = await open(file);
    unpublishDkim(tokens);
    const status = await after.status(DOMAIN);
    const again = await after.ensure(request);

    expect(status).toMatchObject({ dkimTokens: tokens, dkim: 'verified' });
    expect(again.created).toBe(false);
    expect(JSON.parse(await readFile(file, 'utf8'))).toHaveLength(1);
    expect(await readdir(dir)).toEqual([SES_IDENTITIES_FILE]);
  });

  it('removes an identity: its status is gone and the next ensure creates new tokens', async () => {
    const file = join(dir, SES_IDENTITIES_FILE);
    const ses = await open(file);
    const tokens = (await ses.ensure(request)).status.dkimTokens;

    await ses.remove(DOMAIN);
    await ses.remove(DOMAIN);
    const gone = await (await open(file)).status(DOMAIN);
    const recreated = await ses.ensure(request);

    expect(gone).toBeUndefined();
    expect(recreated.created).toBe(true);
    expect(recreated.status.dkimTokens).not.toEqual(tokens);
  });

  it('refuses to start from a file it did not write rather than forget identities', async () => {
    const file = join(dir, SES_IDENTITIES_FILE);
    await writeFile(file, '{"not":"a list"}');

    await expect(open(file)).rejects.toThrow(/is not a list of local SES identities/);
  });
});
