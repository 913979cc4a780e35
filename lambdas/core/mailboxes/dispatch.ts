/**
 * Which poll jobs a dispatch makes (issue 10 item 4; SPEC SRV-2): every enabled inbound server gets
 * one job per slot, IMAP one slot a minute (0 s), POP3 three (0, 20 and 40 s: a 20-second cadence).
 * A server that backs off (`nextPollAt` in the future) or waits for the admin's consent
 * (`needs-reauth`) gets none. Nothing here sends: the dispatcher handler puts these jobs on the FIFO
 * poll-job queue, message group = server id, so one mailbox is never polled twice at once.
 */
import { isInboundType, type MailServer, type MailServerType } from './server.ts';

/**
 * The seconds into each minute a server of each type is polled: POP3 every 20 s, IMAP every 60 s
 * (seed step 1). Why not IMAP faster: the seed's cadence, and IMAP servers rate-limit logins.
 */
export const POLL_SLOT_SECONDS: Readonly<Record<Exclude<MailServerType, 'smtp'>, readonly number[]>> = {
  imap: [0],
  pop3: [0, 20, 40],
};

/** The slots after the minute's first, for which the dispatcher schedules delayed ticks (20 and 40 s). */
export const LATER_SLOT_SECONDS: readonly number[] = [20, 40];

/** Why a job exists: the minute's schedule, or an admin saving the server (SRV-6: in use within 30 s). */
export type PollJobCause = 'schedule' | 'saved';

/** One poll of one server, as the poll-job queue carries it (JSON). */
export interface PollJob {
  readonly serverId: string;
  /** ISO time of the slot the job is for; the poller skips a job a later poll already covered. */
  readonly slotAt: string;
  readonly cause: PollJobCause;
}

/** A delayed message on the tick queue: at `slotAt` the dispatcher enqueues that slot's jobs. */
export interface PollTick {
  readonly kind: 'tick';
  /** ISO time of the slot (the minute plus 20 or 40 s). */
  readonly slotAt: string;
}

/** The start of the minute `at` falls in (UTC): the base of that minute's slots. */
export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}

/**
 * Whether `server` is polled at all now: enabled, inbound, not waiting for consent, and not
 * backing off at `at` (`nextPollAt` later than `at`).
 */
export function isPollable(server: MailServer, at: Date): boolean {
  if (!server.enabled || !isInboundType(server.type) || server.state === 'needs-reauth') return false;
  return server.nextPollAt === undefined || Date.parse(server.nextPollAt) <= at.getTime();
}

/**
 * The jobs of the slot at `slotAt` (a minute plus 0, 20 or 40 s): one per pollable server whose
 * type has that slot ({@link POLL_SLOT_SECONDS}). `now` decides the backoff; @default slotAt.
 */
export function jobsForSlot(servers: readonly MailServer[], slotAt: Date, now: Date = slotAt): PollJob[] {
  const second = Math.round((slotAt.getTime() - minuteOf(slotAt).getTime()) / 1000);
  const at = slotAt.toISOString();
  return servers
    .filter((s) => isInboundType(s.type) && POLL_SLOT_SECONDS[s.type as 'imap' | 'pop3'].includes(second) && isPollable(s, now))
    .map((s) => ({ serverId: s.id, slotAt: at, cause: 'schedule' }));
}

/**
 * The ticks the minute starting at `minute` needs: one per later slot when any enabled POP3
 * server exists (also one backing off: its backoff may end within the minute), else none.
 */
export function ticksForMinute(servers: readonly MailServer[], minute: Date): PollTick[] {
  if (!servers.some((s) => s.type === 'pop3' && s.enabled)) return [];
  return LATER_SLOT_SECONDS.map((s) => ({ kind: 'tick', slotAt: new Date(minute.getTime() + s * 1000).toISOString() }));
}

/**
 * The job an admin's save asks for (the registry's onSaved hook): the slot is `now`, so it is
 * never deduplicated against a scheduled slot and a later scheduled job still runs.
 */
export function pollNowJob(serverId: string, now: Date): PollJob {
  return { serverId, slotAt: now.toISOString(), cause: 'saved' };
}

/**
 * The FIFO MessageDeduplicationId of `job`: server id and slot in epoch milliseconds. Two
 * dispatches of the same slot (a Scheduler retry, a tick delivered twice, overlapping runs) send
 * the same id, and SQS keeps the first within its 5-minute deduplication window. Within SQS's
 * 128 characters as long as server ids are (the registry assigns UUIDs).
 */
export function dedupeIdOf(job: PollJob): string {
  return `${job.serverId}@${Date.parse(job.slotAt)}`;
}

/**
 * Whether `job` is already covered: a poll of its server started at or after the job's slot
 * (`lastPollAt`), so whatever arrived before the slot has been looked at. Jobs queued behind a slow
 * poll of one server are skipped this way instead of each polling again.
 */
export function isCoveredByLastPoll(job: PollJob, server: Pick<MailServer, 'lastPollAt'>): boolean {
  return server.lastPollAt !== undefined && Date.parse(server.lastPollAt) >= Date.parse(job.slotAt);
}

/** Parses a poll-job message body; undefined when it is not one (the caller drops it with a log line). */
export function parsePollJob(body: string): PollJob | undefined {
  const value = parseJson(body);
  if (typeof value !== 'object' || value === null) return undefined;
  const { serverId, slotAt, cause } = value as Record<string, unknown>;
  if (typeof serverId !== 'string' || serverId === '' || typeof slotAt !== 'string' || Number.isNaN(Date.parse(slotAt))) return undefined;
  if (cause !== 'schedule' && cause !== 'saved') return undefined;
  return { serverId, slotAt: new Date(slotAt).toISOString(), cause };
}

/** Parses a tick message body; undefined when it is not one. */
export function parsePollTick(body: string): PollTick | undefined {
  const value = parseJson(body);
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, slotAt } = value as Record<string, unknown>;
  if (kind !== 'tick' || typeof slotAt !== 'string' || Number.isNaN(Date.parse(slotAt))) return undefined;
  return { kind, slotAt: new Date(slotAt).toISOString() };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
