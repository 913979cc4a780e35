/**
 * The Route 53 publisher against a mocked client backed by a small in-memory zone (no local server
 * exists for Route 53): the change batches it sends, what the zone holds afterwards (other records
 * kept, the apex TXT merged), removal of exactly what Postroom wrote, the zone search, and errors.
 */
import {
  ChangeResourceRecordSetsCommand,
  InvalidChangeBatch,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  PriorRequestNotComplete,
  Route53Client,
  ThrottlingException,
  type Change,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermanentError, TransientError } from '../../../../lambdas/core/errors.ts';
import type { DnsRecord } from '../../../../lambdas/core/domains/model.ts';
import { Route53DnsPublisher } from '../../../../lambdas/adapters/route53/dns-publisher.ts';
import { fakeZoneListing } from '../../../support/route53-zone-listing.ts';

const client = new Route53Client({ region: 'us-east-1' });
const route53 = mockClient(client);
const publisher = new Route53DnsPublisher(client);
const $metadata = { $metadata: { httpStatusCode: 400 } };

/** A hosted zone's record sets, changed by the batches sent, as Route 53 would (DELETE must match exactly). */
class FakeZone {
  constructor(public sets: ResourceRecordSet[]) {}
  list(name: string, type: string): ResourceRecordSet[] {
    const at = this.sets.find((s) => s.Name === name && s.Type === type);
    // Route 53 goes on to the next set when there is none of that name and type.
    return at ? [at] : this.sets.filter((s) => s.Name !== name).slice(0, 1);
  }
  apply(changes: readonly Change[]): void {
    for (const { Action, ResourceRecordSet: set } of changes) {
      const i = this.sets.findIndex((s) => s.Name === set!.Name && s.Type === set!.Type);
      if (Action === 'DELETE') {
        if (i < 0 || JSON.stringify(this.sets[i]) !== JSON.stringify(set)) throw new InvalidChangeBatch({ message: 'no such set', ...$metadata });
        this.sets.splice(i, 1);
      } else if (i < 0) this.sets.push(set!);
      else this.sets[i] = set!;
    }
  }
}

const txt = (name: string, ...values: string[]): ResourceRecordSet => ({ Name: name, Type: 'TXT', TTL: 300, ResourceRecords: values.map((Value) => ({ Value })) });
const googleVerification = '"google-site-verification=abc123"';
const others = (): ResourceRecordSet[] => [
  { Name: 'support.example.com.', Type: 'NS', TTL: 172800, ResourceRecords: [{ Value: 'ns-1.awsdns-01.org.' }] },
  { Name: 'www.support.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.10' }] },
  txt('_dmarc.support.example.com.', '"v=DMARC1; p=reject"'),
];

const spf = 'v=spf1 include:amazonses.com include:_spf.google.com ~all';
const plan: DnsRecord[] = [
  { name: 'tok1._domainkey.support.example.com', type: 'CNAME', values: ['tok1.dkim.amazonses.com'], ttl: 1800, purpose: 'dkim' },
  { name: 'support.example.com', type: 'MX', values: ['10 inbound-smtp.eu-west-1.amazonaws.com'], ttl: 300, purpose: 'inbound-mx' },
  { name: 'bounce.support.example.com', type: 'MX', values: ['10 feedback-smtp.eu-west-1.amazonses.com'], ttl: 300, purpose: 'mail-from-mx' },
  { name: 'bounce.support.example.com', type: 'TXT', values: ['v=spf1 include:amazonses.com ~all'], ttl: 300, purpose: 'mail-from-spf' },
  { name: 'support.example.com', type: 'TXT', values: [spf], ttl: 300, purpose: 'spf' },
];

let zone: FakeZone;
beforeEach(() => {
  zone = new FakeZone([...others(), txt('support.example.com.', googleVerification, '"v=spf1 include:_spf.google.com ~all"')]);
  route53.on(ListResourceRecordSetsCommand).callsFake((input: { StartRecordName: string; StartRecordType: string }) => ({
    ResourceRecordSets: zone.list(input.StartRecordName, input.StartRecordType),
    IsTruncated: false,
    MaxItems: 1,
  }));
  route53.on(ChangeResourceRecordSetsCommand).callsFake((input: { ChangeBatch: { Changes: Change[] } }) => {
    zone.apply(input.ChangeBatch.Changes);
    return { ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } };
  });
});
afterEach(() => route53.reset());

