/**
 * `Mail Server Secret Expiring` events (issue 10 item 3): an OAuth2 client secret that expires
 * within 14 days, or has expired, is announced on EventBridge at most once a day per server, so an
 * alerting rule reaches someone before polling stops. The day's marker (`expiryWarnedAt`) is kept
 * in the server's secret, the one per-server record this code owns; the event carries the server's
 * id, name and the expiry, never the secret.
 */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { TransientError } from '../../core/errors.ts';
import { parseMailServerSecret, serializeMailServerSecret } from '../../core/mailboxes/oauth2-settings.ts';
import { expiryEventDue, oauth2Warnings, type MailServerWarning } from '../../core/mailboxes/oauth2-warnings.ts';
import type { MailServer, SecretStore } from '../../core/mailboxes/server.ts';
import { sdkError } from '../aws/sdk-errors.ts';
import { EVENT_SOURCE, MAX_PUT_EVENTS_ENTRIES } from '../events/domain-events.ts';

/** The detail-type a rule matches. */
export const SECRET_EXPIRING_DETAIL_TYPE = 'Mail Server Secret Expiring';

/** The detail of one event. */
export interface SecretExpiringEvent {
  readonly serverId: string;
  readonly serverName: string;
  readonly kind: MailServerWarning['kind'];
  readonly expiresAt: string;
  readonly message: string;
}

/** Sends events; throws when they could not be sent (the markers are then not written, so the next run retries). */
export type SecretExpiringPublisher = (events: readonly SecretExpiringEvent[]) => Promise<void>;

/**
 * Emits one event per server whose client secret expires within 14 days or has expired and that
 * had none in the last 24 hours, then records the time in each such server's secret. Servers
 * without a secret reference are skipped (there is no client secret to expire). Meant for the
 * dispatcher: calling it every minute costs one secret read per warned server. `now` @default system clock.
 * @returns the events emitted
 */
export async function emitSecretExpiryWarnings(
  servers: readonly MailServer[],
  deps: { readonly secrets: SecretStore; readonly publish: SecretExpiringPublisher; readonly now?: () => Date },
): Promise<SecretExpiringEvent[]> {
  const now = (deps.now ?? (() => new Date()))();
  const due: { event: SecretExpiringEvent; ref: string }[] = [];
  for (const server of servers) {
    const [warning] = oauth2Warnings(server, now);
    if (!warning || !server.secretRef) continue;
    const secret = parseMailServerSecret(await deps.secrets.get(server.secretRef));
    if (!expiryEventDue(secret, now)) continue;
    due.push({ ref: server.secretRef, event: { serverId: server.id, serverName: server.name, kind: warning.kind, expiresAt: warning.expiresAt, message: warning.message } });
  }
  if (due.length === 0) return [];
  await deps.publish(due.map((d) => d.event));
  for (const { ref } of due) {
    // Re-read: a consent or a refresh may have written the secret since.
    const secret = parseMailServerSecret(await deps.secrets.get(ref));
    await deps.secrets.put(ref, serializeMailServerSecret({ ...secret, oauth2: { ...secret.oauth2, expiryWarnedAt: now.toISOString() } }));
  }
  return due.map((d) => d.event);
}

/**
 * A {@link SecretExpiringPublisher} on EventBridge: source `postroom`, detail-type
 * {@link SECRET_EXPIRING_DETAIL_TYPE}, calls of at most 10 entries. `eventBusName` @default 'default'.
 * @throws TransientError `events-unavailable` when EventBridge refused an entry
 */
export function eventBridgeSecretExpiringPublisher(events: EventBridgeClient, eventBusName = 'default'): SecretExpiringPublisher {
  return async (list) => {
    for (let i = 0; i < list.length; i += MAX_PUT_EVENTS_ENTRIES) {
      const Entries = list.slice(i, i + MAX_PUT_EVENTS_ENTRIES).map((e) => ({
        Source: EVENT_SOURCE,
        DetailType: SECRET_EXPIRING_DETAIL_TYPE,
        EventBusName: eventBusName,
        Resources: [],
        Detail: JSON.stringify(e),
      }));
      let out;
      try {
        out = await events.send(new PutEventsCommand({ Entries }));
      } catch (err) {
        throw sdkError(err, 'events', `EventBridge PutEvents to ${eventBusName}`);
      }
      if (out.FailedEntryCount) throw new TransientError('events-unavailable', `EventBridge refused ${out.FailedEntryCount} ${SECRET_EXPIRING_DETAIL_TYPE} event(s)`);
    }
  };
}
