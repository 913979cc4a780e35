/**
 * A served e-mail domain as data (issue 9 item 1): the config-table record the API, the CLI, the
 * deploy-time declaration, routing and the scheduled check share, and the ports around it.
 *
 * Ownership rule (README "Domains are data"): every domain has one owner. `stack` domains are
 * declared in the CDK app (`postroom:domains`) and created by the deploy through the same service
 * the API uses; `api` domains are added by an admin. Each side adds, changes and removes only its
 * own; a deploy acts only on the difference between the previous and the new declaration, so it
 * never undoes what an admin did at runtime.
 */
import type { DnsRecord, SesIdentityStatus, VerificationState } from './model.ts';
import type { RecordCheckState } from './record-check.ts';

/** Who created a domain and therefore may change or remove it. */
export type DomainOwner = 'stack' | 'api';

/** The outcome of one record of the plan at the last check. */
export interface StoredRecordCheck {
  readonly name: string;
  readonly type: DnsRecord['type'];
  readonly purpose: DnsRecord['purpose'];
  readonly state: RecordCheckState;
  readonly optional?: boolean;
}

/** What the last check (scheduled, `domain check`, or the one right after `add`) found. */
export interface DomainStatus {
  /** ISO time of the check. */
  readonly checkedAt: string;
  /** SES's own view: identity, DKIM and MAIL FROM states, and whether SES may send from the domain. */
  readonly identity: VerificationState;
  readonly dkim: VerificationState;
  readonly mailFrom: VerificationState;
  readonly verifiedForSending: boolean;
  /** The DNS records compared with the plan; `unknown` when DNS could not be read. */
  readonly dns: 'ok' | 'action-needed' | 'unknown';
  readonly records: readonly StoredRecordCheck[];
  /** ISO time SES first reported the domain verified for sending (kept across later checks). */
  readonly verifiedAt?: string;
}

/** One served domain, as the config table stores it (`DOM#<name>`). */
export interface Domain {
  /** Lower-case, no trailing dot; the key. */
  readonly name: string;
  /** A subdomain of `name`; default `bounce.<name>`. */
  readonly mailFromDomain: string;
  /** The Route 53 hosted zone the records were published to (given, or found by name); absent when they are printed for another DNS host. */
  readonly hostedZoneId?: string;
  readonly owner: DomainOwner;
  /** `created` when Postroom created the SES identity (removal deletes it); `adopted` when it existed (removal leaves it). */
  readonly sesIdentity: 'created' | 'adopted';
  /** The three Easy DKIM tokens SES gave the identity. */
  readonly dkimTokens: readonly string[];
  /** The records Postroom wrote to `hostedZoneId`, exactly, so removal deletes these and nothing else. */
  readonly publishedRecords: readonly DnsRecord[];
  /**
   * The SPF record the domain published before Postroom merged its mechanisms into it (when the
   * records went to Route 53): removal puts it back instead of deleting the domain's SPF.
   */
  readonly previousSpf?: string;
  /** Where DMARC aggregate reports go, for the suggested DMARC record. */
  readonly dmarcReportAddress?: string;
  readonly status?: DomainStatus;
  /**
   * Set while `add` has not finished (the item is written before SES and Route 53 are asked, so a
   * crash leaves a record of what may exist). A retry of the add completes it; removal undoes what
   * the record names. Absent once the domain is set up.
   */
  readonly provisioning?: true;
  /**
   * The status the scheduled check last stored and announced (events, metrics). Transitions are
   * computed from it, not from `status`: a manual `domain check` stores `status` too but announces
   * nothing, and must not swallow the transition the next scheduled run announces.
   */
  readonly announcedStatus?: DomainStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The config table's domains; conditional writes, like the other config stores. */
export interface DomainStore {
  get(name: string): Promise<Domain | undefined>;
  /** Every domain, by name. */
  list(): Promise<Domain[]>;
  /** `exists` when a domain of that name is stored already. */
  create(domain: Domain): Promise<'created' | 'exists'>;
  /** Replaces the domain if it is still at `expectedUpdatedAt`. */
  update(domain: Domain, expectedUpdatedAt: string): Promise<'updated' | 'missing' | 'conflict'>;
  /** False when it was not there. */
  delete(name: string): Promise<boolean>;
}

/**
 * The served domain names, as routing and the receivers read them: from the domain store, cached
 * for the config cache window, so a domain added through the API receives mail without a redeploy.
 */
export interface ServedDomains {
  /** Lower-case names. */
  list(): Promise<readonly string[]>;
  /**
   * True when `name` is served; a name missing from the cached list may make the implementation
   * read the store again (bounded), so a just-added domain is served within seconds.
   */
  has(name: string): Promise<boolean>;
}

/**
 * Where the receiving side learns which domains to accept: the SES receipt rule's recipient list
 * (deployed; CloudFormation owns the rule's shape, the domain registry owns its recipients), or
 * nothing to do locally (the local receiver reads {@link ServedDomains}). `sync` sets the list to
 * exactly `domains`; with none, the rule is disabled rather than left to match every recipient.
 */
export interface ReceiptRecipientsPort {
  sync(domains: readonly string[]): Promise<void>;
}

/** The facts of a status that the domain's verification depends on, for display. */
export function sesStatusOf(status: SesIdentityStatus): Pick<DomainStatus, 'identity' | 'dkim' | 'mailFrom' | 'verifiedForSending'> {
  return { identity: status.identity, dkim: status.dkim, mailFrom: status.mailFrom, verifiedForSending: status.verifiedForSending };
}
