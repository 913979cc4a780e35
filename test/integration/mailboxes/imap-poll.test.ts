/**
 * The IMAP poller against Dovecot, through S3, the inbound queue and the real ingest (issue 10
 * items 5 and 7): each case counts interactions, 0 missed and 0 duplicated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImapFolder } from '../../../lambdas/core/mailboxes/poll-ports.ts';
import { pollServer } from '../../../lambdas/adapters/mailboxes/poll-server.ts';
import { credentials, mail, polledMessageIds, startPollHarness, type PollHarness } from './poll-harness.ts';

let h: PollHarness;
beforeAll(async () => {
  h = await startPollHarness('imappoll');
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

const ids = (...tags: string[]) => tags.map((t) => `<${t}@customer.test>`).sort();

describe('IMAP poll', () => {
  it('fetches new mail by UID, stores and enqueues it, then sets \\Seen; one interaction each', async () => {
    // Prepare
    const server = await h.server('imap');
    for (const t of ['a1', 'a2', 'a3']) await h.dovecot.deliver(server.user, mail(t));
    // Act
    const result = await h.pollImap(server);
    await h.drain();
    // Assess
    expect(result).toMatchObject({ fetched: 3, backlog: 0, drained: true });
    expect(await polledMessageIds(h, server.id)).toEqual(ids('a1', 'a2', 'a3'));
    expect((await h.dovecot.messages(server.user)).every((m) => m.flags.includes('\\Seen'))).toBe(true);
  });

  it('still fetches mail another client marked read (cursor, not UNSEEN)', async () => {
    const server = await h.server('imap');
    await h.dovecot.deliver(server.user, mail('b1'));
    await h.pollImap(server);
    const uid = await h.dovecot.deliver(server.user, mail('b2'));
    await h.dovecot.markSeen(server.user, uid);
    const result = await h.pollImap(server);
    await h.drain();
    expect(result.fetched).toBe(1);
    expect(await polledMessageIds(h, server.id)).toEqual(ids('b1', 'b2'));
  });

  it('fetches nothing again when the folder has nothing new (RFC 9051 n:* answers the last message)', async () => {
    const server = await h.server('imap');
    await h.dovecot.deliver(server.user, mail('c1'));
    await h.dovecot.deliver(server.user, mail('c2'));
    expect((await h.pollImap(server)).fetched).toBe(2);
    // Act: UID 3:* on a folder whose largest UID is 2 answers UID 2.
    const again = await h.pollImap(server);
    await h.drain();
    expect(again).toMatchObject({ fetched: 0, backlog: 0, drained: true });
    expect(await polledMessageIds(h, server.id)).toEqual(ids('c1', 'c2'));
  });

  it('loses and duplicates nothing when mail arrives in the middle of a poll', async () => {
    const server = await h.server('imap');
    for (const t of ['d1', 'd2']) await h.dovecot.deliver(server.user, mail(t));
    let delivered = false;
    const first = await h.pollImap(server, {
      deps: h.pollDeps((d) => ({
        ...d,
        sink: {
          store: async (...args) => {
            if (!delivered) {
              delivered = true;
              await h.dovecot.deliver(server.user, mail('d3'));
            }
            return d.sink.store(...args);
          },
          enqueue: (r) => d.sink.enqueue(r),
        },
      })),
    });
    await h.pollImap(server);
    await h.drain();
    expect(first.fetched).toBeGreaterThanOrEqual(2);
    expect(await polledMessageIds(h, server.id)).toEqual(ids('d1', 'd2', 'd3'));
  });

  it('a poll killed between storing and \\Seen re-fetches on the next poll and the ledger dedupes', async () => {
    const server = await h.server('imap');
    for (const t of ['e1', 'e2', 'e3']) await h.dovecot.deliver(server.user, mail(t));
    const killed = (f: ImapFolder): ImapFolder => ({ ...bind(f), markSeen: () => Promise.reject(new Error('killed before \\Seen')) });
    await expect(h.pollImap(server, { wrapFolder: killed })).rejects.toThrow('killed');
    expect((await h.dovecot.messages(server.user)).some((m) => m.flags.includes('\\Seen'))).toBe(false);
    const next = await h.pollImap(server);
    await h.drain();
    expect(next.fetched).toBe(3);
    expect(await polledMessageIds(h, server.id)).toEqual(ids('e1', 'e2', 'e3'));
    expect((await h.dovecot.messages(server.user)).every((m) => m.flags.includes('\\Seen'))).toBe(true);
  });

  it('two overlapping polls of one server create each interaction once', async () => {
    const server = await h.server('imap');
    const tags = Array.from({ length: 12 }, (_, i) => `f${i}`);
    for (const t of tags) await h.dovecot.deliver(server.user, mail(t));
    await Promise.all([h.pollImap(server), h.pollImap(server)]);
    await h.pollImap(server);
    await h.drain();
    expect(await polledMessageIds(h, server.id)).toEqual(ids(...tags));
  });

  it('a UIDVALIDITY change resyncs the window without a second interaction', async () => {
    const server = await h.server('imap');
    for (const t of ['g1', 'g2']) await h.dovecot.deliver(server.user, mail(t));
    await h.pollImap(server);
    await h.drain();
    const before = await h.dovecot.status(server.user);
    await h.dovecot.setUidValidity(server.user, before.uidValidity + 1000);
    await h.dovecot.deliver(server.user, mail('g3'));
    const resync = await h.pollImap(server);
    await h.drain();
    expect(resync).toMatchObject({ fetched: 3, drained: true });
    expect(await polledMessageIds(h, server.id)).toEqual(ids('g1', 'g2', 'g3'));
    // The refetched copies are recognised as the same mail: no reply added, nothing reopened.
    expect((await h.items('R#')).filter((r) => String(r.pk).includes(`:${server.id}:`))).toEqual([]);
  });

  it('stops inside a budget too small to drain and the next polls resume where it stopped', async () => {
    const server = await h.server('imap');
    const tags = Array.from({ length: 250 }, (_, i) => `h${i}`);
    await h.dovecot.deliverMany(server.user, tags.map((t) => ({ raw: mail(t) })));
    // A clock that moves 100 ms per reading: the 2.5 s budget (2 s of it reserved) ends after the
    // first chunk of 100 (the budget is checked between batches: a batch FETCH is never cut).
    let ticks = 0;
    const start = Date.now();
    const slow = h.pollDeps((d) => ({ ...d, now: () => start + 100 * ticks++ }));
    const first = await h.pollImap(server, { deps: slow, deadline: start + 2_500 });
    expect(first.drained).toBe(false);
    expect(first.fetched).toBeGreaterThan(0);
    expect(first.fetched).toBeLessThan(250);
    expect(first.backlog).toBe(250 - first.fetched);
    let polls = 1;
    for (let r = first; !r.drained; polls++) {
      ticks = 0;
      r = await h.pollImap(server, { deps: h.pollDeps((d) => ({ ...d, now: () => start + 100 * ticks++ })), deadline: start + 2_500 });
    }
    await h.drain();
    expect(polls).toBeGreaterThan(2);
    expect(await polledMessageIds(h, server.id)).toEqual(ids(...tags));
  });

  it('a polled message whose queue record was lost is re-enqueued by the reconciler from its stored receipt', async () => {
    const server = await h.server('imap', { routing: { kind: 'flow', flowId: 'no-such-flow' } });
    await h.dovecot.deliver(server.user, mail('lost1'));
    const lost = h.pollDeps((d) => ({ ...d, sink: { store: (...a) => d.sink.store(...a), enqueue: async () => {} } }));
    expect((await h.pollImap(server, { deps: lost })).fetched).toBe(1);
    await h.drain();
    expect(await polledMessageIds(h, server.id)).toEqual([]);
    const report = await h.reconcile();
    await h.drain();
    expect(report.repairedKeys).toContain(`polled/${server.id}/imap/${(await h.dovecot.status(server.user)).uidValidity}/1`);
    const [found] = await h.interactions((i) => i.message.messageId === '<lost1@customer.test>');
    expect(found?.message.transport).toMatchObject({ kind: 'imap', serverId: server.id, uid: '1' });
    expect(found?.trail.some((t) => t.detail.includes('flow no-such-flow does not exist'))).toBe(true);
  });

  it('pollServer connects with the registered settings, polls and ends the session', async () => {
    const server = await h.server('imap');
    for (const t of ['w1', 'w2']) await h.dovecot.deliver(server.user, mail(t));
    const result = await pollServer(server, credentials(server), h.wiring, { deadline: Date.now() + 30_000 });
    await h.drain();
    expect(result).toMatchObject({ fetched: 2, backlog: 0, drained: true });
    expect(await polledMessageIds(h, server.id)).toEqual(ids('w1', 'w2'));
    await expect(pollServer(server, { kind: 'password', user: server.user, password: 'wrong' }, h.wiring, { deadline: Date.now() + 30_000 })).rejects.toMatchObject({ reason: 'authentication' });
  });
});

/** The folder's methods bound to it, so a test can replace one. */
function bind(f: ImapFolder): ImapFolder {
  return {
    open: () => f.open(),
    uidsFrom: (n) => f.uidsFrom(n),
    uidsSince: (d) => f.uidsSince(d),
    facts: (u) => f.facts(u),
    sources: (u) => f.sources(u),
    raw: (u) => f.raw(u),
    header: (u) => f.header(u),
    markSeen: (u) => f.markSeen(u),
  };
}
