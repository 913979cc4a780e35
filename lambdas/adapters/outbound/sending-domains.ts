/**
 * Whether SES may send from a domain (issue 11 item 3), as the domains issue records it: the
 * `DOMAIN#<name>` record's `status.verifiedForSending`, written by the domain check. Read through
 * the domain store and cached briefly per container, so a burst of sends costs one read per
 * domain and interval, and a domain verified a minute ago is used within that interval.
 */
import type { DomainStore } from '../../core/domains/domain.ts';
import type { SendingDomainCheck } from '../../core/outbound/outbound-ports.ts';

/** How long one answer is used: short, since an unverified answer sends through SMTP or fails with no route. */
export const SENDING_DOMAIN_CACHE_MS = 60_000;

/**
 * {@link SendingDomainCheck} over the domain store. A subdomain of a verified domain counts as
 * verified (SES sends from subdomains of a verified domain identity), unless it is a served
 * domain of its own that is not verified yet.
 */
export class CachedSendingDomains implements SendingDomainCheck {
  private readonly cache = new Map<string, { readonly verified: boolean | undefined; readonly at: number }>();

  /**
   * @param clock milliseconds since the epoch. @default Date.now
   * @param ttlMs @default SENDING_DOMAIN_CACHE_MS
   */
  constructor(
    private readonly domains: Pick<DomainStore, 'get'>,
    private readonly clock: () => number = Date.now,
    private readonly ttlMs = SENDING_DOMAIN_CACHE_MS,
  ) {}

  /** True when `domain` (or the nearest stored parent) is verified for sending; a read failure throws (retried), never "no". */
  async isVerifiedForSending(domain: string): Promise<boolean> {
    const labels = domain.toLowerCase().replace(/\.$/, '').split('.');
    // The nearest stored domain decides: sub.example.com's own record, else example.com's.
    for (let i = 0; i < labels.length - 1; i++) {
      const verified = await this.stored(labels.slice(i).join('.'));
      if (verified !== undefined) return verified;
    }
    return false;
  }

  /** The stored domain's answer; undefined when no such domain is stored. */
  private async stored(name: string): Promise<boolean | undefined> {
    const now = this.clock();
    const hit = this.cache.get(name);
    if (hit && now - hit.at < this.ttlMs) return hit.verified;
    const domain = await this.domains.get(name);
    const verified = domain ? domain.status?.verifiedForSending === true : undefined;
    this.cache.set(name, { verified, at: now });
    return verified;
  }
}
