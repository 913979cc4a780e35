/**
 * `postroom domain ...` as users run it: a child process against the API served on 127.0.0.1 over
 * dynalite, SES v2 and Route 53 on mocked clients (no hosted zone: records are printed), and a DNS
 * server on loopback serving one domain right and one with missing, wrong and conflicting records.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsLookup } from '../../../lambdas/adapters/dns/dns-lookup.ts';
import { Route53DnsPublisher } from '../../../lambdas/adapters/route53/dns-publisher.ts';
import { SesV2IdentityAdapter } from '../../../lambdas/adapters/ses/ses-identity.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { dynamoApiApp, serveApi, type ServedApi } from '../../support/api-app.ts';
import { fakeRoute53, fakeSes } from '../../support/aws-domain-mocks.ts';
import { runPostroom } from '../../support/cli.ts';
import { startTestDns, type TestDnsServer, type TestDnsZone } from '../../support/dns-server.ts';

const SES_SPF = 'v=spf1 include:amazonses.com ~all';
const INBOUND_MX = '10 inbound-smtp.eu-west-1.amazonaws.com';
const FEEDBACK_MX = '10 feedback-smtp.eu-west-1.amazonses.com';
const dkim = (label: string, i: number, target = `${label}tok${i}.dkim.amazonses.com`) => ({ [`${label}tok${i}._domainkey.${label}.example.org`]: { CNAME: target } });

/** right.example.org publishes its plan exactly; broken.example.org gets each kind of mistake. */
const zone: TestDnsZone = {
  'amazonses.com': ['v=spf1 ip4:199.255.192.0/22 ~all'],
  ...dkim('right', 1),
  ...dkim('right', 2),
  ...dkim('right', 3),
  ...Object.fromEntries([1, 2, 3].map((i) => [`righttok${i}.dkim.amazonses.com`, [`p=KEY${i}`]])),
  'right.example.org': { MX: [INBOUND_MX], TXT: [SES_SPF] },
  'bounce.right.example.org': { MX: [FEEDBACK_MX], TXT: [SES_SPF] },
  '_dmarc.right.example.org': ['v=DMARC1; p=none'],
  // broken: tok1 missing, tok2 pointing elsewhere, tok3 a CNAME beside a TXT; a foreign MX; two SPF records; no MAIL FROM
  ...dkim('broken', 2, 'brokentok2.dkim.elsewhere.example'),
  'brokentok3._domainkey.broken.example.org': { CNAME: 'brokentok3.dkim.amazonses.com', TXT: ['stray'] },
  'broken.example.org': { MX: ['10 mx.other-provider.example'], TXT: [SES_SPF, 'v=spf1 -all'] },
};

