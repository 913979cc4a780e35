/**
 * The deployment's settings the routing stage runs with: what the environment says (the default
 * queue), read once at cold start by the handler (validated there) and passed to core as a typed
 * value. Not the admin's stored routing rules (RoutingDeps.config), and not the served domains:
 * those are data (core/domains/domain.ts ServedDomains), so an added domain needs no redeploy.
 */
import type { ServedDomains } from './domains/domain.ts';

export interface DeploymentSettings {
  /** The queue every routable message waits in until address routes exist. */
  readonly defaultQueueId: string;
  /** Priority given to mail in the default queue. */
  readonly defaultPriority: number;
}

/** The domain of `address`, lower-case and without a trailing dot; undefined without an `@`. */
export function domainOfAddress(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  return address.slice(at + 1).toLowerCase().replace(/\.$/, '');
}

/**
 * True when `address` is on one of `domains`. Matching is exact, as an SES receipt rule's domain
 * recipient is: a subdomain is served only when it is listed itself.
 */
export function isServedAddress(address: string, domains: readonly string[]): boolean {
  const domain = domainOfAddress(address);
  return domain !== undefined && domains.includes(domain);
}

/**
 * The addresses of `addresses` on a served domain, in order. Each distinct domain is asked once;
 * `served` may read its store on a miss (a domain added a moment ago).
 */
export async function servedAddresses(addresses: readonly string[], served: ServedDomains): Promise<string[]> {
  const verdicts = new Map<string, Promise<boolean>>();
  const isServed = (domain: string) => {
    let verdict = verdicts.get(domain);
    if (!verdict) verdicts.set(domain, (verdict = served.has(domain)));
    return verdict;
  };
  const kept: string[] = [];
  for (const address of addresses) {
    const domain = domainOfAddress(address);
    if (domain !== undefined && (await isServed(domain))) kept.push(address);
  }
  return kept;
}
