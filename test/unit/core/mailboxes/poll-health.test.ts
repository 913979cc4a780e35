import { describe, expect, it } from 'vitest';
import { MailConnectionError } from '../../../../lambdas/core/mailboxes/connection.ts';
import {
  BACKOFF_BASE_MS,
  BACKOFF_MAX_MS,
  FAILING_THRESHOLD,
  STALL_MINUTES,
  backoffMs,
  healthAfterFailure,
  healthAfterSuccess,
  type MailServerEvent,
} from '../../../../lambdas/core/mailboxes/poll-health.ts';
import type { MailServer } from '../../../../lambdas/core/mailboxes/server.ts';
import { mailServerRecord } from '../../../support/mail-servers.ts';

const t0 = new Date('2026-11-26T21:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

/** Applies polls in order, as the poller would, and collects every event. */
function run(server: MailServer, polls: Array<{ ok: true; fetched: number; backlog: number } | { ok: false; error: unknown }>, stepMs = 60_000) {
  let current = server;
  const events: MailServerEvent[] = [];
  polls.forEach((p, i) => {
    const start = later(i * stepMs);
    const end = later(i * stepMs + 1000);
    const u = p.ok ? healthAfterSuccess(current, { ...p, drained: true }, start, end) : healthAfterFailure(current, p.error, start, end);
    // As MailServerStore.setHealth: given fields are written, undefined ones removed, absent ones kept.
    const next: Record<string, unknown> = { ...current };
    for (const [k, v] of Object.entries(u.health)) {
      if (v === undefined) delete next[k];
      else next[k] = v;
    }
    current = next as unknown as MailServer;
    events.push(...u.events);
  });
  return { server: current, events };
}

const down = { ok: false as const, error: new MailConnectionError('tcp', 'imap.example.com refused the connection on port 993') };
const fine = { ok: true as const, fetched: 2, backlog: 0 };

describe('after a successful poll', () => {
  it('is ok with counts added, backlog and last fetch recorded', () => {
    const server = mailServerRecord({ messagesFetched: 10 });
    const { health, events } = healthAfterSuccess(server, { fetched: 3, backlog: 7, drained: false }, t0, later(5000));
    expect(health).toMatchObject({
      state: 'ok',
      lastSuccessAt: later(5000).toISOString(),
      lastPollAt: t0.toISOString(),
      consecutiveFailures: 0,
      messagesFetched: 13,
      backlog: 7,
      lastFetchAt: later(5000).toISOString(),
    });
    expect(events).toEqual([]);
  });

  it('keeps the last fetch time when nothing was fetched', () => {
    const server = mailServerRecord({ lastFetchAt: t0.toISOString() });
    expect(healthAfterSuccess(server, { fetched: 0, backlog: 0, drained: true }, later(60_000), later(61_000)).health.lastFetchAt).toBe(t0.toISOString());
  });
});

describe('after failed polls', () => {
  it('counts failures, says the reason in words, and announces Failing once, at the threshold', () => {
    const { server, events } = run(mailServerRecord(), Array(FAILING_THRESHOLD + 3).fill(down));
    expect(server).toMatchObject({ state: 'error', lastErrorReason: 'tcp', lastError: 'imap.example.com refused the connection on port 993', consecutiveFailures: FAILING_THRESHOLD + 3 });
    expect(events.map((e) => [e.kind, e.consecutiveFailures])).toEqual([['failing', FAILING_THRESHOLD]]);
    expect(events[0]).toMatchObject({ serverId: 'srv-1', name: 'Support mailbox', host: 'imap.example.com', reason: 'tcp' });
  });

  it('backs off from the threshold on, doubling up to the cap', () => {
    expect(backoffMs(FAILING_THRESHOLD - 1)).toBe(0);
    expect(backoffMs(FAILING_THRESHOLD)).toBe(BACKOFF_BASE_MS);
    expect(backoffMs(FAILING_THRESHOLD + 1)).toBe(2 * BACKOFF_BASE_MS);
    expect(backoffMs(FAILING_THRESHOLD + 40)).toBe(BACKOFF_MAX_MS);
    const { server } = run(mailServerRecord(), Array(FAILING_THRESHOLD).fill(down));
    const lastEnd = later((FAILING_THRESHOLD - 1) * 60_000 + 1000);
    expect(server.nextPollAt).toBe(new Date(lastEnd.getTime() + BACKOFF_BASE_MS).toISOString());
  });

  it('says any other error as protocol in safe words, never its message', () => {
    const { health } = healthAfterFailure(mailServerRecord(), new Error('LOGIN user s3cret-password failed'), t0, t0);
    expect(health.lastErrorReason).toBe('protocol');
    expect(health.lastError).not.toContain('s3cret');
  });

  it('enters needs-reauth at once, announces it once, and sets no backoff', () => {
    const reauth = { ok: false as const, error: new MailConnectionError('needs-reauth', 'the OAuth2 grant was revoked; re-authenticate the server') };
    const { server, events } = run(mailServerRecord(), [reauth, reauth]);
    expect(server.state).toBe('needs-reauth');
    expect(server.nextPollAt).toBeUndefined();
    expect(events.map((e) => e.kind)).toEqual(['needs-reauth']);
  });

  it('announces Recovered once when an announced server answers again, and nothing after a blip', () => {
    expect(run(mailServerRecord(), [down, fine, fine]).events).toEqual([]);
    const { server, events } = run(mailServerRecord(), [...Array(FAILING_THRESHOLD).fill(down), fine, fine]);
    expect(events.map((e) => e.kind)).toEqual(['failing', 'recovered']);
    expect(server).toMatchObject({ state: 'ok', consecutiveFailures: 0 });
    expect(server.nextPollAt).toBeUndefined();
  });
});

describe('stall', () => {
  const quiet = { ok: true as const, fetched: 0, backlog: 5 };

  it('is an error once nothing was fetched for STALL_MINUTES while mail waits, announced once, and recovers', () => {
    const server = mailServerRecord({ lastFetchAt: t0.toISOString(), state: 'ok' });
    const polls = [...Array(STALL_MINUTES + 3).fill(quiet), fine];
    const { server: after, events } = run(server, polls);
    expect(events.map((e) => e.kind)).toEqual(['failing', 'recovered']);
    expect(events[0]).toMatchObject({ reason: 'stalled' });
    expect(events[0]!.message).toMatch(/nothing was fetched for 30 minutes while 5 message\(s\) wait/);
    expect(after.state).toBe('ok');
    const stalled = run(server, Array(STALL_MINUTES + 2).fill(quiet)).server;
    expect(stalled).toMatchObject({ state: 'error', lastErrorReason: 'stalled', consecutiveFailures: 0 });
  });

  it('is no stall while the backlog is 0 or the poll fetches', () => {
    const server = mailServerRecord({ lastFetchAt: t0.toISOString() });
    expect(run(server, Array(STALL_MINUTES + 2).fill({ ok: true, fetched: 0, backlog: 0 })).events).toEqual([]);
    expect(run(server, Array(STALL_MINUTES + 2).fill({ ok: true, fetched: 1, backlog: 5 })).events).toEqual([]);
  });

  it('counts from the last save when the server never fetched', () => {
    const server = mailServerRecord({ updatedAt: t0.toISOString() });
    const { health } = healthAfterSuccess(server, { fetched: 0, backlog: 1, drained: true }, later(STALL_MINUTES * 60_000), later(STALL_MINUTES * 60_000));
    expect(health.lastErrorReason).toBe('stalled');
  });
});
