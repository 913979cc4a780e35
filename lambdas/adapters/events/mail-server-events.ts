/**
 * {@link MailServerEventSink} on EventBridge: one `PutEvents` entry per event, source `postroom`,
 * detail-type `Mail Server Failing`, `Mail Server Needs Reauth` or `Mail Server Recovered`. The
 * detail names the server (id, name, type, host) and the reason in words; never a secret.
 */
import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { MailServerEvent, MailServerEventSink } from '../../core/mailboxes/poll-health.ts';
import { EVENT_SOURCE, putEventEntries } from './put-events.ts';

/** The detail-type of each kind of mail server event. */
export const MAIL_SERVER_DETAIL_TYPES = {
  failing: 'Mail Server Failing',
  'needs-reauth': 'Mail Server Needs Reauth',
  recovered: 'Mail Server Recovered',
} as const satisfies Record<MailServerEvent['kind'], string>;

export class EventBridgeMailServerEvents implements MailServerEventSink {
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
  async publish(events: readonly MailServerEvent[]): Promise<void> {
    await putEventEntries(this.events, this.eventBusName, events.map((e) => this.entryOf(e)), 'mail server');
  }

  private entryOf(event: MailServerEvent): PutEventsRequestEntry {
    const { kind, ...detail } = event;
    return {
      Source: EVENT_SOURCE,
      DetailType: MAIL_SERVER_DETAIL_TYPES[kind],
      EventBusName: this.eventBusName,
      Time: new Date(event.at),
      Resources: [],
      Detail: JSON.stringify(detail),
    };
  }
}
