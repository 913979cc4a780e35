/**
 * The POP3 poller against Dovecot, through S3, the inbound queue and the real ingest (issue 10
 * items 5 and 7): RETR, store, enqueue, seen-set, DELE, QUIT; each case counts interactions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PollDeps, Pop3Mailbox } from '../../../lambdas/core/mailboxes/poll-ports.ts';
import { pollServer } from '../../../lambdas/adapters/mailboxes/poll-server.ts';
import { credentials, mail, polledMessageIds, startPollHarness, type PollHarness } from './poll-harness.ts';

let h: PollHarness;
beforeAll(async () => {
  h = await startPollHarness('pop3poll');
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

const ids = (...tags: string[]) => tags.map((t) => `<${t}@customer.test>`).sort();
const DAY = 86_400_000;

describe('POP3 poll', () => {
  it('fetches every message once and deletes it only after it is stored and enqueued', async () => {
    const server = await h.server('pop3');
    for (const t of ['p1', 'p2', 'p3']) await h.dovecot.deliver(server.user, mail(t));
    const result = await h.pollPop3(server);
    await h.drain();
    expect(result).toMatchObject({ fetched: 3, backlog: 0, drained: true });
    expect(await polledMessageIds(h, server.id)).toEqual(ids('p1', 'p2', 'p3'));
    expect((await h.dovecot.status(server.user)).messages).toBe(0);
  });

  it('leaves mail older than the backfill window on the server on the first poll and never fetches it', async () => {
    const server = await h.server('pop3');
    await h.dovecot.deliver(server.user, mail('q-old', new Date(Date.now() - 30 * DAY)));
    await h.dovecot.deliver(server.user, mail('q-recent', new Date(Date.now() - 2 * DAY)));
    const first = await h.pollPop3(server);
    await h.dovecot.deliver(server.user, mail('q-new'));
    const second = await h.pollPop3(server);
    await h.drain();
    expect(first).toMatchObject({ fetched: 1, skipped: 1, backfill: { done: true } });
    expect(second).toMatchObject({ fetched: 1, skipped: 0 });
    expect(second.backfill).toBeUndefined();
    expect(await polledMessageIds(h, server.id)).toEqual(ids('q-recent', 'q-new'));
    expect((await h.dovecot.status(server.user)).messages).toBe(1);
    const polled = await h.interactions((i) => i.message.transport.kind === 'pop3' && i.message.transport.serverId === server.id);
    expect(polled.find((i) => i.message.messageId === '<q-recent@customer.test>')?.trail[0]?.detail).toContain('backfilled');
    expect(polled.find((i) => i.message.messageId === '<q-new@customer.test>')?.trail[0]?.detail).not.toContain('backfilled');
  });

  it('a poll killed between storing and DELE deletes nothing; the next poll deletes without a second interaction', async () => {
    const server = await h.server('pop3');
    for (const t of ['r1', 'r2']) await h.dovecot.deliver(server.user, mail(t));
    const killed = (m: Pop3Mailbox): Pop3Mailbox => ({ ...bind(m), dele: () => Promise.reject(new Error('killed before DELE')) });
    await expect(h.pollPop3(server, { wrapMailbox: killed })).rejects.toThrow('killed');
    expect((await h.dovecot.status(server.user)).messages).toBe(2);
    const next = await h.pollPop3(server);
    await h.drain();
    // What reached the seen-set before the kill is deleted without a second RETR; the rest is fetched.
    expect(next.fetched).toBeLessThanOrEqual(1);
    expect(await polledMessageIds(h, server.id)).toEqual(ids('r1', 'r2'));
    expect((await h.dovecot.status(server.user)).messages).toBe(0);
  });

  it('a poll killed after storing, before the seen-set, fetches again and the ledger dedupes', async () => {
    const server = await h.server('pop3');
    for (const t of ['s1', 's2']) await h.dovecot.deliver(server.user, mail(t));
    const crash = (d: PollDeps): PollDeps => ({ ...d, state: { ...bindState(d), markSeen: () => Promise.reject(new Error('killed before the seen-set')) } });
    await expect(h.pollPop3(server, { deps: h.pollDeps(crash) })).rejects.toThrow('killed');
    const next = await h.pollPop3(server);
    await h.drain();
    expect(next.fetched).toBe(2);
    expect(await polledMessageIds(h, server.id)).toEqual(ids('s1', 's2'));
    expect((await h.dovecot.status(server.user)).messages).toBe(0);
  });

  it('stops inside a budget too small to drain and the next polls resume', async () => {
    const server = await h.server('pop3');
    const tags = Array.from({ length: 20 }, (_, i) => `t${i}`);
    await h.dovecot.deliverMany(server.user, tags.map((t) => ({ raw: mail(t) })));
    const start = Date.now();
    let ticks = 0;
    const slow = () => h.pollDeps((d) => ({ ...d, now: () => start + 100 * ticks++ }));
    const first = await h.pollPop3(server, { deps: slow(), deadline: start + 3_000 });
    expect(first.drained).toBe(false);
    expect(first.fetched).toBeGreaterThan(0);
    expect(first.backlog).toBe(20 - first.fetched);
    for (let r = first; !r.drained; ) {
      ticks = 0;
      r = await h.pollPop3(server, { deps: slow(), deadline: start + 3_000 });
    }
    await h.drain();
    expect(await polledMessageIds(h, server.id)).toEqual(ids(...tags));
    expect((await h.dovecot.status(server.user)).messages).toBe(0);
  });

  it('pollServer connects with the registered settings, polls and ends the session', async () => {
    const server = await h.server('pop3');
    for (const t of ['x1', 'x2']) await h.dovecot.deliver(server.user, mail(t));
    const result = await pollServer(server, credentials(server), h.wiring, { deadline: Date.now() + 30_000 });
    await h.drain();
    expect(result).toMatchObject({ fetched: 2, backlog: 0, drained: true });
    expect(await polledMessageIds(h, server.id)).toEqual(ids('x1', 'x2'));
    await expect(pollServer(server, { kind: 'password', user: server.user, password: 'wrong' }, h.wiring, { deadline: Date.now() + 30_000 })).rejects.toMatchObject({ reason: 'authentication' });
  });
});

function bind(m: Pop3Mailbox): Pop3Mailbox {
  return {
    uidl: () => m.uidl(),
    list: () => m.list(),
    top: (n, l) => m.top(n, l),
    retr: (n, max) => m.retr(n, max),
    dele: (n) => m.dele(n),
    quit: () => m.quit(),
  };
}

function bindState(d: PollDeps): PollDeps['state'] {
  const s = d.state;
  return {
    cursor: (a, b) => s.cursor(a, b),
    advance: (a, b, c, e) => s.advance(a, b, c, e),
    seen: (a, b) => s.seen(a, b),
    markSeen: (a, b, c, e) => s.markSeen(a, b, c, e),
    pop3BackfillDone: (a) => s.pop3BackfillDone(a),
    setPop3BackfillDone: (a, b) => s.setPop3BackfillDone(a, b),
  };
}