const batches = () => route53.commandCalls(ChangeResourceRecordSetsCommand).map((c) => c.args[0].input);

describe('Route53DnsPublisher.upsert', () => {
  it('sends one batch of UPSERTs for the plan’s sets only, merging the apex TXT, and keeps the zone’s other records', async () => {
    await publisher.upsert('Z1', plan);

    expect(batches()).toEqual([
      {
        HostedZoneId: 'Z1',
        ChangeBatch: {
          Comment: 'Postroom: upsert of 5 e-mail domain records',
          Changes: [
            { Action: 'UPSERT', ResourceRecordSet: { Name: 'tok1._domainkey.support.example.com.', Type: 'CNAME', TTL: 1800, ResourceRecords: [{ Value: 'tok1.dkim.amazonses.com.' }] } },
            { Action: 'UPSERT', ResourceRecordSet: { Name: 'support.example.com.', Type: 'MX', TTL: 300, ResourceRecords: [{ Value: '10 inbound-smtp.eu-west-1.amazonaws.com.' }] } },
            { Action: 'UPSERT', ResourceRecordSet: { Name: 'bounce.support.example.com.', Type: 'MX', TTL: 300, ResourceRecords: [{ Value: '10 feedback-smtp.eu-west-1.amazonses.com.' }] } },
            { Action: 'UPSERT', ResourceRecordSet: txt('bounce.support.example.com.', '"v=spf1 include:amazonses.com ~all"') },
            // The apex TXT keeps the site verification and has its SPF replaced, not added beside.
            { Action: 'UPSERT', ResourceRecordSet: txt('support.example.com.', googleVerification, `"${spf}"`) },
          ],
        },
      },
    ]);
    for (const other of others()) expect(zone.sets).toContainEqual(other);
  });

  it('is idempotent: a second run sends the same batch and leaves the zone as the first left it', async () => {
    await publisher.upsert('Z1', plan);
    const after = structuredClone(zone.sets);

    await publisher.upsert('Z1', plan);

    expect(batches()[1]).toEqual(batches()[0]);
    expect(zone.sets).toEqual(after);
  });

  it('splits a TXT text longer than 255 characters into quoted strings, escaping quotes', async () => {
    const long = `v=spf1 ${Array.from({ length: 30 }, (_, i) => `ip4:198.51.100.${i}`).join(' ')} "x" -all`;

    await publisher.upsert('Z1', [{ name: 'bounce.support.example.com', type: 'TXT', values: [long], ttl: 300, purpose: 'mail-from-spf' }]);

    const value = batches()[0]!.ChangeBatch!.Changes![0]!.ResourceRecordSet!.ResourceRecords![0]!.Value!;
    const strings = value.match(/"(?:[^"\\]|\\.)*"/g)!;
    const texts = strings.map((s) => s.slice(1, -1).replace(/\\(.)/g, '$1'));
    expect(texts.map((t) => t.length)).toEqual([255, 255, long.length - 510]);
    expect(texts.join('')).toBe(long);
    expect(strings.join(' ')).toBe(value);
    expect(value).toContain('\\"x\\"');
  });

  it('sends nothing for an empty plan', async () => {
    await publisher.upsert('Z1', []);
    expect(batches()).toEqual([]);
  });

  it.each([
    ['throttling', new ThrottlingException({ message: 'Rate exceeded', ...$metadata }), TransientError, 'dns-unavailable'],
    ['a change still in progress', new PriorRequestNotComplete({ message: 'busy', ...$metadata }), TransientError, 'dns-unavailable'],
    ['an invalid batch', new InvalidChangeBatch({ message: 'CNAME beside other data', ...$metadata }), PermanentError, 'dns-rejected'],
  ] as const)('turns %s into the class and code the caller acts on', async (_, thrown, expected, code) => {
    route53.on(ChangeResourceRecordSetsCommand).rejects(thrown);

    const err = await publisher.upsert('Z1', plan).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(expected);
    expect((err as TransientError).code).toBe(code);
  });
});

