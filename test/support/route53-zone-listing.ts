/**
 * ListHostedZonesByName as Route 53 answers it, for tests of code that searches hosted zones:
 * zones sorted by their name with the labels reversed (`com.example.support`), then by id; a page
 * starts at the first zone at or after `DNSName` (and `HostedZoneId`), and `Next…` name the first
 * zone of the next page.
 */
import type { HostedZone, ListHostedZonesByNameRequest, ListHostedZonesByNameResponse } from '@aws-sdk/client-route-53';

export interface FakeZone {
  readonly id: string;
  readonly name: string;
  readonly private?: boolean;
}

const reversed = (name: string) => name.toLowerCase().replace(/\.$/, '').split('.').reverse().join('.');

/** A `callsFake` implementation listing `zones`. */
export function fakeZoneListing(zones: readonly FakeZone[]): (input: ListHostedZonesByNameRequest) => ListHostedZonesByNameResponse {
  const sorted: HostedZone[] = zones
    .map((z) => ({ Id: `/hostedzone/${z.id}`, Name: z.name, CallerReference: z.id, Config: { PrivateZone: z.private ?? false } }))
    .sort((a, b) => reversed(a.Name).localeCompare(reversed(b.Name), 'en') || (a.Id < b.Id ? -1 : 1));
  return (input) => {
    const max = input.MaxItems ?? 100;
    const from = input.DNSName === undefined ? '' : reversed(input.DNSName);
    let start = sorted.findIndex((z) => {
      const name = reversed(z.Name!);
      return name > from || (name === from && (input.HostedZoneId === undefined || z.Id! >= input.HostedZoneId));
    });
    if (start < 0) start = sorted.length;
    const next = sorted[start + max];
    return {
      HostedZones: sorted.slice(start, start + max),
      IsTruncated: next !== undefined,
      NextDNSName: next?.Name,
      NextHostedZoneId: next?.Id,
      MaxItems: max,
    };
  };
}
