/**
 * The domain registry of the local runtime (issue 9 item 7): the same DomainService the API Lambda
 * runs, over the local config table, with the SES identity stand-in (ses-identities.ts) in place
 * of SES v2 and the runtime's DNS servers (`dev --dns`) in place of the world's DNS. No Route 53:
 * records are printed (`postroom domain records`) for whatever DNS server `--dns` names.
 *
 * The runtime's `--domain` list is the local counterpart of the CDK app's declared domains: each
 * is added with owner `stack` at start (idempotent across restarts), and a stack domain no longer
 * in the list is removed, as a deploy removes a domain dropped from `postroom:domains`.
 */
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DOMAIN_LIMITS } from '../../contract/recipient-domains.ts';
import { createDnsLookup } from '../adapters/dns/dns-lookup.ts';
import { DynamoAddressRouteStore } from '../adapters/dynamodb/config-store.ts';
import { DynamoDomainStore } from '../adapters/dynamodb/domain-store.ts';
import { DomainService } from '../core/domains/domain-service.ts';
import { NotFoundError, ValidationError } from '../core/errors.ts';
import { startDomainCheckLoop, type DomainCheckLoop } from './domain-check-loop.ts';
import { LocalSesIdentities, SES_IDENTITIES_FILE } from './ses-identities.ts';

export interface LocalDomainsOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly configTable: string;
  readonly region: string;
  /** The runtime's `--domain` list, added with owner `stack`. */
  readonly declared: readonly string[];
  /** Where the SES identities persist. @default none: in memory (`--memory`) */
  readonly dataDir?: string;
  /** DNS servers (`ip` or `ip:port`) the stand-in and the checks read. @default the system's resolvers */
  readonly dnsServers?: readonly string[];
  /** @default DOMAIN_LIMITS.defaultMaxDomains (2) */
  readonly maxDomains?: number;
  /** How often the stored statuses are refreshed. @default LOCAL_DOMAIN_CHECK_INTERVAL_MS (60 s) */
  readonly checkIntervalMs?: number;
  readonly log: (line: string) => void;
}

export interface LocalDomains {
  readonly service: DomainService;
  readonly checks: DomainCheckLoop;
  stop(): Promise<void>;
}

/**
 * Opens the SES stand-in, applies the `--domain` declaration and starts the check loop. Rejects
 * when a declared domain cannot be added (an invalid name, more declared than `maxDomains`), as
 * synth refuses such a declaration.
 */
export async function startLocalDomains(o: LocalDomainsOptions): Promise<LocalDomains> {
  const lookup = createDnsLookup(o.dnsServers?.length ? { servers: o.dnsServers } : {});
  const ses = await LocalSesIdentities.open({ lookup, region: o.region, ...(o.dataDir && { file: join(o.dataDir, SES_IDENTITIES_FILE) }) });
  const store = new DynamoDomainStore(o.doc, o.configTable);
  const addresses = new DynamoAddressRouteStore(o.doc, o.configTable);
  const now = () => new Date();
  const service = new DomainService({
    store,
    ses,
    lookup,
    region: o.region,
    maxDomains: o.maxDomains ?? DOMAIN_LIMITS.defaultMaxDomains,
    now,
    addressesOn: async (domain) => (await addresses.list()).map((r) => r.address).filter((a) => a.endsWith(`@${domain}`)),
    // No publisher: there is no Route 53 locally. No recipients: there is no SES receipt rule; the
    // local SMTP receiver reads the served domains from the store itself.
  });
  await applyDeclared(service, o.declared, o.log);
  const max = o.maxDomains ?? DOMAIN_LIMITS.defaultMaxDomains;
  const served = await service.list();
  // Nothing stored is removed for a lower limit (its mail keeps arriving); only adding stops.
  if (served.length > max) o.log(`domains: ${served.length} domains are stored, more than --max-domains ${max} allows; none can be added until some are removed`);
  const checks = startDomainCheckLoop({
    registry: service,
    log: o.log,
    ...(o.checkIntervalMs !== undefined && { intervalMs: o.checkIntervalMs }),
  });
  return { service, checks, stop: () => checks.stop() };
}

/**
 * Removes the stack's domains that are no longer declared (first: that frees the domain limit),
 * then adds every declared one. A dropped domain that still has address routes is kept, with a
 * line saying why, rather than refuse to start.
 */
async function applyDeclared(service: DomainService, declared: readonly string[], log: (line: string) => void): Promise<void> {
  const names = new Set(declared.map((d) => d.trim().toLowerCase().replace(/\.$/, '')));
  for (const domain of await service.list()) {
    if (domain.owner !== 'stack' || names.has(domain.name)) continue;
    try {
      await service.remove(domain.name, 'stack');
      log(`domains: removed ${domain.name}, no longer in --domain`);
    } catch (err) {
      if (!(err instanceof NotFoundError)) log(`domains: kept ${domain.name}, no longer in --domain: ${(err as Error).message}`);
    }
  }
  for (const name of names) {
    await service.add({ name }, 'stack').catch((err: unknown) => {
      // A field error says "invalid request: name"; the fields say what is wrong, in the user's terms here.
      if (!(err instanceof ValidationError)) throw err;
      throw new Error(`--domain ${name}: ${Object.values(err.fields).join('; ')} (locally: --max-domains)`, { cause: err });
    });
  }
}
