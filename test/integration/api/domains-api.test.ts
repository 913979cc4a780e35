/**
 * The domain routes of the HTTP API over DynamoDB Local, with the real SES v2 and Route 53
 * adapters on mocked clients and DNS read from a test server on loopback: add publishes to the
 * zone found by name and keeps its other records, field errors, the limit, show, records (SPF
 * merged), check (stored), ownership, and removal of exactly what was created.
 */
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createDnsLookup } from '../../../lambdas/adapters/dns/dns-lookup.ts';
import { DynamoDomainStore } from '../../../lambdas/adapters/dynamodb/domain-store.ts';
import { Route53DnsPublisher } from '../../../lambdas/adapters/route53/dns-publisher.ts';
import { SesV2IdentityAdapter } from '../../../lambdas/adapters/ses/ses-identity.ts';
import type { RunningService } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { dynamoApiApp } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';
import { fakeRoute53, fakeSes } from '../../support/aws-domain-mocks.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import { storedDomain } from '../dynamodb/domain-store-suite.ts';

const GOOGLE_SPF = 'v=spf1 include:_spf.google.com ~all';
const zoneBefore = (): ResourceRecordSet[] => [
  { Name: 'example.com.', Type: 'NS', TTL: 172800, ResourceRecords: [{ Value: 'ns-1.awsdns-01.org.' }] },
  { Name: 'www.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.10' }] },
  { Name: 'example.com.', Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"google-site-verification=abc"' }, { Value: `"${GOOGLE_SPF}"` }] },
  { Name: '_dmarc.example.com.', Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"v=DMARC1; p=reject"' }] },
];

describe('domain routes on DynamoDB Local', () => {
  let service: RunningService;
  let tables: Tables;
  let dns: TestDnsServer;
  let app: Hono;
  const ses = fakeSes();
  const route53 = fakeRoute53([{ id: 'ZEXAMPLE', name: 'example.com.', sets: zoneBefore() }]);
  const call = apiCaller(() => app);

  beforeAll(async () => {
    service = await startDynamoDbLocal();
    tables = await createTables(service.endpoint, 'domains-api');
    dns = await startTestDns({
      'example.com': ['google-site-verification=abc', GOOGLE_SPF],
      '_spf.google.com': ['v=spf1 ip4:192.0.2.0/24 ~all'],
      'amazonses.com': ['v=spf1 ip4:199.255.192.0/22 ~all'],
    });
    app = dynamoApiApp(tables, {
      domains: ['example.com'],
      registry: {
        ses: new SesV2IdentityAdapter(ses.client),
        publisher: new Route53DnsPublisher(route53.client),
        lookup: createDnsLookup({ servers: [dns.server] }),
        region: 'eu-west-1',
        maxDomains: 2,
        configurationSetName: 'postroom-cs',
      },
    });
  });
  afterAll(async () => {
    await dns?.stop();
    tables?.destroy();
    await service?.stop();
  });

  it('adds a domain: SES identity, records in the zone found by name (others kept, SPF merged), 201 with the plan', async () => {
    const res = await call('POST', '/domains', { name: 'Example.com', dmarcReportAddress: 'dmarc@example.com' });

    expect(res.status).toBe(201);
    expect(res.body.domain).toMatchObject({ name: 'example.com', owner: 'api', sesIdentity: 'created', hostedZoneId: 'ZEXAMPLE', dkimTokens: ['exampletok1', 'exampletok2', 'exampletok3'] });
    expect(res.body.plan.records.map((r: { purpose: string }) => r.purpose)).toEqual(['dkim', 'dkim', 'dkim', 'inbound-mx', 'mail-from-mx', 'mail-from-spf', 'spf', 'dmarc']);
    expect(ses.identities.get('example.com')).toMatchObject({ ConfigurationSetName: 'postroom-cs', MailFromAttributes: { MailFromDomain: 'bounce.example.com' } });
    expect(route53.snapshot('ZEXAMPLE')).toMatchObject({
      'A www.example.com.': ['192.0.2.10'],
      'CNAME exampletok1._domainkey.example.com.': ['exampletok1.dkim.amazonses.com.'],
      'MX example.com.': ['10 inbound-smtp.eu-west-1.amazonaws.com.'],
      'TXT example.com.': ['"google-site-verification=abc"', '"v=spf1 include:_spf.google.com include:amazonses.com ~all"'],
      'TXT _dmarc.example.com.': ['"v=DMARC1; p=reject"'],
    });
  });

  it('answers field errors, the limit and a duplicate like the other routes', async () => {
    const bad = await call('POST', '/domains', { name: 'not a domain', mailFromDomain: 'bounce.other.org', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string; code: string }) => [i.path, i.code])).toEqual([['extra', 'not-allowed']]);
    const rules = await call('POST', '/domains', { name: 'not a domain', mailFromDomain: 'bounce.other.org' });
    expect(rules.body.error.issues.map((i: { path: string; reason: string }) => [i.path, i.reason])).toEqual([
      ['name', 'domain.name-invalid'],
      ['mailFromDomain', 'domain.mail-from-not-subdomain'],
    ]);

    expect((await call('POST', '/domains', { name: 'b.example.org' })).status).toBe(201);
    const third = await call('POST', '/domains', { name: 'c.example.org' });
    expect(third.status).toBe(400);
    expect(third.body.error.issues[0]).toMatchObject({ path: 'name', reason: 'domain.limit-reached' });
    expect(third.body.error.issues[0].message).toContain('at most 2 domains are allowed, and 2 are served');
    const again = await call('POST', '/domains', { name: 'example.com' });
    expect([again.status, again.body.error.reason]).toEqual([409, 'domain.exists']);
    expect((await call('DELETE', '/domains/b.example.org')).status).toBe(204);
  });

  it('lists and shows a domain with the plan, SES now and what its status means', async () => {
    const list = await call('GET', '/domains');
    const shown = await call('GET', '/domains/example.com');

    expect(list.body.domains.map((d: { name: string }) => d.name)).toEqual(['example.com']);
    expect(shown.body.ses).toMatchObject({ identity: 'pending', dkim: 'pending' });
    expect(shown.body.plan.records).toHaveLength(8);
    expect(shown.body.summary).toEqual(['Not checked yet: run `postroom domain check`.']);
    expect((await call('GET', '/domains/nope.example.com')).body.error.reason).toBe('domain.not-found');
  });

  it('prints the records with the SPF merged with what the domain publishes', async () => {
    const res = await call('GET', '/domains/example.com/records');

    expect(res.body.plan.records.find((r: { purpose: string }) => r.purpose === 'spf').values).toEqual(['v=spf1 include:_spf.google.com include:amazonses.com ~all']);
  });

  it('checks now: each record with its state and detail, SES\'s view, and the status stored', async () => {
    const res = await call('POST', '/domains/example.com/check');

    expect(res.status).toBe(200);
    expect(res.body.verdict).toBe('action-needed');
    expect(res.body.records[0]).toMatchObject({ name: 'exampletok1._domainkey.example.com', type: 'CNAME', state: 'missing' });
    expect(res.body.records[0].detail).toEqual(expect.any(String));
    expect(res.body.ses).toMatchObject({ identity: 'pending' });
    const stored = await new DynamoDomainStore(tables.doc, tables.config).get('example.com');
    expect(stored?.status).toEqual(res.body.status);
  });

  it('refuses to remove a domain declared in the CDK app', async () => {
    const { hostedZoneId: _, ...declared } = storedDomain('declared.example.net', { owner: 'stack', publishedRecords: [] });
    await new DynamoDomainStore(tables.doc, tables.config).create(declared);

    const res = await call('DELETE', '/domains/declared.example.net');

    expect([res.status, res.body.error.reason]).toEqual([409, 'domain.owned-by-stack']);
    await new DynamoDomainStore(tables.doc, tables.config).delete('declared.example.net');
  });

  it('removes what it created and nothing else: the zone is as it was, the identity gone', async () => {
    const res = await call('DELETE', '/domains/example.com');

    expect(res.status).toBe(204);
    const before = fakeRoute53([{ id: 'Z', name: 'example.com.', sets: zoneBefore() }]).snapshot('Z');
    expect(route53.snapshot('ZEXAMPLE')).toEqual(before);
    expect(ses.identities.has('example.com')).toBe(false);
    expect((await call('DELETE', '/domains/example.com')).status).toBe(404);
  });
});
