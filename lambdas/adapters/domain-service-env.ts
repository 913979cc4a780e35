/**
 * The domain registry wired over AWS from the Lambda environment: one place for the admin API
 * Lambda (api-deps.ts) and the CDK-declared domains' custom resource (handlers/declared-domains.ts).
 * SES v2 and Route 53 clients are created once per container, and only where this is called: the
 * agent-facing API Lambda does not call it, so its bundle carries neither client.
 */
import { Route53Client } from '@aws-sdk/client-route-53';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DomainService } from '../core/domains/domain-service.ts';
import type { ReceiptRecipientsPort } from '../core/domains/domain.ts';
import { documentClient } from './aws-clients.ts';
import { createDnsLookup } from './dns/dns-lookup.ts';
import { DynamoAddressRouteStore } from './dynamodb/config-store.ts';
import { DynamoDomainStore } from './dynamodb/domain-store.ts';
import { domainRegistryEnv } from './env.ts';
import { Route53DnsPublisher } from './route53/dns-publisher.ts';
import { SesV2IdentityAdapter } from './ses/ses-identity.ts';

let ses: SESv2Client | undefined;
let route53: Route53Client | undefined;

/** What the caller adds to the environment's wiring. */
export interface DomainServiceOptions {
  /** The SES receipt rule's recipients (adapters/aws/ses-receipt-rule.ts). @default none: nothing synced */
  readonly recipients?: ReceiptRecipientsPort;
}

/**
 * The registry over the config table, SES v2, Route 53, the system's DNS resolvers and the
 * address routes (a domain with routes is not removed), from the environment (env.ts
 * domainRegistryEnv: CONFIG_TABLE, AWS_REGION, MAX_DOMAINS default 2, SES_CONFIGURATION_SET).
 * @throws Error naming the variable when the environment is incomplete
 */
export function domainServiceFromEnv(options: DomainServiceOptions = {}, source: NodeJS.ProcessEnv = process.env): DomainService {
  const env = domainRegistryEnv(source);
  ses ??= new SESv2Client({});
  route53 ??= new Route53Client({});
  const addresses = new DynamoAddressRouteStore(documentClient(), env.configTable);
  return new DomainService({
    store: new DynamoDomainStore(documentClient(), env.configTable),
    ses: new SesV2IdentityAdapter(ses),
    publisher: new Route53DnsPublisher(route53),
    lookup: createDnsLookup(),
    region: env.region,
    maxDomains: env.maxDomains,
    ...(env.configurationSetName !== undefined && { configurationSetName: env.configurationSetName }),
    now: () => new Date(),
    addressesOn: async (domain) => (await addresses.list()).map((r) => r.address).filter((a) => a.endsWith(`@${domain}`)),
    ...(options.recipients && { recipients: options.recipients }),
  });
}
