/**
 * SES v2 identities and Route 53 hosted zones behind aws-sdk-client-mock clients (no local server
 * exists for either), so the real adapters (SesV2IdentityAdapter, Route53DnsPublisher) run against
 * them in API and CLI tests. SES keeps identities as GetEmailIdentity answers them; Route 53 keeps
 * record sets per zone and applies change batches as Route 53 does (a DELETE must match exactly).
 */
import {
  ChangeResourceRecordSetsCommand,
  InvalidChangeBatch,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type Change,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import {
  AlreadyExistsException,
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  NotFoundException,
  PutEmailIdentityMailFromAttributesCommand,
  SESv2Client,
  type GetEmailIdentityResponse,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { fakeZoneListing, type FakeZone } from './route53-zone-listing.ts';

const $metadata = { $metadata: { httpStatusCode: 400 } };

/** The DKIM tokens the fake SES gives `domain`: DNS labels derived from its first label. */
export function fakeDkimTokens(domain: string): string[] {
  const label = domain.split('.')[0]!.replace(/[^a-z0-9]/g, '');
  return [1, 2, 3].map((i) => `${label}tok${i}`);
}

/** An SES v2 client whose identities live in `identities`; `verify(domain)` makes SES report success. */
export function fakeSes() {
  const client = new SESv2Client({ region: 'eu-west-1' });
  const mock = mockClient(client);
  const identities = new Map<string, GetEmailIdentityResponse>();
  const missing = (domain: string) => new NotFoundException({ message: `${domain} not found`, $metadata: { httpStatusCode: 404 } });
  mock.on(CreateEmailIdentityCommand).callsFake((input) => {
    if (identities.has(input.EmailIdentity)) throw new AlreadyExistsException({ message: 'exists', ...$metadata });
    identities.set(input.EmailIdentity, {
      IdentityType: 'DOMAIN',
      VerificationStatus: 'PENDING',
      VerifiedForSendingStatus: false,
      ConfigurationSetName: input.ConfigurationSetName,
      DkimAttributes: { SigningEnabled: true, Status: 'PENDING', Tokens: fakeDkimTokens(input.EmailIdentity), SigningAttributesOrigin: 'AWS_SES', NextSigningKeyLength: 'RSA_2048_BIT' },
    });
    return { IdentityType: 'DOMAIN', VerifiedForSendingStatus: false };
  });
  mock.on(GetEmailIdentityCommand).callsFake((input) => {
    const identity = identities.get(input.EmailIdentity);
    if (!identity) throw missing(input.EmailIdentity);
    return identity;
  });
  mock.on(PutEmailIdentityMailFromAttributesCommand).callsFake((input) => {
    const identity = identities.get(input.EmailIdentity);
    if (!identity) throw missing(input.EmailIdentity);
    identities.set(input.EmailIdentity, {
      ...identity,
      MailFromAttributes: { MailFromDomain: input.MailFromDomain, MailFromDomainStatus: 'PENDING', BehaviorOnMxFailure: input.BehaviorOnMxFailure },
    });
    return {};
  });
  mock.on(DeleteEmailIdentityCommand).callsFake((input) => {
    if (!identities.delete(input.EmailIdentity)) throw missing(input.EmailIdentity);
    return {};
  });
  const verify = (domain: string) => {
    const identity = identities.get(domain)!;
    identities.set(domain, {
      ...identity,
      VerificationStatus: 'SUCCESS',
      VerifiedForSendingStatus: true,
      DkimAttributes: { ...identity.DkimAttributes, Status: 'SUCCESS' },
      MailFromAttributes: { ...identity.MailFromAttributes!, MailFromDomainStatus: 'SUCCESS' },
    });
  };
  return { client, mock, identities, verify };
}

/** A Route 53 client over `zones`, each holding the record sets in `sets` (names fully qualified, with the dot). */
export function fakeRoute53(zones: ReadonlyArray<FakeZone & { sets?: ResourceRecordSet[] }>) {
  const client = new Route53Client({ region: 'us-east-1' });
  const mock = mockClient(client);
  const sets = new Map(zones.map((z) => [z.id, [...(z.sets ?? [])]]));
  mock.on(ListHostedZonesByNameCommand).callsFake(fakeZoneListing(zones));
  mock.on(ListResourceRecordSetsCommand).callsFake((input) => {
    const zone = sets.get(input.HostedZoneId)!;
    const at = zone.find((s) => s.Name === input.StartRecordName && s.Type === input.StartRecordType);
    // Route 53 goes on to the next set when there is none of that name and type.
    return { ResourceRecordSets: at ? [at] : zone.filter((s) => s.Name !== input.StartRecordName).slice(0, 1), IsTruncated: false, MaxItems: 1 };
  });
  mock.on(ChangeResourceRecordSetsCommand).callsFake((input) => {
    const zone = sets.get(input.HostedZoneId)!;
    for (const { Action, ResourceRecordSet: set } of input.ChangeBatch.Changes as Change[]) {
      const i = zone.findIndex((s) => s.Name === set!.Name && s.Type === set!.Type);
      if (Action === 'DELETE') {
        if (i < 0 || JSON.stringify(zone[i]) !== JSON.stringify(set)) throw new InvalidChangeBatch({ message: 'no such set', ...$metadata });
        zone.splice(i, 1);
      } else if (i < 0) zone.push(set!);
      else zone[i] = set!;
    }
    return { ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } };
  });
  /** The zone's sets as `"<TYPE> <name>"` -> values, sorted, for assertions. */
  const snapshot = (zoneId: string) =>
    Object.fromEntries(
      sets
        .get(zoneId)!
        .map((s) => [`${s.Type} ${s.Name}`, (s.ResourceRecords ?? []).map((r) => r.Value!).sort()] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  return { client, mock, sets, snapshot };
}
