/**
 * The deployment's settings the routing stage runs with: what the environment says (served
 * domains, the default queue), read once at cold start by the handler (validated there) and passed
 * to core as a typed value. Not the admin's stored routing rules (RoutingDeps.config).
 */
export interface DeploymentSettings {
  /** Domains (and subdomains) this deployment receives mail for, lower-case. */
  readonly domains: readonly string[];
  /** The queue every routable message waits in until address routes exist. */
  readonly defaultQueueId: string;
  /** Priority given to mail in the default queue. */
  readonly defaultPriority: number;
}

/**
 * True when `address` is on one of `domains`. Matching is exact, as an SES receipt rule's domain
 * recipient is: a subdomain is served only when it is listed itself.
 */
export function isServedAddress(address: string, domains: readonly string[]): boolean {
  const at = address.lastIndexOf('@');
  if (at < 0) return false;
  const domain = address.slice(at + 1).toLowerCase().replace(/\.$/, '');
  return domains.includes(domain);
}
