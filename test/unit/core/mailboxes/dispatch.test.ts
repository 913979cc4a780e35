import { describe, expect, it } from 'vitest';
import {
  dedupeIdOf,
  isCoveredByLastPoll,
  jobsForSlot,
  minuteOf,
  parsePollJob,
  parsePollTick,
  pollNowJob,
  ticksForMinute,
} from '../../../../lambdas/core/mailboxes/dispatch.ts';
import { dispatchMinute, dispatchTick, type PollJobQueue } from '../../../../lambdas/core/mailboxes/dispatch-polls.ts';
import type { PollJob, PollTick } from '../../../../lambdas/core/mailboxes/dispatch.ts';
import { mailServerRecord } from '../../../support/mail-servers.ts';
import { MemoryMailServerStore } from '../../../support/memory-mail-server-store.ts';

const minute = new Date('2026-11-26T21:00:00.000Z');
const at = (seconds: number) => new Date(minute.getTime() + seconds * 1000);
const imap = mailServerRecord({ id: 'imap-1', name: 'a imap' });
const pop3 = mailServerRecord({ id: 'pop3-1', name: 'b pop3', type: 'pop3', port: 995 });

describe('jobsForSlot', () => {
  it('gives IMAP one slot a minute and POP3 three (0, 20, 40 s)', () => {
    const ids = (s: number) => jobsForSlot([imap, pop3], at(s)).map((j) => j.serverId);
    expect(ids(0)).toEqual(['imap-1', 'pop3-1']);
    expect(ids(20)).toEqual(['pop3-1']);
    expect(ids(40)).toEqual(['pop3-1']);
    expect(ids(30)).toEqual([]);
  });

  it('skips disabled, outbound and needs-reauth servers', () => {
    const servers = [
      mailServerRecord({ id: 'off', enabled: false, state: 'disabled' }),
      mailServerRecord({ id: 'smtp', type: 'smtp' }),
      mailServerRecord({ id: 'reauth', state: 'needs-reauth' }),
    ];
    expect(jobsForSlot(servers, minute)).toEqual([]);
  });

  it('skips a server while it backs off and takes it again once nextPollAt has passed', () => {
    const backingOff = mailServerRecord({ id: 'b', state: 'error', nextPollAt: at(90).toISOString() });
    expect(jobsForSlot([backingOff], minute)).toEqual([]);
    expect(jobsForSlot([backingOff], new Date(minute.getTime() + 120_000)).map((j) => j.serverId)).toEqual(['b']);
  });

  it('stamps each job with its slot and the schedule as cause', () => {
    expect(jobsForSlot([pop3], at(20))).toEqual([{ serverId: 'pop3-1', slotAt: '2026-11-26T21:00:20.000Z', cause: 'schedule' }]);
  });
});

describe('ticks and dedupe ids', () => {
  it('schedules ticks at 20 and 40 s only when an enabled POP3 server exists', () => {
    expect(ticksForMinute([imap], minute)).toEqual([]);
    expect(ticksForMinute([imap, pop3], minute).map((t) => t.slotAt)).toEqual(['2026-11-26T21:00:20.000Z', '2026-11-26T21:00:40.000Z']);
  });

  it('gives two dispatches of one slot the same deduplication id and different slots different ones', () => {
    const [a] = jobsForSlot([imap], minuteOf(at(3)));
    const [b] = jobsForSlot([imap], minuteOf(at(59)));
    expect(dedupeIdOf(a!)).toBe(dedupeIdOf(b!));
    expect(dedupeIdOf(jobsForSlot([pop3], at(20))[0]!)).not.toBe(dedupeIdOf(jobsForSlot([pop3], at(40))[0]!));
    expect(dedupeIdOf(a!).length).toBeLessThanOrEqual(128);
  });

  it('gives a poll-now job its own slot, never one of the schedule', () => {
    const job = pollNowJob('imap-1', at(7.5));
    expect(job).toEqual({ serverId: 'imap-1', slotAt: '2026-11-26T21:00:07.500Z', cause: 'saved' });
    expect(dedupeIdOf(job)).not.toBe(dedupeIdOf(jobsForSlot([imap], minute)[0]!));
  });

  it('counts a job as covered once a poll started at or after its slot', () => {
    const job = jobsForSlot([imap], minute)[0]!;
    expect(isCoveredByLastPoll(job, { lastPollAt: at(-1).toISOString() })).toBe(false);
    expect(isCoveredByLastPoll(job, { lastPollAt: at(0).toISOString() })).toBe(true);
    expect(isCoveredByLastPoll(job, {})).toBe(false);
  });

  it('parses what it sends and refuses anything else', () => {
    const job = pollNowJob('x', minute);
    expect(parsePollJob(JSON.stringify(job))).toEqual(job);
    expect(parsePollJob('{"serverId":"x","slotAt":"nope","cause":"schedule"}')).toBeUndefined();
    expect(parsePollJob('not json')).toBeUndefined();
    const tick: PollTick = { kind: 'tick', slotAt: at(20).toISOString() };
    expect(parsePollTick(JSON.stringify(tick))).toEqual(tick);
    expect(parsePollTick('{"kind":"other"}')).toBeUndefined();
  });
});