describe('postroom domain commands against a served API', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let dns: TestDnsServer;
  let server: ServedApi;
  let dir: string;
  const ses = fakeSes();
  const route53 = fakeRoute53([]);

  const postroom = (...args: string[]) => runPostroom(['--api', server.url, ...args], { cwd: dir });

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'domain-cli');
    dns = await startTestDns(zone);
    const registry = {
      ses: new SesV2IdentityAdapter(ses.client),
      publisher: new Route53DnsPublisher(route53.client),
      lookup: createDnsLookup({ servers: [dns.server] }),
      region: 'eu-west-1',
      maxDomains: 2,
    };
    server = await serveApi(dynamoApiApp(tables, { registry }));
    dir = await mkdtemp(join(tmpdir(), 'postroom-domain-'));
  });
  afterAll(async () => {
    await server?.close();
    await dns?.stop();
    tables?.destroy();
    await dynalite?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('add prints the records to publish by hand, and warns when the domain\'s MX is not SES\'s', async () => {
    const right = await postroom('domain', 'add', 'right.example.org', '--dns', dns.server);
    const broken = await postroom('domain', 'add', 'broken.example.org', '--dns', dns.server);

    expect(right.code).toBe(0);
    expect(right.stdout).toContain('Added right.example.org.\n\nNo Route 53 hosted zone serves this domain: publish these records at your DNS host by hand.');
    expect(right.stdout).toMatch(/righttok1\._domainkey\.right\.example\.org +CNAME +1800 +DKIM \(verifies the domain\) +righttok1\.dkim\.amazonses\.com/);
    expect(right.stdout).not.toContain('WARNING');
    expect(broken.stdout).toContain("WARNING: broken.example.org has MX records today that are not SES's (10 mx.other-provider.example)");
  });

  it('list, show and records print the domains and their records', async () => {
    const list = await postroom('domain', 'list');
    const show = await postroom('domain', 'show', 'right.example.org');
    const bind = await postroom('domain', 'records', 'right.example.org', '--bind');
    const json = JSON.parse((await postroom('domain', 'records', 'right.example.org', '--json')).stdout);

    expect(list.stdout.split('\n').map((l) => l.split(/\s{2,}/).slice(0, 6))).toEqual([
      ['NAME', 'OWNER', 'IDENTITY', 'DKIM', 'MAIL FROM', 'DNS'],
      ['broken.example.org', 'api', '-', '-', '-', '-'],
      ['right.example.org', 'api', '-', '-', '-', '-'],
      [''],
    ]);
    expect(show.stdout).toContain('Domain right.example.org (added through the API)\n  MAIL FROM:  bounce.right.example.org\n  Records:    published by hand');
    expect(show.stdout).toContain('SES now:    identity pending, DKIM pending, MAIL FROM pending');
    expect(bind).toMatchObject({ code: 0 });
    expect(bind.stdout).toContain('right.example.org.                      300 IN MX    10 inbound-smtp.eu-west-1.amazonaws.com.');
    expect(json.records).toHaveLength(8);
    // With --json the refusal is JSON too (program.ts).
    expect(JSON.parse((await postroom('domain', 'records', 'right.example.org', '--json', '--bind')).stderr)).toEqual({ error: { reason: 'cli.failed', message: 'use one of --json or --bind' } });
  });

  it('check --dns resolves here: every record right exits 0', async () => {
    const run = await postroom('domain', 'check', 'right.example.org', '--dns', dns.server);

    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^DNS of right\.example\.org: every required record is right\n/);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('ok ')).length).toBe(8);
    expect(run.stdout).toContain('SES: identity pending, DKIM pending, MAIL FROM pending; may not send yet');
    // The same sentences as the API's check: unsigned mail while DKIM is pending (seed 003).
    expect(run.stdout).toContain('- DKIM is pending: mail goes out without a DKIM signature');
    expect(dns.queries).toContain('CNAME righttok1._domainkey.right.example.org');
  });

  it('check --dns reports missing, wrong and conflicting records and exits 1', async () => {
    const run = await postroom('domain', 'check', 'broken.example.org', '--dns', dns.server);

    expect(run.code).toBe(1);
    const states = Object.fromEntries(
      run.stdout
        .split('\n')
        .filter((l) => /^[a-z-]+ +(CNAME|MX|TXT) /.test(l))
        .map((l) => l.split(/ +/))
        .map(([state, type, name]) => [`${type} ${name}`, state]),
    );
    expect(states).toMatchObject({
      'CNAME brokentok1._domainkey.broken.example.org': 'missing',
      'CNAME brokentok2._domainkey.broken.example.org': 'wrong-value',
      'CNAME brokentok3._domainkey.broken.example.org': 'conflicting',
      'MX broken.example.org': 'wrong-value',
      'MX bounce.broken.example.org': 'missing',
      'TXT broken.example.org': 'conflicting',
    });
    expect(run.stderr).toBe('postroom: domain broken.example.org needs action: see the records and SES status above\n');
  });

  it('check without --dns asks the API, which stores the status that list then shows', async () => {
    const run = await postroom('domain', 'check', 'right.example.org');
    const list = await postroom('domain', 'list');

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('- DKIM is pending: mail goes out without a DKIM signature until SES finds the three CNAMEs.');
    expect(list.stdout).toMatch(/right\.example\.org +api +pending +pending +pending +ok +2026-/);
  });

  it('remove, and the errors of a bad name, the limit and an unknown domain in one line', async () => {
    const bad = await postroom('domain', 'add', 'not_a_domain', '--dns', dns.server);
    const limit = await postroom('domain', 'add', 'third.example.org', '--dns', dns.server);

    expect(bad.stderr).toBe('postroom: API error 400 validation: the request is invalid (name: not a valid domain name: "not_a_domain")\n');
    expect(limit.stderr).toMatch(/^postroom: API error 400 validation: the request is invalid \(name: the domain limit is reached: at most 2 domains are allowed, .*postroom:maxDomains \(deployed\) or --max-domains \(local runtime\)\)\n$/);
    expect((await postroom('domain', 'remove', 'broken.example.org')).stdout).toBe('Removed broken.example.org.\n');
    expect(ses.identities.has('broken.example.org')).toBe(false);
    expect((await postroom('domain', 'show', 'broken.example.org')).stderr).toBe('postroom: API error 404 not-found: no such domain: domain broken.example.org not found\n');
  });
});
