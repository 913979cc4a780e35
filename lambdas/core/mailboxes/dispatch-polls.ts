/**
 * The dispatcher's two runs (issue 10 item 4): the minute's run (EventBridge Scheduler, every
 * minute) enqueues the 0-s jobs and schedules delayed ticks for POP3's 20-s and 40-s slots; a
 * tick's run enqueues that slot's jobs. Both read the registry afresh, so a server saved or
 * disabled meanwhile is honoured at the next slot. The sends never wait for a poll.
 */
import { jobsForSlot, minuteOf, ticksForMinute, type PollJob, type PollTick } from './dispatch.ts';
import { isAnnouncedFailing } from './poll-health.ts';
import { isInboundType, type MailServer, type MailServerStore } from './server.ts';

/**
 * How often the minute's run does the OAuth2 housekeeping (idle refresh tokens, client secret
 * expiry events): once an hour, on the minute 0. It reads every OAuth2 server's secret, so once
 * a minute would cost 60 times the reads for nothing: the idle limit is counted in days and the
 * expiry event is sent at most once a day per server anyway.
 */
export const HOUSEKEEPING_MINUTE_OF_HOUR = 0;

/** Where jobs and ticks go: the FIFO poll-job queue and the (standard) tick queue. */
export interface PollJobQueue {
  /** Sends `jobs` (FIFO: group = server id, deduplication id = dedupeIdOf(job)). */
  enqueue(jobs: readonly PollJob[]): Promise<void>;
  /** Sends each tick to arrive at its `slotAt` (at once when that is not after `now`). */
  scheduleTicks(ticks: readonly PollTick[], now: Date): Promise<void>;
}

/** What the dispatcher needs. */
export interface DispatchDeps {
  readonly servers: Pick<MailServerStore, 'list'>;
  readonly queue: PollJobQueue;
  /**
   * The OAuth2 housekeeping over every registered server (adapters/oauth2: refresh tokens unused
   * for long, client secrets about to expire), run after the jobs are sent; its failure is
   * reported, never stops the dispatch. @default none
   */
  readonly housekeeping?: (servers: readonly MailServer[], now: Date) => Promise<void>;
}

/** What one run did, for the log and the metrics. */
export interface DispatchReport {
  /** Jobs enqueued (before SQS's deduplication). */
  readonly jobs: number;
  readonly ticks: number;
  /** Enabled inbound servers. */
  readonly inbound: number;
  /** Enabled inbound servers announced failing (the MailServersFailing gauge the alarm watches). */
  readonly failing: number;
  /** Whether this run did the hourly housekeeping, and its error in words when it failed. */
  readonly housekeeping?: 'done' | { readonly failed: string };
}

/**
 * The minute's run for the schedule that fired at `scheduledAt` (its minute is the slot base, so
 * a Scheduler retry makes the same deduplication ids): enqueues the 0-s jobs, then the ticks.
 * @param now the backoff's "now" and the ticks' delay base; @default scheduledAt
 */
export async function dispatchMinute(deps: DispatchDeps, scheduledAt: Date, now: Date = scheduledAt): Promise<DispatchReport> {
  const servers = await deps.servers.list();
  const minute = minuteOf(scheduledAt);
  const jobs = jobsForSlot(servers, minute, now);
  const ticks = ticksForMinute(servers, minute);
  if (jobs.length > 0) await deps.queue.enqueue(jobs);
  if (ticks.length > 0) await deps.queue.scheduleTicks(ticks, now);
  const inbound = servers.filter((s) => s.enabled && isInboundType(s.type));
  const report = { jobs: jobs.length, ticks: ticks.length, inbound: inbound.length, failing: inbound.filter(isAnnouncedFailing).length };
  if (!deps.housekeeping || minute.getUTCMinutes() !== HOUSEKEEPING_MINUTE_OF_HOUR) return report;
  try {
    await deps.housekeeping(servers, now);
    return { ...report, housekeeping: 'done' };
  } catch (err) {
    return { ...report, housekeeping: { failed: err instanceof Error ? err.message : String(err) } };
  }
}

/**
 * A tick's run: enqueues the jobs of the tick's slot (POP3 servers at 20 or 40 s).
 * @param now the backoff's "now"; @default the tick's slot
 */
export async function dispatchTick(deps: DispatchDeps, tick: PollTick, now: Date = new Date(tick.slotAt)): Promise<DispatchReport> {
  const servers = await deps.servers.list();
  const jobs = jobsForSlot(servers, new Date(tick.slotAt), now);
  if (jobs.length > 0) await deps.queue.enqueue(jobs);
  const inbound = servers.filter((s) => s.enabled && isInboundType(s.type));
  return { jobs: jobs.length, ticks: 0, inbound: inbound.length, failing: inbound.filter(isAnnouncedFailing).length };
}
