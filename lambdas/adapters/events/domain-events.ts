/**
 * {@link DomainEventSink} on EventBridge: one `PutEvents` entry per event, source `postroom`,
 * detail-type `Domain Verified` or `Domain Record Drift`, so a rule can match either by name.
 */
import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { DomainEvent, DomainEventSink } from '../../core/domains/domain-events.ts';
import { EVENT_SOURCE, putEventEntries } from './put-events.ts';

export { EVENT_SOURCE, MAX_PUT_EVENTS_ENTRIES } from './put-events.ts';


/** The detail-type of each kind of domain event. */
export const DOMAIN_DETAIL_TYPES = { verified: 'Domain Verified', drift: 'Domain Record Drift' } as const satisfies Record<DomainEvent['kind'], string>;


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
    await putEventEntries(this.events, this.eventBusName, events.map((e) => this.entryOf(e)), 'domain');
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
