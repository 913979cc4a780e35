/**
 * E-mail domains (SPEC DOM-1..7): the entities and the ports the domain features share. A domain
 * is data in the config table; for each, Postroom keeps an SES v2 identity (Easy DKIM, custom MAIL
 * FROM) and tells the admin the DNS records to publish (the record plan), checks them in DNS, and
 * stores the verification state SES reports. Nothing here performs I/O: adapters implement the ports.
 */

/** The record types a plan uses. */
export type DnsRecordType = 'CNAME' | 'MX' | 'TXT';

/** Why a record is in the plan; the check and the printed plan say it per record. */
export type DnsRecordPurpose = 'dkim' | 'inbound-mx' | 'mail-from-mx' | 'mail-from-spf' | 'spf' | 'dmarc';

/**
 * One DNS record of a plan, as it must be published. `values` hold one entry per resource record
 * (MX: `10 host.`-style `"<preference> <host>"`; TXT: the whole text, unsplit; CNAME: the target).
 * Names and hosts are fully qualified, lower-case, without the trailing dot.
 */
export interface DnsRecord {
  readonly name: string;
  readonly type: DnsRecordType;
  readonly values: readonly string[];
  /** Seconds. */
  readonly ttl: number;
  readonly purpose: DnsRecordPurpose;
  /** Set for records Postroom only suggests (DMARC): `check` reports them but does not require them. */
  readonly optional?: boolean;
}

/** Every record a domain needs, and what the admin must know about them. */
export interface DnsRecordPlan {
  readonly domain: string;
  readonly records: readonly DnsRecord[];
  /** Plain-language notes printed with the plan (e.g. that SES verifies through the DKIM CNAMEs, not a TXT). */
  readonly notes: readonly string[];
}

/** A verification state as SES v2 reports it, lower-case; `not-started` before SES looked. */
export type VerificationState = 'not-started' | 'pending' | 'verified' | 'failed' | 'temporary-failure';

/** What SES says about one domain identity. */
export interface SesIdentityStatus {
  /** The identity's own state (SES v2 `VerificationStatus`). */
  readonly identity: VerificationState;
  /** Easy DKIM's state (`DkimAttributes.Status`). Unverified DKIM does not stop mail: it goes out unsigned. */
  readonly dkim: VerificationState;
  /** The custom MAIL FROM domain's state (`MailFromAttributes.MailFromDomainStatus`). */
  readonly mailFrom: VerificationState;
  /** The three Easy DKIM tokens the DKIM CNAMEs are built from. */
  readonly dkimTokens: readonly string[];
  readonly mailFromDomain?: string;
  /** True when SES can send from the domain (`VerifiedForSendingStatus`). */
  readonly verifiedForSending: boolean;
}

/** What Postroom asks SES for, per domain (DOM-2). */
export interface SesIdentityRequest {
  readonly domain: string;
  /** @default `bounce.<domain>` */
  readonly mailFromDomain: string;
  /** Postroom's configuration set, which every identity is associated with. */
  readonly configurationSetName?: string;
}

/**
 * The SES v2 identity of a domain. `ensure` is idempotent (an identity that exists already is
 * brought to the requested settings and read back), `remove` deletes only the identity of that
 * domain and is a no-op when it is gone.
 */
export interface SesIdentityPort {
  /** `created` is false when the identity existed before (adopted): removing the domain then leaves it in SES. */
  ensure(request: SesIdentityRequest): Promise<{ readonly status: SesIdentityStatus; readonly created: boolean }>;
  status(domain: string): Promise<SesIdentityStatus | undefined>;
  remove(domain: string): Promise<void>;
}

/**
 * A DNS host Postroom may write to (Route 53). `upsert` writes exactly the plan's records
 * (idempotent, UPSERT) and never touches another record of the zone.
 */
export interface DnsPublisherPort {
  /** The hosted zone that serves `domain` (the longest matching zone name), or undefined. */
  findZone(domain: string): Promise<string | undefined>;
  upsert(zoneId: string, records: readonly DnsRecord[]): Promise<void>;
  /**
   * Deletes these records if they exist with exactly these values (what Postroom created), nothing
   * else; returns the records it found so and took out (a record someone changed since is kept).
   */
  remove(zoneId: string, records: readonly DnsRecord[]): Promise<readonly DnsRecord[]>;
}

/** What a DNS lookup found for one name and type. */
export type DnsAnswer =
  | { readonly kind: 'found'; readonly values: readonly string[] }
  | { readonly kind: 'none' } // NXDOMAIN or no data of this type
  | { readonly kind: 'error'; readonly message: string }; // SERVFAIL, timeout, refused

/** Reads DNS (the configured servers). TXT values come back with their strings joined. */
export interface DnsLookupPort {
  lookup(name: string, type: DnsRecordType): Promise<DnsAnswer>;
}
