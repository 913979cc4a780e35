/**
 * {@link MailServerEventSink} on EventBridge: one `PutEvents` entry per event, source `postroom`,
 * detail-type `Mail Server Failing`, `Mail Server Needs Reauth` or `Mail Server Recovered`. The
 * detail names the server (id, name, type, host) and the reason in words; never a secret.
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { TransientError } from '../../core/errors.ts';
import type { MailServerEvent, MailServerEventSink } from '../../core/mailboxes/poll-health.ts';
import { sdkError } from '../aws/sdk-errors.ts';
import { EVENT_SOURCE, MAX_PUT_EVENTS_ENTRIES } from './domain-events.ts';

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

  /** Sends `events` in calls of 10; entries refused twice make it throw TransientError `events-unavailable`. */
  async publish(events: readonly MailServerEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_PUT_EVENTS_ENTRIES) {
      let entries = events.slice(i, i + MAX_PUT_EVENTS_ENTRIES).map((e) => this.entryOf(e));
      for (let attempt = 0; attempt < 2 && entries.length > 0; attempt += 1) entries = await this.put(entries);
      if (entries.length > 0) {
        throw new TransientError('events-unavailable', `EventBridge refused ${entries.length} mail server event(s): ${entries.map((e) => e.DetailType).join(', ')}`);
      }
    }
  }

  private async put(entries: PutEventsRequestEntry[]): Promise<PutEventsRequestEntry[]> {
    try {
      const out = await this.events.send(new PutEventsCommand({ Entries: entries }));
      if (!out.FailedEntryCount) return [];
      return entries.filter((_, i) => out.Entries?.[i]?.ErrorCode !== undefined);
    } catch (err) {
      throw sdkError(err, 'events', `EventBridge PutEvents to ${this.eventBusName}`);
    }
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
