/**
 * {@link DnsPublisherPort} on Route 53 (DOM-4): finds the public hosted zone that serves a domain,
 * and writes or removes a plan's records in one change batch, touching nothing else of the zone.
 *
 * Record sets Postroom owns outright (the DKIM CNAMEs, the MX records) are UPSERTed. A TXT set is
 * shared: the apex TXT of a domain holds its SPF beside other texts (google-site-verification, other
 * services' tokens), and an UPSERT replaces the whole set, so each TXT set is read first and merged
 * (record-sets.ts `mergeTxt`). Removal deletes a set only when it still holds exactly what Postroom
 * wrote, and takes only Postroom's texts out of a shared TXT set. Failures go through the shared
 * classifier as `dns-…` codes (throttling and PriorRequestNotComplete are transient).
 */
import {
  ChangeResourceRecordSetsCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  type Change,
  type HostedZone,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { PermanentError } from '../../core/errors.ts';
import type { DnsPublisherPort, DnsRecord } from '../../core/domains/model.ts';
import { sdkError } from '../aws/sdk-errors.ts';
import { fqdn, mergeTxt, planValue, plainName, recordSetOf, route53Value, sameValues, valuesOf } from './record-sets.ts';

/** ListHostedZonesByName's largest page (Route 53 caps MaxItems at 100): fewest calls for a busy account. */
const ZONE_PAGE_SIZE = 100;

/**
 * The fewest labels a zone name Postroom looks for has. Why not 1: a registry does not delegate a
 * top-level domain to a customer's hosted zone, so asking Route 53 for `com` only costs a call.
 */
const MIN_ZONE_LABELS = 2;

/** Route 53's zone ids come as `/hostedzone/Z123`; the CLI and the API speak the bare `Z123`. */
const ZONE_ID_PREFIX = '/hostedzone/';

export class Route53DnsPublisher implements DnsPublisherPort {
  constructor(private readonly route53: Route53Client) {}

  /**
   * The id (bare, `Z123…`) of the public hosted zone with the longest name that is `domain` or a
   * parent of it, or undefined when the account has none. Private zones are skipped (they do not
   * answer the internet). Two public zones of the same name are refused ({@link PermanentError}
   * `dns-zone-ambiguous`): only the registrar's delegation tells which one is live, so the admin
   * names it (`--hosted-zone`).
   */
  async findZone(domain: string): Promise<string | undefined> {
    const labels = plainName(domain).split('.');
    for (let i = 0; i <= labels.length - MIN_ZONE_LABELS; i++) {
      const name = labels.slice(i).join('.');
      const zones = await this.publicZonesNamed(name);
      if (zones.length > 1) {
        const ids = zones.map((z) => zoneIdOf(z.Id)).join(', ');
        throw new PermanentError('dns-zone-ambiguous', `Route 53 has ${zones.length} public hosted zones named ${name} (${ids}); name the one to use`);
      }
      if (zones.length === 1) return zoneIdOf(zones[0]!.Id);
    }
    return undefined;
  }

  /**
   * Writes the records in one change batch of UPSERTs, one per record set, so a re-run changes
   * nothing and a failure leaves the zone as it was. A TXT set keeps every text of a kind Postroom
   * does not write and has its SPF (or DMARC) text replaced. Nothing is sent for no records.
   */
  async upsert(zoneId: string, records: readonly DnsRecord[]): Promise<void> {
    const changes: Change[] = [];
    for (const record of records) {
      if (record.type !== 'TXT') {
        changes.push({ Action: 'UPSERT', ResourceRecordSet: recordSetOf(record) });
        continue;
      }
      const existing = await this.read(zoneId, record);
      const values = mergeTxt(existing ? valuesOf(existing) : [], record.values);
      changes.push({ Action: 'UPSERT', ResourceRecordSet: recordSetOf(record, values) });
    }
    await this.change(zoneId, changes, `upsert of ${records.length} e-mail domain records`);
  }

  /**
   * Deletes each record set that still holds exactly the record's values (as read, so its TTL and
   * spelling match what Route 53 requires of a DELETE); a set someone changed since is left alone.
   * From a TXT set only Postroom's texts are taken: the set is deleted when nothing else is left,
   * or rewritten with the other texts. One change batch; nothing is sent when nothing matches.
   * @returns the records taken out (whole, or Postroom's texts of a TXT set)
   */
  async remove(zoneId: string, records: readonly DnsRecord[]): Promise<readonly DnsRecord[]> {
    const changes: Change[] = [];
    const removed: DnsRecord[] = [];
    for (const record of records) {
      const existing = await this.read(zoneId, record);
      if (!existing) continue;
      const ours = record.values.map((v) => planValue(record.type, route53Value(record.type, v)));
      if (record.type !== 'TXT') {
        if (sameValues(valuesOf(existing), ours)) {
          changes.push({ Action: 'DELETE', ResourceRecordSet: existing });
          removed.push(record);
        }
        continue;
      }
      const all = existing.ResourceRecords ?? [];
      const rest = all.filter((r) => !ours.includes(planValue('TXT', r.Value ?? '')));
      if (rest.length === all.length) continue;
      removed.push(record);
      changes.push(
        rest.length === 0
          ? { Action: 'DELETE', ResourceRecordSet: existing }
          : { Action: 'UPSERT', ResourceRecordSet: { ...existing, ResourceRecords: rest } },
      );
    }
    await this.change(zoneId, changes, `removal of ${records.length} e-mail domain records`);
    return removed;
  }

  /** Public zones named exactly `name`, paging while a page holds nothing but zones of that name. */
  private async publicZonesNamed(name: string): Promise<HostedZone[]> {
    const found: HostedZone[] = [];
    let page: { DNSName?: string; HostedZoneId?: string } = { DNSName: fqdn(name) };
    for (;;) {
      const answer = await this.call('ListHostedZonesByName', name, () =>
        this.route53.send(new ListHostedZonesByNameCommand({ ...page, MaxItems: ZONE_PAGE_SIZE })),
      );
      const zones = answer.HostedZones ?? [];
      const named = zones.filter((z) => plainName(z.Name ?? '') === name);
      found.push(...named.filter((z) => z.Config?.PrivateZone !== true));
      // Zones come sorted by name from `name` on: once another name shows, no later page holds `name`.
      if (named.length < zones.length || !answer.IsTruncated || !answer.NextDNSName) return found;
      page = { DNSName: answer.NextDNSName, HostedZoneId: answer.NextHostedZoneId };
    }
  }

  /** The simple record set of the record's name and type, or undefined (none, or only weighted/latency sets). */
  private async read(zoneId: string, record: DnsRecord): Promise<ResourceRecordSet | undefined> {
    const answer = await this.call('ListResourceRecordSets', record.name, () =>
      this.route53.send(
        new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: fqdn(record.name), StartRecordType: record.type, MaxItems: 1 }),
      ),
    );
    // The listing starts at the name and type but goes on to the next set when there is none.
    const set = answer.ResourceRecordSets?.[0];
    const matches = set && plainName(set.Name ?? '') === plainName(record.name) && set.Type === record.type && set.SetIdentifier === undefined;
    return matches ? set : undefined;
  }

  private async change(zoneId: string, changes: Change[], what: string): Promise<void> {
    if (changes.length === 0) return;
    await this.call('ChangeResourceRecordSets', zoneId, () =>
      this.route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Comment: `Postroom: ${what}`, Changes: changes } })),
    );
  }

  private async call<T>(operation: string, subject: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      throw sdkError(err, 'dns', `Route 53 ${operation} ${subject}`);
    }
  }
}

function zoneIdOf(id: string | undefined): string {
  return (id ?? '').startsWith(ZONE_ID_PREFIX) ? id!.slice(ZONE_ID_PREFIX.length) : (id ?? '');
}
