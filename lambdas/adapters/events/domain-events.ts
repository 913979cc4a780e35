/**
 * {@link DomainEventSink} on EventBridge: one `PutEvents` entry per event, source `postroom`,
 * detail-type `Domain Verified` or `Domain Record Drift`, so a rule can match either by name.
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { TransientError } from '../../core/errors.ts';
import type { DomainEvent, DomainEventSink } from '../../core/domains/domain-events.ts';
import { sdkError } from '../aws/sdk-errors.ts';

/** The `source` of every Postroom event. */
export const EVENT_SOURCE = 'postroom';

/** The detail-type of each kind of domain event. */
export const DOMAIN_DETAIL_TYPES = { verified: 'Domain Verified', drift: 'Domain Record Drift' } as const satisfies Record<DomainEvent['kind'], string>;

/** PutEvents takes at most 10 entries per call (EventBridge quotas). */
export const MAX_PUT_EVENTS_ENTRIES = 10;

export class EventBridgeDomainEvents implements DomainEventSink {
  /**
   * @param events the client
   * @param eventBusName the bus (EVENT_BUS_NAME); @default 'default'
   */
  constructor(
    private readonly events: EventBridgeClient,
    private readonly eventBusName = 'default',
  ) {}

  /**
   * Sends `events` in calls of 10. Entries EventBridge refused (FailedEntryCount) are sent once
   * more; any still refused make it throw TransientError `events-unavailable` naming them.
   */
  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_PUT_EVENTS_ENTRIES) {
      let entries = events.slice(i, i + MAX_PUT_EVENTS_ENTRIES).map((e) => this.entryOf(e));
      for (let attempt = 0; attempt < 2 && entries.length > 0; attempt += 1) entries = await this.put(entries);
      if (entries.length > 0) {
        throw new TransientError('events-unavailable', `EventBridge refused ${entries.length} domain event(s): ${entries.map((e) => e.DetailType).join(', ')}`);
      }
    }
  }

  /** The entries EventBridge did not accept. */
  private async put(entries: PutEventsRequestEntry[]): Promise<PutEventsRequestEntry[]> {
    try {
      const out = await this.events.send(new PutEventsCommand({ Entries: entries }));
      if (!out.FailedEntryCount) return [];
      return entries.filter((_, i) => out.Entries?.[i]?.ErrorCode !== undefined);
    } catch (err) {
      throw sdkError(err, 'events', `EventBridge PutEvents to ${this.eventBusName}`);
    }
  }

  private entryOf(event: DomainEvent): PutEventsRequestEntry {
    const { kind, ...detail } = event;
    return {
      Source: EVENT_SOURCE,
      DetailType: DOMAIN_DETAIL_TYPES[kind],
      EventBusName: this.eventBusName,
      Time: new Date(event.checkedAt),
      Resources: [],
      Detail: JSON.stringify(detail),
    };
  }
}
