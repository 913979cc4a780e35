/**
 * The POP3 poll (issue 10 item 5; RFC 1939; ARCHITECTURE.md decision 5): UIDL, then for each
 * message not in the server's UIDL seen-set RETR -> object storage -> inbound queue -> seen-set ->
 * DELE, and QUIT at the end. DELE takes effect only on QUIT, so a poll that dies before QUIT deletes
 * nothing; the next poll finds the fetched ones in the seen-set and deletes them without fetching
 * again, and one that died before the seen-set write fetches again under the same transport
 * identity (server, UIDL), which the ingest ledger turns into `duplicate`.
 *
 * Backfill: until the first poll has looked at every message on the server, each message's Date
 * (from its RETR when it is small, else TOP n 0) is compared with the backfill window; older mail is recorded as `skipped` in the
 * seen-set and left on the server (POP3 has no folders or flags to put it aside; deleting mail
 * Postroom never ingested would lose it). Mail without a readable Date is fetched: losing mail is
 * worse than fetching an old one. Everything fetched before that first pass is complete is
 * flagged backfill, so its auto-acknowledgement is muted.
 */
import { DEFAULT_BACKFILL_DAYS } from './server.ts';
import { headerBlock, polledReceipt, storeAndEnqueue, storeBytesThenEnqueue } from './polled-receipt.ts';
import { TaskPool } from './task-pool.ts';
import type { PollBudget, PollDeps, PolledReceipt, PolledServer, PollResult, Pop3Mailbox, RawMailContent } from './poll-ports.ts';

/** Bounds of one POP3 poll. */
export const POP3_POLL_LIMITS = {
  /** Milliseconds kept before the deadline for QUIT (which commits the deletions); no RETR starts inside it. */
  reserveMs: 2_000,
  /** Header bytes searched for the Date during the backfill: header blocks beyond 64 KiB are abuse. */
  maxDateHeaderBytes: 64 * 1024,
  /** Messages up to this size (by LIST) are read into memory and stored while the next RETR runs; larger ones stream. */
  smallMessageBytes: 1024 * 1024,
  /**
   * S3 PUTs in flight at most while RETR goes on. A store's slot ends with its PUT: its enqueue, its
   * seen-set write and its DELE follow among the commits, which hold no mail.
   */
  maxStoresInFlight: 64,
  /** Bytes of small mail held by the stores in flight at most: 64 typical mails, or 16 of 1 MiB. */
  maxStoreBytesInFlight: 16 * 1024 * 1024,
  /**
   * Stored messages waiting for their seen-set write and DELE. They hold no mail, so more may wait
   * than stores: the seen-set writes are batched (a few ms of linger) and the DELEs wait for the
   * RETR on the wire, and a store slot held through both left RETR waiting for slots.
   */
  maxCommitsInFlight: 256,
  /**
   * Small messages asked for (RETR) ahead of the one being handled, each read whole as it comes:
   * with PIPELINING their commands go out at once and the session never waits a round trip per
   * message; at most 8 MiB more held. Never past a large message, which streams on its own.
   */
  maxRetrAhead: 8,
} as const;

const DAY_MS = 86_400_000;

/**
 * Polls one POP3 maildrop until every unseen message is fetched or the budget's deadline (minus
 * {@link POP3_POLL_LIMITS}.reserveMs) is reached, then QUITs. `server.backfillDays` @default
 * {@link DEFAULT_BACKFILL_DAYS}.
 */