describe('dispatchMinute and dispatchTick', () => {
  function recordingQueue() {
    const sent: { jobs: PollJob[]; ticks: PollTick[] } = { jobs: [], ticks: [] };
    const queue: PollJobQueue = {
      enqueue: async (jobs) => void sent.jobs.push(...jobs),
      scheduleTicks: async (ticks) => void sent.ticks.push(...ticks),
    };
    return { sent, queue };
  }

  it('enqueues the 0-s jobs and the ticks of the minute the schedule fired in, and counts failing servers', async () => {
    const failing = mailServerRecord({ id: 'f', name: 'c failing', state: 'error', consecutiveFailures: 3, nextPollAt: at(300).toISOString() });
    const { sent, queue } = recordingQueue();
    const report = await dispatchMinute({ servers: new MemoryMailServerStore([imap, pop3, failing]), queue }, at(2));
    expect(sent.jobs.map((j) => [j.serverId, j.slotAt])).toEqual([
      ['imap-1', minute.toISOString()],
      ['pop3-1', minute.toISOString()],
    ]);
    expect(sent.ticks.map((t) => t.slotAt)).toEqual([at(20).toISOString(), at(40).toISOString()]);
    expect(report).toEqual({ jobs: 2, ticks: 2, inbound: 3, failing: 1 });
  });

  it('enqueues on a tick only the POP3 jobs of its slot', async () => {
    const { sent, queue } = recordingQueue();
    await dispatchTick({ servers: new MemoryMailServerStore([imap, pop3]), queue }, { kind: 'tick', slotAt: at(40).toISOString() });
    expect(sent.jobs).toEqual([{ serverId: 'pop3-1', slotAt: at(40).toISOString(), cause: 'schedule' }]);
  });

  it('does the OAuth2 housekeeping on the hour only, after the jobs, and a failing one never stops the dispatch', async () => {
    const calls: string[] = [];
    const { sent, queue } = recordingQueue();
    const servers = new MemoryMailServerStore([imap, pop3]);
    const housekeeping = async (list: readonly { id: string }[], now: Date) => {
      calls.push(`${now.toISOString()} ${list.map((s) => s.id).join(',')} after ${sent.jobs.length} jobs`);
      if (calls.length > 1) throw new Error('token endpoint unreachable');
    };

    const onTheHour = await dispatchMinute({ servers, queue, housekeeping }, at(2));
    const later = await dispatchMinute({ servers, queue, housekeeping }, new Date(minute.getTime() + 60_000));
    const failed = await dispatchMinute({ servers, queue, housekeeping }, new Date(minute.getTime() + 3_600_000));

    expect(calls).toHaveLength(2);
    expect(calls[0]).toBe(`${at(2).toISOString()} imap-1,pop3-1 after 2 jobs`);
    expect(onTheHour.housekeeping).toBe('done');
    expect(later.housekeeping).toBeUndefined();
    expect(failed).toMatchObject({ jobs: 2, housekeeping: { failed: 'token endpoint unreachable' } });
  });
});
