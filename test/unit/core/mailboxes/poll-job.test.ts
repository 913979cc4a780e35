import { describe, expect, it } from 'vitest';
import { MailConnectionError, type CredentialSource } from '../../../../lambdas/core/mailboxes/connection.ts';
import { pollNowJob, type PollJob } from '../../../../lambdas/core/mailboxes/dispatch.ts';
import type { MailServerEvent } from '../../../../lambdas/core/mailboxes/poll-health.ts';
import { runPollJob, type PollFunction, type PollJobDeps } from '../../../../lambdas/core/mailboxes/poll-job.ts';
import { mailServerRecord } from '../../../support/mail-servers.ts';
import { MemoryMailServerStore } from '../../../support/memory-mail-server-store.ts';

const now = new Date('2026-11-26T21:00:05.000Z');
const job: PollJob = { serverId: 'srv-1', slotAt: '2026-11-26T21:00:00.000Z', cause: 'schedule' };
const password: CredentialSource = { credentialsFor: async (s) => ({ kind: 'password', user: s.user, password: 'pw' }) };

function deps(store: MemoryMailServerStore, poll: PollFunction, over: Partial<PollJobDeps> = {}) {
  const published: MailServerEvent[] = [];
  const d: PollJobDeps = { servers: store, credentials: password, poll, events: { publish: async (e) => void published.push(...e) }, now: () => now, ...over };
  return { d, published };
}
const fetchedTwo: PollFunction = async () => ({ fetched: 2, backlog: 0, drained: true });
const deadline = () => new Date(Date.now() + 5_000);

describe('runPollJob', () => {
  it('polls, writes ok health and reports what it fetched', async () => {
    const store = new MemoryMailServerStore([mailServerRecord()]);
    const report = await runPollJob(job, deadline(), deps(store, fetchedTwo).d);
    expect(report).toMatchObject({ outcome: 'polled', fetched: 2 });
    expect(store.servers.get('srv-1')).toMatchObject({ state: 'ok', messagesFetched: 2, lastPollAt: now.toISOString() });
  });

  it('does nothing for a deleted or disabled server', async () => {
    const store = new MemoryMailServerStore([mailServerRecord({ id: 'off', enabled: false, state: 'disabled' })]);
    let polls = 0;
    const poll: PollFunction = async () => ((polls += 1), { fetched: 0, backlog: 0, drained: true });
    expect(await runPollJob({ ...job, serverId: 'gone' }, deadline(), deps(store, poll).d)).toEqual({ outcome: 'skipped', why: 'gone' });
    expect(await runPollJob({ ...job, serverId: 'off' }, deadline(), deps(store, poll).d)).toEqual({ outcome: 'skipped', why: 'not-pollable' });
    expect(polls).toBe(0);
    expect(store.healthWrites).toEqual([]);
  });

  it('skips a scheduled job covered by a later poll or during backoff, but an admin save polls regardless', async () => {
    const covered = new MemoryMailServerStore([mailServerRecord({ lastPollAt: '2026-11-26T21:00:01.000Z' })]);
    expect(await runPollJob(job, deadline(), deps(covered, fetchedTwo).d)).toEqual({ outcome: 'skipped', why: 'covered' });
    const backingOff = new MemoryMailServerStore([mailServerRecord({ state: 'error', consecutiveFailures: 4, nextPollAt: '2026-11-26T21:10:00.000Z' })]);
    expect(await runPollJob(job, deadline(), deps(backingOff, fetchedTwo).d)).toEqual({ outcome: 'skipped', why: 'not-pollable' });
    expect(await runPollJob(pollNowJob('srv-1', now), deadline(), deps(backingOff, fetchedTwo).d)).toMatchObject({ outcome: 'polled' });
  });

  it('records a credentials failure (needs-reauth) as the server health and announces it', async () => {
    const store = new MemoryMailServerStore([mailServerRecord({ authType: 'oauth2' })]);
    const refused: CredentialSource = { credentialsFor: async () => Promise.reject(new MailConnectionError('needs-reauth', 'the provider refused the grant (invalid_grant)')) };
    const { d, published } = deps(store, fetchedTwo, { credentials: refused });
    expect(await runPollJob(job, deadline(), d)).toMatchObject({ outcome: 'failed' });
    expect(store.servers.get('srv-1')).toMatchObject({ state: 'needs-reauth', lastError: 'the provider refused the grant (invalid_grant)' });
    expect(published.map((e) => e.kind)).toEqual(['needs-reauth']);
  });

  it('gives up on a poll that hangs past its deadline, aborting it, and records a timeout', async () => {
    const store = new MemoryMailServerStore([mailServerRecord()]);
    let aborted = false;
    const hangs: PollFunction = (_s, _c, budget) =>
      new Promise(() => budget.signal.addEventListener('abort', () => (aborted = true)));
    const started = Date.now();
    const report = await runPollJob(job, new Date(Date.now() - 14_800), deps(store, hangs).d);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(aborted).toBe(true);
    expect(report).toMatchObject({ outcome: 'failed' });
    expect(store.servers.get('srv-1')).toMatchObject({ state: 'error', lastErrorReason: 'timeout' });
  });

  it('keeps an unexpected error out of the health but gives its words to the log', async () => {
    const store = new MemoryMailServerStore([mailServerRecord()]);
    const broken: PollFunction = async () => Promise.reject(new TypeError('cannot read properties of undefined'));
    const report = await runPollJob(job, deadline(), deps(store, broken).d);
    expect(report).toMatchObject({ outcome: 'failed', errorDetail: 'TypeError: cannot read properties of undefined' });
    expect(store.servers.get('srv-1')!.lastError).not.toContain('undefined');
  });

  it('still writes the health when the events cannot be published', async () => {
    const store = new MemoryMailServerStore([mailServerRecord({ state: 'error', consecutiveFailures: 2 })]);
    const down: PollFunction = async () => Promise.reject(new MailConnectionError('tcp', 'connection refused'));
    const events = { publish: async () => Promise.reject(new Error('EventBridge is down')) };
    const report = await runPollJob(job, deadline(), deps(store, down, { events }).d);
    expect(report).toMatchObject({ outcome: 'failed', eventError: 'EventBridge is down' });
    expect(store.servers.get('srv-1')).toMatchObject({ consecutiveFailures: 3 });
  });
});