export async function pollPop3(server: PolledServer, box: Pop3Mailbox, deps: PollDeps, budget: PollBudget): Promise<PollResult> {
  const listing = await box.uidl();
  const sizes = new Map((await box.list()).map((m) => [m.number, m.size]));
  const seen = await deps.state.seen(server.id, listing.map((m) => m.uidl));
  const backfillDone = (await deps.state.pop3BackfillDone(server.id)) !== undefined;
  const since = deps.now() - (server.backfillDays ?? DEFAULT_BACKFILL_DAYS) * DAY_MS;
  const outOfTime = () => deps.now() >= budget.deadline - POP3_POLL_LIMITS.reserveMs;

  // Fetched by an earlier poll that ended before its QUIT: stored and enqueued already, delete now.
  await Promise.all(listing.filter((m) => seen.get(m.uidl) === 'fetched').map((m) => box.dele(m.number)));

  const fresh = listing.filter((m) => !seen.has(m.uidl));
  const stores = new TaskPool(POP3_POLL_LIMITS.maxStoresInFlight, POP3_POLL_LIMITS.maxStoreBytesInFlight);
  const commits = new TaskPool(POP3_POLL_LIMITS.maxCommitsInFlight);
  const counts = { fetched: 0, skipped: 0, tooLarge: 0 };
  const small = (k: number) => (sizes.get(fresh[k]!.number) ?? 0) <= POP3_POLL_LIMITS.smallMessageBytes;
  // Small messages asked for ahead, by index in `fresh`: each read whole as it arrives (a RETR must
  // be consumed before the next answer), so the session goes on whatever this loop waits for.
  const ahead = new Map<number, Promise<Uint8Array>>();
  let next = 0;
  for (; next < fresh.length && !outOfTime(); next++) {
    const m = fresh[next]!;
    const size = sizes.get(m.number) ?? 0;
    for (let k = next; k < Math.min(next + POP3_POLL_LIMITS.maxRetrAhead, fresh.length) && small(k); k++) {
      if (ahead.has(k)) continue;
      const read = box.retr(fresh[k]!.number).then(readAll);
      read.catch(() => {}); // awaited in turn below, or dropped with the failed poll
      ahead.set(k, read);
    }
    const bytes = small(next) ? await ahead.get(next)! : undefined;
    ahead.delete(next);
    if (!backfillDone) {
      // Small mail is read whole anyway: its own header block gives the Date, saving a TOP round trip each.
      const date = dateOf(bytes ? headerBlock(bytes) : await box.top(m.number, 0));
      if (date !== undefined && date < since) {
        await stores.add(() => deps.state.markSeen(server.id, m.uidl, 'skipped', new Date(deps.now())));
        counts.skipped++;
        continue;
      }
    }
    const receipt = polledReceipt(server, { kind: 'pop3', serverId: server.id, uidl: m.uidl }, new Date(deps.now()), !backfillDone);
    // Only after it is stored and enqueued: the seen-set, then DELE (committed by QUIT below).
    const finish = async (stored: 'stored' | 'too-large' | 'gone') => {
      await deps.state.markSeen(server.id, m.uidl, 'fetched', new Date(deps.now()));
      await box.dele(m.number);
      counts.fetched++;
      if (stored === 'too-large') counts.tooLarge++;
    };
    if (bytes) {
      await stores.add(storeThenCommit(deps, receipt, bytes, commits, finish), bytes.byteLength);
    } else {
      await finish(await storeAndEnqueue(deps.sink, receipt, size, () => box.retr(m.number), () => box.top(m.number, 0)));
    }
  }
  // Asked for ahead but not reached (out of time): read already or being read; nothing stored.
  await Promise.allSettled(ahead.values());
  await stores.drain();
  await commits.drain();
  const drained = next >= fresh.length;
  if (drained && !backfillDone) await deps.state.setPop3BackfillDone(server.id, new Date(deps.now()));
  await box.quit();
  return {
    ...counts,
    backlog: fresh.length - next,
    drained,
    ...(!backfillDone && { backfill: { since: new Date(since).toISOString(), resync: false, done: drained } }),
  };
}

/**
 * A store task for `bytes`: it ends (letting go of the mail and its slot) once the message is
 * stored and its commit has a place in `commits`; the commit waits for the enqueue, then writes
 * the seen-set and DELEs (store -> enqueue -> seen-set -> DELE). A function of its own so that the
 * commit's closure does not keep the bytes alive.
 */
function storeThenCommit(deps: PollDeps, receipt: PolledReceipt, bytes: Uint8Array, commits: TaskPool, commit: (stored: 'stored' | 'too-large' | 'gone') => Promise<void>) {
  return async () => {
    const { result, enqueued } = await storeBytesThenEnqueue(deps.sink, receipt, bytes);
    await commits.add(async () => {
      await enqueued;
      await commit(result);
    });
  };
}

async function readAll(content: RawMailContent): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of content) chunks.push(chunk), (length += chunk.byteLength);
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) out.set(chunk, at), (at += chunk.byteLength);
  return out;
}

/** The Date header of a header block, or undefined when there is none or it does not parse. */
export function dateOf(header: Uint8Array): number | undefined {
  const text = new TextDecoder('latin1').decode(header.subarray(0, POP3_POLL_LIMITS.maxDateHeaderBytes));
  const match = /(?:^|\r?\n)date:[ \t]*([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/i.exec(text);
  if (!match) return undefined;
  // RFC 5322 3.3 allows comments (CFWS) and folding; JavaScript's parser takes the rest.
  const value = match[1]!.replace(/\r?\n[ \t]/g, ' ').replace(/\([^()]*\)/g, ' ').trim();
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
