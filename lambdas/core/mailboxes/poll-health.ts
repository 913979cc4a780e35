/**
 * A server's health after a poll (issue 10 item 6, "never silent"; SPEC SRV-9): the state, the last
 * error in words, counts, the backoff after failures in a row, and stall detection (a server that
 * answers but yields nothing while mail waits). Each transition an operator must hear of gives one
 * event, exactly once: Failing, Needs Reauth, Recovered. Decided from the stored health and the
 * poll's result only, so the same pair always gives the same answer.
 */
import { MailConnectionError, type ConnectionFailureReason } from './connection.ts';
import { MAIL_SERVER_HEALTH_FIELDS, type MailServer, type MailServerHealth } from './server.ts';

/**
 * Failed polls in a row before a server counts as failing (event, alarm, backoff). Why 3: one or
 * two failures are the network's everyday blips (a reset connection, a server restart) and heal on
 * the next slot; three in a row (a minute for POP3, three for IMAP) is a problem someone must see.
 */
export const FAILING_THRESHOLD = 3;
/** The first backoff once failing: 2 minutes, so a server coming back is polled again soon. */
export const BACKOFF_BASE_MS = 2 * 60_000;
/**
 * The longest backoff: 30 minutes, so a server that recovers by itself (SRV-9: "it recovers when
 * the mailbox answers again") is fetched from within half an hour, while a dead host costs at most
 * two connection attempts an hour.
 */
export const BACKOFF_MAX_MS = 30 * 60_000;
/**
 * Minutes a server may answer without yielding a message while its backlog stays above 0 before
 * it is an error (`stalled`). Why 30: a large message or a slow server may take a few polls, but
 * half an hour of waiting mail with nothing fetched is the "fetching stops silently" failure.
 */
export const STALL_MINUTES = 30;

/** The reason code of a stalled server (MailServerHealth.lastErrorReason). */
export const STALLED_REASON = 'stalled';

/** What one successful poll reports (the pollers' result). */
export interface PollOutcome {
  /** Messages stored and enqueued by this poll. */
  readonly fetched: number;
  /** Messages still waiting on the server after this poll. */
  readonly backlog: number;
  /** True when the poll stopped because nothing was left, false when its time budget ended first. */
  readonly drained: boolean;
}

/** What an operator hears of: `failing` (after {@link FAILING_THRESHOLD} failures, or a stall), `needs-reauth`, `recovered`. */
export interface MailServerEvent {
  readonly kind: 'failing' | 'needs-reauth' | 'recovered';
  readonly serverId: string;
  readonly name: string;
  readonly type: MailServer['type'];
  readonly host: string;
  /** ISO time of the poll that made the transition. */
  readonly at: string;
  /** Failing and needs-reauth: the reason code and the words (no secret). */
  readonly reason?: string;
  readonly message?: string;
  readonly consecutiveFailures?: number;
}

/** Where mail server events go (EventBridge deployed, the log locally). */
export interface MailServerEventSink {
  publish(events: readonly MailServerEvent[]): Promise<void>;
}

/** The new health and the events of one poll. */
export interface PollHealthUpdate {
  readonly health: MailServerHealth;
  readonly events: MailServerEvent[];
}

/**
 * Whether `server`'s health has been announced as bad (a Failing or Needs Reauth event went out):
 * needs-reauth, stalled, or an error at least {@link FAILING_THRESHOLD} polls long. The failing
 * servers gauge (and its alarm) counts these.
 */
export function isAnnouncedFailing(server: MailServerHealth): boolean {
  if (server.state === 'needs-reauth') return true;
  if (server.state !== 'error') return false;
  return server.lastErrorReason === STALLED_REASON || (server.consecutiveFailures ?? 0) >= FAILING_THRESHOLD;
}

/**
 * The backoff after `failures` failed polls in a row: none below {@link FAILING_THRESHOLD}, then
 * {@link BACKOFF_BASE_MS} doubling with each further failure, at most {@link BACKOFF_MAX_MS}.
 */
export function backoffMs(failures: number): number {
  if (failures < FAILING_THRESHOLD) return 0;
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.min(failures - FAILING_THRESHOLD, 16), BACKOFF_MAX_MS);
}

/**
 * The health after a poll that started at `startedAt` and succeeded at `now` with `outcome`: `ok`,
 * failures reset, counts added; unless nothing was fetched for {@link STALL_MINUTES} while the
 * backlog is above 0 (counted from the last fetch, or from the server's last save when it never
 * fetched): then `error`, reason `stalled`. A `recovered` event when it had been announced failing
 * and is ok now; a `failing` event when it starts to stall.
 */
