/**
 * EventBridge `PutEvents` as every Postroom event sink sends it: calls of at most 10 entries;
 * entries EventBridge refused (FailedEntryCount) are sent once more, and any still refused make
 * it throw, naming them.
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { TransientError } from '../../core/errors.ts';
import { sdkError } from '../aws/sdk-errors.ts';

/** The `source` of every Postroom event. */
export const EVENT_SOURCE = 'postroom';

/** PutEvents takes at most 10 entries per call (EventBridge quotas). */
export const MAX_PUT_EVENTS_ENTRIES = 10;

/**
 * Sends `entries` to `eventBusName` in calls of {@link MAX_PUT_EVENTS_ENTRIES}.
 * @param what names the events in the error, e.g. "domain"
 * @throws TransientError `events-unavailable` when entries were refused twice
 */
export async function putEventEntries(events: EventBridgeClient, eventBusName: string, entries: readonly PutEventsRequestEntry[], what: string): Promise<void> {
  for (let i = 0; i < entries.length; i += MAX_PUT_EVENTS_ENTRIES) {
    let batch = entries.slice(i, i + MAX_PUT_EVENTS_ENTRIES);
    for (let attempt = 0; attempt < 2 && batch.length > 0; attempt += 1) batch = await refused(events, eventBusName, batch);
    if (batch.length > 0) {
      throw new TransientError('events-unavailable', `EventBridge refused ${batch.length} ${what} event(s): ${batch.map((e) => e.DetailType).join(', ')}`);
    }
  }
}

/** The entries of one call EventBridge did not accept. */
async function refused(events: EventBridgeClient, eventBusName: string, entries: PutEventsRequestEntry[]): Promise<PutEventsRequestEntry[]> {
  try {
    const out = await events.send(new PutEventsCommand({ Entries: entries }));
    if (!out.FailedEntryCount) return [];
    return entries.filter((_, i) => out.Entries?.[i]?.ErrorCode !== undefined);
  } catch (err) {
    throw sdkError(err, 'events', `EventBridge PutEvents to ${eventBusName}`);
  }
}
