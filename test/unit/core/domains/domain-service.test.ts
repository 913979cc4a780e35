/**
 * The domain registry over in-memory ports: the organisation's limit, who owns a domain, a crashed
 * add retried, removal of exactly what Postroom created, and a hosted zone's other records kept.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DomainService, type DomainServiceDeps } from '../../../../lambdas/core/domains/domain-service.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../../lambdas/core/errors.ts';
import { FakeDnsHost, FakeSes, MemoryDomainStore, RecordingRecipients, mapLookup, type ZoneSets } from '../../../support/domain-fakes.ts';

const GOOGLE_SPF = 'v=spf1 include:_spf.google.com ~all';
const unrelated = () => ({
  'A www.example.com': ['192.0.2.10'],
  'TXT example.com': ['google-site-verification=abc', GOOGLE_SPF],
  'TXT _dmarc.example.com': ['v=DMARC1; p=reject'],
});

let store: MemoryDomainStore;
let ses: FakeSes;
let dns: FakeDnsHost;
let zone: ZoneSets;
let recipients: RecordingRecipients;
let addresses: Record<string, string[]>;
let service: DomainService;
let clock: number;

function build(over: Partial<DomainServiceDeps> = {}): DomainService {
  return new DomainService({
    store,
    ses,
    publisher: dns,
    recipients,
    lookup: mapLookup(zone, { 'TXT _spf.google.com': ['v=spf1 ip4:192.0.2.0/24 ~all'], 'TXT amazonses.com': ['v=spf1 ip4:199.255.192.0/22 ~all'] }),
    region: 'eu-west-1',
    maxDomains: 2,
    configurationSetName: 'postroom-cs',
    now: () => new Date(Date.UTC(2026, 10, 26, 9, 0, clock++)),
    addressesOn: async (d) => addresses[d] ?? [],
    ...over,
  });
}

beforeEach(() => {
  store = new MemoryDomainStore();
  ses = new FakeSes();
  dns = new FakeDnsHost();
  zone = dns.addZone('Z1', 'example.com', unrelated());
  recipients = new RecordingRecipients();
  addresses = {};
  clock = 0;
  service = build();
});

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('DomainService.add', () => {
  it('creates the identity, publishes the plan but DMARC to the zone found by name, merging the published SPF, and syncs recipients', async () => {
    const { domain, plan } = await service.add({ name: 'Support.Example.com.' }, 'api');

    expect(domain).toMatchObject({ name: 'support.example.com', owner: 'api', sesIdentity: 'created', hostedZoneId: 'Z1', mailFromDomain: 'bounce.support.example.com' });
    expect(domain.provisioning).toBeUndefined();
    expect(ses.identities.get('support.example.com')).toEqual({ domain: 'support.example.com', mailFromDomain: 'bounce.support.example.com', configurationSetName: 'postroom-cs' });
    expect(domain.publishedRecords.map((r) => r.purpose)).toEqual(['dkim', 'dkim', 'dkim', 'inbound-mx', 'mail-from-mx', 'mail-from-spf', 'spf']);
    expect(zone.get('CNAME supporttok1._domainkey.support.example.com')).toEqual(['supporttok1.dkim.amazonses.com']);
    expect(zone.get('MX support.example.com')).toEqual(['10 inbound-smtp.eu-west-1.amazonaws.com']);
    expect(plan.records.find((r) => r.purpose === 'dmarc')?.optional).toBe(true);
    expect(recipients.synced).toEqual([['support.example.com']]);
    expect(await store.get('support.example.com')).toEqual(domain);
  });

  it('merges the SPF the domain publishes now into the one it publishes, keeping the zone\'s other texts', async () => {
    await service.add({ name: 'example.com' }, 'api');

    expect(zone.get('TXT example.com')).toEqual(['google-site-verification=abc', 'v=spf1 include:_spf.google.com include:amazonses.com ~all']);
    expect(zone.get('TXT _dmarc.example.com')).toEqual(['v=DMARC1; p=reject']);
    expect(zone.get('A www.example.com')).toEqual(['192.0.2.10']);
  });

  it('prints rather than publishes when no zone serves the domain', async () => {
    const { domain, plan } = await service.add({ name: 'mail.other.org' }, 'api');

    expect(domain.hostedZoneId).toBeUndefined();
    expect(domain.publishedRecords).toEqual([]);
    expect(plan.records).toHaveLength(8);
  });

  it(`refuses a third domain with a field error naming the deployment setting`, async () => {
    await service.add({ name: 'a.example.com' }, 'api');
    await service.add({ name: 'b.example.com' }, 'stack');

    const err = await failure(service.add({ name: 'c.example.com' }, 'api'));

    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fieldReasons).toEqual({ name: 'domain.limit-reached' });
    expect((err as ValidationError).fields['name']).toMatch(/at most 2 domains are allowed, and 2 are served .*postroom:maxDomains/);
    expect(await store.get('c.example.com')).toBeUndefined();
  });

  it('answers field errors for a bad name, MAIL FROM and report address before writing anything', async () => {
    const err = (await failure(service.add({ name: 'not a domain', mailFromDomain: 'bounce.elsewhere.org', dmarcReportAddress: 'x;y' }, 'api'))) as ValidationError;

    expect(err.fieldReasons).toMatchObject({ name: 'domain.name-invalid', dmarcReportAddress: 'address.malformed' });
    const other = (await failure(service.add({ name: 'ok.example.com', mailFromDomain: 'bounce.elsewhere.org' }, 'api'))) as ValidationError;
    expect(other.fieldReasons).toEqual({ mailFromDomain: 'domain.mail-from-not-subdomain' });
    expect([store.items.size, ses.identities.size]).toEqual([0, 0]);
  });

  it('keeps each side to its own domains', async () => {
    await service.add({ name: 'api.example.com' }, 'api');
    await service.add({ name: 'stack.example.com' }, 'stack');

    const again = await failure(service.add({ name: 'api.example.com' }, 'api'));
    const overStack = await failure(service.add({ name: 'stack.example.com' }, 'api'));
    const overApi = await failure(service.add({ name: 'api.example.com' }, 'stack'));

    expect([again, overStack, overApi].map((e) => [e instanceof ConflictError, (e as ConflictError).reason])).toEqual([
      [true, 'domain.exists'],
      [true, 'domain.owned-by-stack'],
      [true, 'domain.exists'],
    ]);
  });

  it('brings the stack\'s own domain to its new declaration, removing the records the old one published', async () => {
    await service.add({ name: 'stack.example.com' }, 'stack');

    const { domain } = await service.add({ name: 'stack.example.com', mailFromDomain: 'mail.stack.example.com' }, 'stack');

    expect(domain.mailFromDomain).toBe('mail.stack.example.com');
    expect(zone.get('MX mail.stack.example.com')).toEqual(['10 feedback-smtp.eu-west-1.amazonses.com']);
    expect(zone.has('MX bounce.stack.example.com')).toBe(false);
    expect(zone.has('TXT bounce.stack.example.com')).toBe(false);
    expect(domain.sesIdentity).toBe('created');
  });

  it('completes an add that crashed after SES created the identity, which stays Postroom\'s to remove', async () => {
    store.crashAtUpdate = 1;
    await expect(service.add({ name: 'crash.example.com' }, 'api')).rejects.toThrow('crash');
    expect(store.items.get('crash.example.com')).toMatchObject({ provisioning: true, sesIdentity: 'created' });

    const { domain } = await service.add({ name: 'crash.example.com' }, 'api');
    expect(domain).toMatchObject({ sesIdentity: 'created' });
    expect(domain.provisioning).toBeUndefined();

    await service.remove('crash.example.com', 'api');
    expect(ses.identities.has('crash.example.com')).toBe(false);
  });

  it('names every record it wrote before writing it: a crash after Route 53 leaves them to removal', async () => {
    const before = new Map(zone);
    store.crashAtUpdate = 2;
    await expect(service.add({ name: 'example.com' }, 'api')).rejects.toThrow('crash');
    expect(zone.get('MX example.com')).toEqual(['10 inbound-smtp.eu-west-1.amazonaws.com']);
    expect(store.items.get('example.com')).toMatchObject({ provisioning: true, hostedZoneId: 'Z1' });

    await service.remove('example.com', 'api');

    expect(new Map(zone)).toEqual(before);
    expect(ses.identities.size).toBe(0);
  });
});

describe('DomainService.remove', () => {
  it('removes its records, its identity and the item, puts the SPF back as it was, and leaves the rest of the zone', async () => {
    const other = dns.addZone('Z2', 'example.net', { 'MX example.net': ['10 mx.example.net'], 'TXT example.net': [GOOGLE_SPF] });
    const [before, otherBefore] = [new Map(zone), new Map(other)];
    await service.add({ name: 'example.com' }, 'api');

    expect(await service.remove('example.com', 'api')).toBe('removed');

    expect(new Map(zone)).toEqual(before);
    expect(new Map(other)).toEqual(otherBefore);
    expect(ses.identities.size).toBe(0);
    expect(store.items.size).toBe(0);
    expect(recipients.synced.at(-1)).toEqual([]);
  });

  it('leaves an SPF record someone edited after the add as it is, and still removes the rest', async () => {
    await service.add({ name: 'example.com' }, 'api');
    const spfKey = 'TXT example.com';
    const edited = (zone.get(spfKey) ?? []).map((v) => (/^v=spf1/.test(v) ? v.replace(' ~all', ' ip4:192.0.2.7 ~all') : v));
    expect(edited).not.toEqual(zone.get(spfKey));
    zone.set(spfKey, edited);

    await service.remove('example.com', 'api');

    expect(zone.get(spfKey)).toEqual(edited);
    expect(zone.get('MX example.com')).toBeUndefined();
    expect(ses.identities.size).toBe(0);
  });

  it('leaves an identity that existed before the add', async () => {
    await ses.ensure({ domain: 'old.example.com', mailFromDomain: 'bounce.old.example.com' });
    const { domain } = await service.add({ name: 'old.example.com' }, 'api');

    await service.remove('old.example.com', 'api');

    expect(domain.sesIdentity).toBe('adopted');
    expect(ses.identities.has('old.example.com')).toBe(true);
  });

  it('refuses while address routes are on the domain, and names them', async () => {
    await service.add({ name: 'busy.example.com' }, 'api');
    addresses['busy.example.com'] = ['help@busy.example.com'];

    const err = (await failure(service.remove('busy.example.com', 'api'))) as ConflictError;

    expect([err.reason, err.message]).toEqual(['domain.in-use', 'domain busy.example.com has address routes: help@busy.example.com; remove them first']);
  });

  it('keeps each side to its own: the stack keeps an admin\'s domain, an admin cannot remove a declared one', async () => {
    await service.add({ name: 'api.example.com' }, 'api');
    await service.add({ name: 'stack.example.com' }, 'stack');

    expect(await service.remove('api.example.com', 'stack')).toBe('kept');
    const err = (await failure(service.remove('stack.example.com', 'api'))) as ConflictError;

    expect(err.reason).toBe('domain.owned-by-stack');
    expect(err.message).toMatch(/remove it from postroom:domains and deploy/);
    expect([...store.items.keys()]).toEqual(['api.example.com', 'stack.example.com']);
    expect(await failure(service.remove('nope.example.com', 'api'))).toBeInstanceOf(NotFoundError);
  });
});

describe('DomainService.records and check', () => {
  it('prints the plan with the SPF merged with what the domain publishes now', async () => {
    const unpublished = build({ publisher: undefined });
    await unpublished.add({ name: 'example.com' }, 'api');

    const plan = await unpublished.records('example.com');

    expect(plan.records.find((r) => r.purpose === 'spf')?.values).toEqual(['v=spf1 include:_spf.google.com include:amazonses.com ~all']);
  });

  it('prints the plain plan, saying why, when the published SPF cannot be merged', async () => {
    await build({ publisher: undefined }).add({ name: 'twice.example.com' }, 'api');
    zone.set('TXT twice.example.com', [GOOGLE_SPF, 'v=spf1 -all']);

    const plan = await service.records('twice.example.com');

    expect(plan.records.find((r) => r.purpose === 'spf')?.values).toEqual(['v=spf1 include:amazonses.com ~all']);
    expect(plan.notes.at(-1)).toMatch(/^The SPF record twice\.example\.com publishes now is not merged into this plan: the domain publishes 2 SPF records/);
  });

  it('stores the status of a check, and retries once over a concurrent change', async () => {
    await service.add({ name: 'example.com' }, 'api');
    ses.verified.add('example.com');
    let raced = false;
    const racing = build({
      store: Object.assign(Object.create(store), {
        update: async (d: Parameters<MemoryDomainStore['update']>[0], expected: string) => {
          if (!raced) {
            raced = true;
            const current = store.items.get(d.name)!;
            store.items.set(d.name, { ...current, updatedAt: 'someone-else' });
            return 'conflict' as const;
          }
          return store.update(d, expected);
        },
      }),
    });

    const result = await racing.check('example.com');

    expect(result.status).toMatchObject({ identity: 'verified', dns: 'ok', verifiedForSending: true });
    expect(store.items.get('example.com')?.status).toEqual(result.status);
  });
});
