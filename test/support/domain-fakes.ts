/**
 * In-memory stand-ins for the domain registry's ports (core/domains/model.ts, domain.ts), for
 * core unit tests and handler tests: a domain store with the same conditional writes as the
 * DynamoDB one, an SES that remembers identities, a DNS host of zones, and a DNS lookup of a map.
 */
import type { Domain, DomainStore, ReceiptRecipientsPort } from '../../lambdas/core/domains/domain.ts';
import type { DnsAnswer, DnsLookupPort, DnsPublisherPort, DnsRecord, DnsRecordType, SesIdentityPort, SesIdentityRequest, SesIdentityStatus } from '../../lambdas/core/domains/model.ts';

/** A {@link DomainStore} over a map; `crashAtUpdate = n` makes the n-th update from now throw (a crash). */
export class MemoryDomainStore implements DomainStore {
  readonly items = new Map<string, Domain>();
  crashAtUpdate = 0;
  async get(name: string) {
    return this.items.get(name);
  }
  async list() {
    return [...this.items.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  async create(domain: Domain) {
    if (this.items.has(domain.name)) return 'exists' as const;
    this.items.set(domain.name, domain);
    return 'created' as const;
  }
  async update(domain: Domain, expectedUpdatedAt: string) {
    if (this.crashAtUpdate > 0 && --this.crashAtUpdate === 0) throw new Error('crash');
    const current = this.items.get(domain.name);
    if (!current) return 'missing' as const;
    if (current.updatedAt !== expectedUpdatedAt) return 'conflict' as const;
    this.items.set(domain.name, domain);
    return 'updated' as const;
  }
  async delete(name: string) {
    return this.items.delete(name);
  }
}

/** An SES that remembers the identities it has, with tokens derived from the name. */
export class FakeSes implements SesIdentityPort {
  readonly identities = new Map<string, SesIdentityRequest>();
  verified = new Set<string>();
  async ensure(request: SesIdentityRequest) {
    const created = !this.identities.has(request.domain);
    this.identities.set(request.domain, request);
    return { status: this.statusOf(request.domain), created };
  }
  async status(domain: string) {
    return this.identities.has(domain) ? this.statusOf(domain) : undefined;
  }
  async remove(domain: string) {
    this.identities.delete(domain);
  }
  private statusOf(domain: string): SesIdentityStatus {
    const state = this.verified.has(domain) ? 'verified' : 'pending';
    const label = domain.split('.')[0]!.replace(/[^a-z0-9]/g, '');
    return {
      identity: state,
      dkim: state,
      mailFrom: state,
      dkimTokens: [1, 2, 3].map((i) => `${label}tok${i}`),
      mailFromDomain: this.identities.get(domain)?.mailFromDomain ?? `bounce.${domain}`,
      verifiedForSending: state === 'verified',
    };
  }
}

/** One record set of a fake zone: `"<TYPE> <name>"` -> values. */
export type ZoneSets = Map<string, string[]>;

/**
 * A DNS host of zones keyed by id, each a map of record sets. As Route 53 does for Postroom, an
 * upsert replaces CNAME and MX sets and takes only the SPF (or DMARC) text of a TXT set.
 */
export class FakeDnsHost implements DnsPublisherPort {
  readonly zones = new Map<string, { name: string; sets: ZoneSets }>();
  addZone(id: string, name: string, sets: Record<string, string[]> = {}): ZoneSets {
    const zone = { name, sets: new Map(Object.entries(sets)) };
    this.zones.set(id, zone);
    return zone.sets;
  }
  async findZone(domain: string) {
    const matches = [...this.zones].filter(([, z]) => domain === z.name || domain.endsWith(`.${z.name}`));
    return matches.sort(([, a], [, b]) => b.name.length - a.name.length)[0]?.[0];
  }
  async upsert(zoneId: string, records: readonly DnsRecord[]) {
    const sets = this.zones.get(zoneId)!.sets;
    for (const r of records) {
      const key = `${r.type} ${r.name}`;
      const kinds = new Set(r.values.map(kind));
      const kept = r.type === 'TXT' ? (sets.get(key) ?? []).filter((v) => !kinds.has(kind(v))) : [];
      sets.set(key, [...kept, ...r.values]);
    }
  }
  async remove(zoneId: string, records: readonly DnsRecord[]) {
    const sets = this.zones.get(zoneId)!.sets;
    const removed: DnsRecord[] = [];
    for (const r of records) {
      const key = `${r.type} ${r.name}`;
      const all = sets.get(key) ?? [];
      const rest = all.filter((v) => !r.values.includes(v));
      if (rest.length === all.length) continue;
      // Like Route 53's DELETE: a non-TXT set is taken out only while it holds exactly these values.
      if (r.type !== 'TXT' && rest.length) continue;
      removed.push(r);
      if (rest.length) sets.set(key, rest);
      else sets.delete(key);
    }
    return removed;
  }
}

function kind(text: string): string {
  return /^v=spf1\b/i.test(text) ? 'spf' : /^v=dmarc1\b/i.test(text) ? 'dmarc' : text;
}

/**
 * A lookup answering from maps of `"<TYPE> <name>"` -> values (the check's answer keys; a
 * {@link FakeDnsHost} zone is one), read at each lookup, the first map that has the key winning.
 */
export function mapLookup(...sources: ReadonlyArray<Record<string, readonly string[]> | Map<string, string[]>>): DnsLookupPort {
  const get = (key: string) => sources.map((s) => (s instanceof Map ? s.get(key) : s[key])).find((v) => v !== undefined);
  return {
    async lookup(name: string, type: DnsRecordType): Promise<DnsAnswer> {
      const values = get(`${type} ${name}`);
      return values?.length ? { kind: 'found', values } : { kind: 'none' };
    },
  };
}

/** Records every recipient list synced. */
export class RecordingRecipients implements ReceiptRecipientsPort {
  readonly synced: string[][] = [];
  async sync(domains: readonly string[]) {
    this.synced.push([...domains]);
  }
}