describe('Route53DnsPublisher.remove', () => {
  it('deletes what Postroom wrote and takes only the SPF text out of the shared apex TXT', async () => {
    await publisher.upsert('Z1', plan);

    await publisher.remove('Z1', plan);

    expect(batches()[1]!.ChangeBatch!.Changes!.map((c) => [c.Action, c.ResourceRecordSet!.Name, c.ResourceRecordSet!.Type])).toEqual([
      ['DELETE', 'tok1._domainkey.support.example.com.', 'CNAME'],
      ['DELETE', 'support.example.com.', 'MX'],
      ['DELETE', 'bounce.support.example.com.', 'MX'],
      ['DELETE', 'bounce.support.example.com.', 'TXT'],
      ['UPSERT', 'support.example.com.', 'TXT'],
    ]);
    expect(zone.sets).toEqual([...others(), txt('support.example.com.', googleVerification)]);
  });

  it('leaves a record set someone changed since, and sends nothing when nothing is Postroom’s', async () => {
    zone = new FakeZone([...others(), { Name: 'support.example.com.', Type: 'MX', TTL: 300, ResourceRecords: [{ Value: '5 mx.other-host.example.' }] }]);

    await publisher.remove('Z1', plan);

    expect(batches()).toEqual([]);
    expect(zone.sets).toHaveLength(others().length + 1);
  });

  it('matches values regardless of case and the trailing dot Route 53 adds', async () => {
    zone = new FakeZone([{ Name: 'tok1._domainkey.support.example.com.', Type: 'CNAME', TTL: 600, ResourceRecords: [{ Value: 'TOK1.dkim.amazonses.com.' }] }]);

    await publisher.remove('Z1', [plan[0]!]);

    expect(zone.sets).toEqual([]);
  });
});

describe('Route53DnsPublisher.findZone', () => {
  const zones = [
    { id: 'ZCOM', name: 'example.com.' },
    { id: 'ZSUB', name: 'support.example.com.' },
    { id: 'ZPRIVATE', name: 'eu.support.example.com.', private: true },
    { id: 'ZAMPLE', name: 'ample.com.' },
    { id: 'ZOTHER', name: 'other.org.' },
  ];

  it.each([
    ['support.example.com', 'ZSUB'],
    ['eu.support.example.com', 'ZSUB'], // the longer private zone is skipped
    ['mail.eu.support.example.com', 'ZSUB'],
    ['example.com', 'ZCOM'],
    ['sales.example.com', 'ZCOM'],
    ['Support.Example.com.', 'ZSUB'],
    ['sample.com', undefined], // ample.com is no parent of sample.com
    ['example.net', undefined],
  ])('finds the zone of %s: %s', async (domain, expected) => {
    route53.on(ListHostedZonesByNameCommand).callsFake(fakeZoneListing(zones));
    expect(await publisher.findZone(domain)).toBe(expected);
  });

  it('pages through many zones of one name to find the public one', async () => {
    const privates = Array.from({ length: 150 }, (_, i) => ({ id: `ZP${String(i).padStart(3, '0')}`, name: 'support.example.com.', private: true }));
    route53.on(ListHostedZonesByNameCommand).callsFake(fakeZoneListing([...privates, { id: 'ZZPUBLIC', name: 'support.example.com.' }, ...zones.slice(0, 1)]));

    expect(await publisher.findZone('support.example.com')).toBe('ZZPUBLIC');
    expect(route53.commandCalls(ListHostedZonesByNameCommand).map((c) => c.args[0].input.HostedZoneId)).toEqual([undefined, '/hostedzone/ZP100']);
  });

  it('refuses to guess between two public zones of the same name', async () => {
    route53.on(ListHostedZonesByNameCommand).callsFake(fakeZoneListing([...zones, { id: 'ZSUB2', name: 'support.example.com.' }]));

    const err = await publisher.findZone('support.example.com').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('dns-zone-ambiguous');
    expect((err as PermanentError).message).toContain('ZSUB, ZSUB2');
  });

  it('turns throttling into a TransientError', async () => {
    route53.on(ListHostedZonesByNameCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', ...$metadata }));

    await expect(publisher.findZone('support.example.com')).rejects.toBeInstanceOf(TransientError);
  });
});
