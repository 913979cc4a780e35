/**
 * What the scheduled domain check announces (issue 9 item 5): a domain that became verified for
 * sending, and a required record that was right and now is not (drift). Decided from the stored
 * status and the new one only, so the same pair always gives the same events.
 */
import type { DomainStatus, StoredRecordCheck } from './domain.ts';
import type { RecordCheckState } from './record-check.ts';

/** Record states that mean DNS now says something else than the plan: a change someone made. */
const DRIFTED: ReadonlySet<RecordCheckState> = new Set(['missing', 'wrong-value', 'conflicting', 'over-lookup-limit']);

/** One announcement about one domain. */
export type DomainEvent =
  | { readonly kind: 'verified'; readonly domain: string; readonly checkedAt: string }
  | {
      readonly kind: 'drift';
      readonly domain: string;
      readonly checkedAt: string;
      readonly record: Pick<StoredRecordCheck, 'name' | 'type' | 'purpose'>;
      /** Always `ok`: only a record that was right can drift. */
      readonly was: 'ok';
      readonly now: RecordCheckState;
    };

/**
 * The events between `previous` (the stored status; undefined before the first check) and `next`:
 * `verified` when `verifiedForSending` turns true (also on a first check that finds it true);
 * `drift` for each required record (not `optional`, such as the suggested DMARC) that was `ok`
 * and is now missing, wrong, conflicting or over the SPF lookup limit. Not for `lookup-failed`:
 * that is DNS being unreadable, not a changed record. A record new to the plan cannot drift.
 */
export function domainEvents(previous: DomainStatus | undefined, next: DomainStatus, domain: string): DomainEvent[] {
  const events: DomainEvent[] = [];
  const { checkedAt } = next;
  if (next.verifiedForSending && !previous?.verifiedForSending) events.push({ kind: 'verified', domain, checkedAt });
  if (!previous) return events;
  const before = new Map(previous.records.map((r) => [keyOf(r), r.state]));
  for (const record of next.records) {
    if (record.optional || !DRIFTED.has(record.state) || before.get(keyOf(record)) !== 'ok') continue;
    events.push({ kind: 'drift', domain, checkedAt, record: { name: record.name, type: record.type, purpose: record.purpose }, was: 'ok', now: record.state });
  }
  return events;
}

/** A record's identity across checks: its name, type and purpose (the apex has SPF and, say, a TXT of its own). */
function keyOf(r: Pick<StoredRecordCheck, 'name' | 'type' | 'purpose'>): string {
  return `${r.name} ${r.type} ${r.purpose}`;
}

/** Where domain events go (EventBridge deployed). */
export interface DomainEventSink {
  publish(events: readonly DomainEvent[]): Promise<void>;
}