export function healthAfterSuccess(server: MailServer, outcome: PollOutcome, startedAt: Date, now: Date): PollHealthUpdate {
  const at = now.toISOString();
  const lastFetchAt = outcome.fetched > 0 ? at : server.lastFetchAt;
  const quietSince = Date.parse(lastFetchAt ?? server.updatedAt);
  const stalled = outcome.fetched === 0 && outcome.backlog > 0 && now.getTime() - quietSince >= STALL_MINUTES * 60_000;
  // The last error stays for the status page (SRV-9 "last error"); the backoff ends. An undefined
  // field is removed by MailServerStore.setHealth, an absent one left as it is.
  const base: MailServerHealth = {
    ...healthOf(server),
    nextPollAt: undefined,
    state: 'ok',
    lastSuccessAt: at,
    lastPollAt: startedAt.toISOString(),
    consecutiveFailures: 0,
    messagesFetched: (server.messagesFetched ?? 0) + outcome.fetched,
    backlog: outcome.backlog,
    ...(lastFetchAt !== undefined && { lastFetchAt }),
  };
  if (stalled) {
    const minutes = Math.floor((now.getTime() - quietSince) / 60_000);
    const message = `the server answers, but nothing was fetched for ${minutes} minutes while ${outcome.backlog} message(s) wait on it`;
    const health: MailServerHealth = { ...base, state: 'error', lastError: message, lastErrorReason: STALLED_REASON };
    const events = isAnnouncedFailing(server) ? [] : [eventOf(server, 'failing', at, { reason: STALLED_REASON, message })];
    return { health, events };
  }
  return { health: base, events: isAnnouncedFailing(server) ? [eventOf(server, 'recovered', at)] : [] };
}

/**
 * The health after a poll that started at `startedAt` and failed at `now` with `error`: a
 * {@link MailConnectionError} keeps its reason and words; anything else is `protocol` with safe
 * words (its message may carry anything). `needs-reauth` sets that state (the dispatcher stops
 * polling until the admin's consent); other reasons set `error`, count the failure and back off
 * ({@link backoffMs}). Events: `needs-reauth` on entering that state, `failing` when the count
 * reaches {@link FAILING_THRESHOLD} (a stalled server that now fails is announced already).
 */
export function healthAfterFailure(server: MailServer, error: unknown, startedAt: Date, now: Date): PollHealthUpdate {
  const at = now.toISOString();
  const { reason, message } = failureOf(error);
  const failures = (server.consecutiveFailures ?? 0) + 1;
  const needsReauth = reason === 'needs-reauth';
  const delay = needsReauth ? 0 : backoffMs(failures);
  const health: MailServerHealth = {
    ...healthOf(server),
    state: needsReauth ? 'needs-reauth' : 'error',
    lastError: message,
    lastErrorReason: reason,
    lastPollAt: startedAt.toISOString(),
    consecutiveFailures: failures,
    // Removed (undefined) below the threshold and for needs-reauth, which the dispatcher skips anyway.
    nextPollAt: delay > 0 ? new Date(now.getTime() + delay).toISOString() : undefined,
  };
  const events: MailServerEvent[] = [];
  const detail = { reason, message, consecutiveFailures: failures };
  if (needsReauth && server.state !== 'needs-reauth') events.push(eventOf(server, 'needs-reauth', at, detail));
  else if (!needsReauth && !isAnnouncedFailing(server) && failures >= FAILING_THRESHOLD) events.push(eventOf(server, 'failing', at, detail));
  return { health, events };
}

/** The reason and safe words of a failed poll. */
function failureOf(error: unknown): { reason: ConnectionFailureReason; message: string } {
  if (error instanceof MailConnectionError) return { reason: error.reason, message: error.message };
  return { reason: 'protocol', message: 'the poll failed unexpectedly (the poller log has the details)' };
}


/** The health fields of a stored server, without its settings; absent ones stay absent. */
function healthOf(s: MailServer): MailServerHealth {
  const entries = MAIL_SERVER_HEALTH_FIELDS.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]);
  return Object.fromEntries(entries) as MailServerHealth;
}

function eventOf(
  s: MailServer,
  kind: MailServerEvent['kind'],
  at: string,
  detail: { reason?: string; message?: string; consecutiveFailures?: number } = {},
): MailServerEvent {
  return { kind, serverId: s.id, name: s.name, type: s.type, host: s.host, at, ...detail };
}
