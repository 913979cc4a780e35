/**
 * The IMAP poll algorithm over in-memory ports: the orders and bounds the Dovecot tests cannot
 * force (a server announcing mail over 40 MB, a cursor moved by another poll, the n:* answer).
 */
import { describe, expect, it } from 'vitest';
import { pollImap } from '../../../../lambdas/core/mailboxes/imap-poll.ts';
import type { ImapCursor, ImapFolder, PollDeps, PolledServer, PollStateStore, RawMailSink } from '../../../../lambdas/core/mailboxes/poll-ports.ts';
import { MAIL_LIMITS } from '../../../../lambdas/core/limits.ts';
import type { ReceiptInfo } from '../../../../lambdas/core/message.ts';

const server: PolledServer = { id: 'srv', type: 'imap', user: 'help@example.test', routing: { kind: 'address', address: 'help@example.test' } };
const NOW = Date.parse('2026-11-26T12:00:00Z');

function folder(messages: { uid: number; size?: number; days?: number }[], log: string[]): ImapFolder {
  return {
    open: async () => ({ uidValidity: '7', uidNext: Math.max(0, ...messages.map((m) => m.uid)) + 1, exists: messages.length }),
    // Like a server, `n:*` with n above the largest UID answers the largest message.
    uidsFrom: async (n) => {
      const found = messages.filter((m) => m.uid >= n).map((m) => m.uid);
      return found.length > 0 || messages.length === 0 ? found : [messages.at(-1)!.uid];
    },
    uidsSince: async (d) => messages.filter((m) => NOW - (m.days ?? 0) * 86_400_000 >= d.getTime()).map((m) => m.uid),
    facts: async (uids) => messages.filter((m) => uids.includes(m.uid)).map((m) => ({ uid: m.uid, size: m.size ?? 100, internalDate: new Date(NOW - (m.days ?? 0) * 86_400_000) })),
    sources: async function* (uids) {
      log.push(`fetch ${uids.join(',')}`);
      for (const uid of uids) yield { uid, source: new TextEncoder().encode(`Subject: ${uid}\r\n\r\nbody`) };
    },
    raw: async (uid) => (log.push(`raw ${uid}`), once(new TextEncoder().encode(`Subject: ${uid}\r\n\r\nbody`))),
    header: async (uid) => (log.push(`header ${uid}`), new TextEncoder().encode(`Subject: ${uid}\r\n\r\n`)),
    markSeen: async (uids) => void log.push(`seen ${uids.join(',')}`),
  };
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

function deps(log: string[], cursor?: ImapCursor, advance = true): PollDeps & { enqueued: ReceiptInfo[] } {
  const enqueued: ReceiptInfo[] = [];
  let stored = cursor;
  const sink: RawMailSink = {
    store: async (r, _c, _m, tooLarge) => (log.push(`store ${r.transport.kind === 'imap' ? r.transport.uid : ''}`), { bucket: 'b', key: `k${log.length}`, size: tooLarge?.bytes ?? 10 }),
    enqueue: async (r) => void (enqueued.push(r), log.push('enqueue')),
  };
  const state = {
    cursor: async () => stored,
    advance: async (_s: string, _f: string, _e: ImapCursor | undefined, next: ImapCursor) => {
      log.push(`cursor ${next.lastUid}`);
      if (advance) stored = next;
      return advance;
    },
  } as unknown as PollStateStore;
  return { sink, state, now: () => NOW, enqueued };
}

describe('pollImap', () => {
  it('stores and enqueues each message, then \\Seen, then moves the cursor', async () => {
    const log: string[] = [];
    const d = deps(log, { uidValidity: '7', lastUid: 1 });
    const result = await pollImap(server, folder([{ uid: 1 }, { uid: 2 }, { uid: 3 }], log), d, { deadline: NOW + 60_000 });
    expect(result).toMatchObject({ fetched: 2, backlog: 0, drained: true });
    expect(log.slice(0, 1)).toEqual(['fetch 2,3']);
    expect(log.filter((l) => l.startsWith('store')).sort()).toEqual(['store 2', 'store 3']);
    expect(log.slice(-2)).toEqual(['seen 2,3', 'cursor 3']);
  });

  it('drops the message `n:*` answers when nothing is new (RFC 9051)', async () => {
    const log: string[] = [];
    const result = await pollImap(server, folder([{ uid: 1 }, { uid: 2 }], log), deps(log, { uidValidity: '7', lastUid: 2 }), { deadline: NOW + 60_000 });
    expect(result).toMatchObject({ fetched: 0, drained: true });
    expect(log).toEqual([]);
  });

  it('stores mail announced over 40 MB as its header block with the real size, so ingest quarantines it as too large', async () => {
    const log: string[] = [];
    const d = deps(log, { uidValidity: '7', lastUid: 0 });
    const result = await pollImap(server, folder([{ uid: 1, size: MAIL_LIMITS.maxMessageBytes + 5 }], log), d, { deadline: NOW + 60_000 });
    expect(result).toMatchObject({ fetched: 1, tooLarge: 1 });
    expect(log).toEqual(['header 1', 'store 1', 'enqueue', 'seen 1', 'cursor 1']);
    expect(d.enqueued[0]?.raw.size).toBe(MAIL_LIMITS.maxMessageBytes + 5);
  });

  it('stops when another poll moved the cursor', async () => {
    const log: string[] = [];
    const many = Array.from({ length: 250 }, (_, i) => ({ uid: i + 1 }));
    const result = await pollImap(server, folder(many, log), deps(log, { uidValidity: '7', lastUid: 0 }, false), { deadline: NOW + 60_000 });
    expect(result).toMatchObject({ fetched: 100, backlog: 150, drained: false });
  });

  it('first poll: starts at the backfill window and flags what it fetches from it; a UIDVALIDITY change does the same as a resync', async () => {
    const log: string[] = [];
    const box = [{ uid: 1, days: 30 }, { uid: 2, days: 3 }, { uid: 3, days: 20 }, { uid: 4, days: 1 }];
    const first = deps(log);
    const result = await pollImap(server, folder(box, log), first, { deadline: NOW + 60_000 });
    expect(result).toMatchObject({ fetched: 2, skipped: 1, drained: true });
    expect(first.enqueued.map((r) => [r.transport.kind === 'imap' && r.transport.uid, r.mailbox?.backfill])).toEqual([['2', true], ['4', true]]);
    const resync = deps([], { uidValidity: '6', lastUid: 99 });
    expect(await pollImap({ ...server, backfillDays: 2 }, folder(box, []), resync, { deadline: NOW + 60_000 })).toMatchObject({ fetched: 1 });
  });

  it('frees a store slot once its PUT is done: receipts waiting for the queue hold no slot', async () => {
    const log: string[] = [];
    const d = deps(log, { uidValidity: '7', lastUid: 0 });
    let release!: () => void;
    const queueTakes = new Promise<void>((r) => (release = r));
    const sink: RawMailSink = { store: d.sink.store, enqueue: async (r) => (await queueTakes, d.sink.enqueue(r)) };
    const box = Array.from({ length: 100 }, (_, i) => ({ uid: i + 1 }));
    const poll = pollImap(server, folder(box, log), { ...d, sink }, { deadline: NOW + 60_000 });
    // More stores than IMAP_POLL_LIMITS.maxStoresInFlight (64) went through while no receipt was enqueued.
    await new Promise((r) => setTimeout(r, 50));
    expect(log.filter((l) => l.startsWith('store')).length).toBe(100);
    expect(log.some((l) => l.startsWith('seen') || l.startsWith('cursor'))).toBe(false);
    release();
    expect(await poll).toMatchObject({ fetched: 100, drained: true });
    expect(log.slice(-2)).toEqual([`seen ${box.map((m) => m.uid).join(',')}`, 'cursor 100']);
  });

  it('a receipt the queue refuses: nothing is flagged \\Seen, the cursor stays and the poll fails', async () => {
    const log: string[] = [];
    const d = deps(log, { uidValidity: '7', lastUid: 0 });
    const sink: RawMailSink = {
      store: d.sink.store,
      enqueue: async (r) => {
        if (r.transport.kind === 'imap' && r.transport.uid === '3') throw new Error('queue unavailable');
        await d.sink.enqueue(r);
      },
    };
    const box = Array.from({ length: 5 }, (_, i) => ({ uid: i + 1 }));
    await expect(pollImap(server, folder(box, log), { ...d, sink }, { deadline: NOW + 60_000 })).rejects.toThrow('queue unavailable');
    expect(log.some((l) => l.startsWith('seen') || l.startsWith('cursor'))).toBe(false);
  });
});
