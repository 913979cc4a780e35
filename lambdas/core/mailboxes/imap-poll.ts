/**
 * The IMAP poll (issue 10 item 5; ARCHITECTURE.md decision 5): fetch `UID last+1:*` against the
 * (UIDVALIDITY, last UID) cursor of the server folder, never by UNSEEN or SINCE, so mail someone
 * read (or flagged) in another client is fetched all the same. Per message: raw bytes to object
 * storage, the receipt onto the inbound queue, only then \Seen, then the cursor.
 *
 * Crash safety: the cursor moves per chunk, in order, after its messages are stored, enqueued and
 * flagged (ordered-commits.ts: the next chunks are fetched meanwhile); a crash anywhere before
 * re-fetches the uncommitted chunks under the same transport identity (server, UIDVALIDITY, UID),
 * which the ingest ledger turns into `duplicate`, never a second interaction.
 */
import { DEFAULT_BACKFILL_DAYS, DEFAULT_IMAP_FOLDER } from './server.ts';
import { imapTransport, polledReceipt, storeAndEnqueue, storeBytesThenEnqueue } from './polled-receipt.ts';
import { OrderedCommits } from './ordered-commits.ts';
import { TaskPool } from './task-pool.ts';
import type { ImapCursor, ImapFolder, ImapFolderStatus, ImapMessageFacts, PollBudget, PollDeps, PolledServer, PollResult } from './poll-ports.ts';

/** Bounds of one IMAP poll. */
export const IMAP_POLL_LIMITS = {
  /**
   * UIDs per chunk: the unit of \Seen and the cursor write (chunks ready together are committed
   * as one). A chunk's commit runs while the next chunks are fetched.
   */
  maxChunkUids: 100,
  /**
   * Chunks fetched but not yet committed at most: the fetch waits beyond, so a crash re-fetches
   * at most 500 messages (the ledger dedupes them) and the deadline's reserve covers one commit.
   */
  maxChunksInFlight: 5,
  /** UIDs per FETCH of facts (size, INTERNALDATE): one round trip per 1,000 rather than per chunk. */
  maxFactsUids: 1_000,
  /**
   * Milliseconds kept before the deadline for the last chunk's \Seen, its cursor write and LOGOUT;
   * no message download is started inside it.
   */
  reserveMs: 2_000,
  /**
   * Messages up to this size are fetched in batches (one FETCH) and stored from memory; larger ones
   * stream one by one, so memory stays bounded by the batch, not by a 40 MB message.
   */
  smallMessageBytes: 1024 * 1024,
  /** Bytes of one batch FETCH held in memory at most (a few hundred typical mails per round trip). */
  maxBatchBytes: 8 * 1024 * 1024,
  /**
   * S3 PUTs in flight at most while fetching goes on: one costs several fetches (from a Lambda, a
   * network round trip of its own), so many keep the session busy. A store's slot ends with its PUT;
   * its receipt then waits for a queue batch without holding the slot or the mail's bytes.
   */
  maxStoresInFlight: 64,
  /** Bytes of mail held by the stores in flight at most: 64 typical mails, or 16 of 1 MiB. */
  maxStoreBytesInFlight: 16 * 1024 * 1024,
} as const;

const DAY_MS = 86_400_000;

/**
 * Polls one IMAP folder (`server.imapFolder`, @default INBOX) until it is drained or the budget's
 * deadline (minus {@link IMAP_POLL_LIMITS}.reserveMs) is reached; the next poll resumes at the
 * cursor. The first poll, and the first after a UIDVALIDITY change, start with the bounded backfill
 * ({@link startCursor}).
 */
export async function pollImap(server: PolledServer, folder: ImapFolder, deps: PollDeps, budget: PollBudget): Promise<PollResult> {
  const name = server.imapFolder ?? DEFAULT_IMAP_FOLDER;
  const status = await folder.open();
  const stored = await deps.state.cursor(server.id, name);
  let cursor: ImapCursor;
  if (stored && stored.uidValidity === status.uidValidity) cursor = stored;
  else {
    cursor = await startCursor(server, folder, status, deps.now(), stored !== undefined);
    // Another poll started (or resynced) this folder meanwhile: it is doing the work.
    if (!(await deps.state.advance(server.id, name, stored, cursor))) return idle(status.exists);
  }

  // RFC 9051 6.4.8 / 2.3.1.1: `n:*` with n above the largest UID still answers the message with the
  // largest UID (a range is unordered: `n:*` means `largest:n`), so what the cursor has covered
  // already comes back when the folder has nothing new. Drop it rather than fetch it again.
  const last = cursor.lastUid;
  const pending = (await folder.uidsFrom(last + 1)).filter((uid) => uid > last).sort((a, b) => a - b);
  const outOfTime = () => deps.now() >= budget.deadline - IMAP_POLL_LIMITS.reserveMs;
  const counts = { fetched: 0, skipped: 0, tooLarge: 0 };
  const backfill = cursor.backfill;
  const receipt = (uid: number) =>
    polledReceipt(server, imapTransport(server.id, status.uidValidity, uid), new Date(deps.now()), backfill !== undefined && uid <= backfill.throughUid);
  const stores = new TaskPool(IMAP_POLL_LIMITS.maxStoresInFlight, IMAP_POLL_LIMITS.maxStoreBytesInFlight);
  // What the commits reached: the cursor and the index in `pending` past the last committed chunk.
  const committed = { cursor, next: 0 };
  const commits = new OrderedCommits<ImapChunk>(IMAP_POLL_LIMITS.maxChunksInFlight, async (group) => {
    // Only after the chunks are stored and enqueued: \Seen, then the cursor (the product's promise).
    const done = group.flatMap((c) => c.done).sort((a, b) => a - b);
    if (done.length > 0) await folder.markSeen(done);
    const last = group.at(-1)!;
    const moved = advanced(committed.cursor, last.lastUid);
    counts.fetched += done.length;
    counts.tooLarge += group.reduce((n, c) => n + c.tooLarge, 0);
    const ok = await deps.state.advance(server.id, name, committed.cursor, moved);
    // Refused: an overlapping poll moved the cursor; it fetches the rest, the ledger dedupes what both fetched.
    Object.assign(committed, { cursor: moved, next: last.next });
    return ok;
  });

  let next = 0;
  let lastUid = cursor.lastUid;
  let facts = new Map<number, ImapMessageFacts>();
  let factsEnd = 0;
  try {
    while (next < pending.length && !outOfTime() && !commits.stopped) {
      // Facts for a span of chunks in one round trip; a chunk never reaches past the span.
      if (next >= factsEnd) {
        factsEnd = next + IMAP_POLL_LIMITS.maxFactsUids;
        facts = new Map((await folder.facts(pending.slice(next, factsEnd))).map((f) => [f.uid, f]));
      }
      const chunk = pending.slice(next, Math.min(next + IMAP_POLL_LIMITS.maxChunkUids, factsEnd));
      const entry: ImapChunk = { done: [], tooLarge: 0, lastUid, next };
      const settled: Promise<void>[] = [];
      const stored = (uid: number, result: 'stored' | 'too-large' | 'gone') => {
        if (result !== 'gone') entry.done.push(uid);
        if (result === 'too-large') entry.tooLarge++;
      };
      let i = 0;
      while (i < chunk.length && !outOfTime()) {
        // A batch of small messages, fetched in one command and stored from memory while it goes on.
        const batch: number[] = [];
        let bytes = 0;
        for (; i < chunk.length; i++) {
          const uid = chunk[i]!;
          const f = facts.get(uid);
          if (f && f.size > IMAP_POLL_LIMITS.smallMessageBytes) {
            if (batch.length > 0) break;
            // Large mail streams on its own, inline: no other command may run during a batch FETCH.
            stored(uid, await storeAndEnqueue(deps.sink, receipt(uid), f.size, () => folder.raw(uid), () => folder.header(uid)));
            entry.lastUid = uid;
            i++;
            break;
          }
          if (f && batch.length > 0 && bytes + f.size > IMAP_POLL_LIMITS.maxBatchBytes) break;
          if (f && backfill && uid <= backfill.throughUid && f.internalDate.getTime() < Date.parse(backfill.since)) counts.skipped++;
          else if (f) (batch.push(uid), (bytes += f.size));
          // An expunged UID (no facts, or absent from the FETCH answer) is passed: it never comes back.
          entry.lastUid = uid;
        }
        for await (const { uid, source } of batch.length > 0 ? folder.sources(batch) : []) {
          // The slot ends with the PUT; the chunk waits for the enqueue as well (store -> enqueue -> \Seen).
          let enqueued: Promise<void> = Promise.resolve();
          const put = await stores.start(async () => {
            const done = await storeBytesThenEnqueue(deps.sink, receipt(uid), source);
            enqueued = done.enqueued.then(() => stored(uid, done.result), (err: unknown) => (stores.fail(err), Promise.reject(err)));
          }, source.byteLength);
          const message = put.settled.then(() => enqueued);
          message.catch(() => {}); // the chunk's commit (or the failed poll) takes its outcome
          settled.push(message);
        }
      }
      if (i === 0) break; // out of time before its first batch
      next += i;
      (entry.next = next), (lastUid = entry.lastUid);
      // Committed once its stores settled, while the next chunks are fetched.
      await commits.add(entry, Promise.all(settled));
    }
    await stores.drain();
    await commits.drain();
  } catch (err) {
    // Nothing more is flagged or passed by the cursor once the poll failed; the next poll re-fetches.
    await commits.abandon();
    await stores.drain().catch(() => {});
    throw err;
  }
  const refused = commits.stopped;
  return result(counts, pending.length - (refused ? committed.next : next), !refused && next >= pending.length, committed.cursor);
}

/** One chunk of the poll, waiting for its commit. */
interface ImapChunk {
  /** UIDs stored and enqueued (to flag \Seen). */
  readonly done: number[];
  tooLarge: number;
  /** The cursor after this chunk: every UID up to it stored, skipped or expunged. */
  lastUid: number;
  /** The index in the pending UIDs past this chunk. */
  next: number;
}

/**
 * The cursor of a first poll (no cursor) or a resync (UIDVALIDITY changed: every UID is new).
 * Bounded backfill: only mail whose INTERNALDATE is within `server.backfillDays` (@default
 * {@link DEFAULT_BACKFILL_DAYS}) is fetched, never years of history.
 *
 * Why one `SEARCH SINCE` here does not break "never by SINCE": it only places the start of the
 * cursor, once. What is fetched is still decided by UID (every UID from that start on, filtered by
 * its exact INTERNALDATE up to the UIDs that existed now; all later UIDs unconditionally), so a
 * message's \Seen flag never matters and no later poll searches by date. SINCE is day-granular and
 * ignores the time zone, so the search starts a day early and the exact date decides.
 *
 * The resync refetches the window under the new UIDVALIDITY: a new transport identity, so mail
 * ingested before reaches routing again, where its Message-ID and content hash make it a probable
 * duplicate that joins its first interaction (core/routing/threading.ts): no second interaction.
 */
export async function startCursor(server: PolledServer, folder: ImapFolder, status: ImapFolderStatus, now: number, resync: boolean): Promise<ImapCursor> {
  const since = now - (server.backfillDays ?? DEFAULT_BACKFILL_DAYS) * DAY_MS;
  const throughUid = Math.max(status.uidNext - 1, 0);
  const candidates = status.exists === 0 ? [] : (await folder.uidsSince(new Date(since - DAY_MS))).filter((uid) => uid <= throughUid);
  if (candidates.length === 0) return { uidValidity: status.uidValidity, lastUid: throughUid };
  return {
    uidValidity: status.uidValidity,
    lastUid: Math.min(...candidates) - 1,
    backfill: { since: new Date(since).toISOString(), throughUid, ...(resync && { resync: true }) },
  };
}

/** The cursor after `lastUid`; the backfill marker goes once the cursor passes it. */
function advanced(cursor: ImapCursor, lastUid: number): ImapCursor {
  if (cursor.backfill && lastUid >= cursor.backfill.throughUid) return { uidValidity: cursor.uidValidity, lastUid };
  return { ...cursor, lastUid };
}

function result(counts: { fetched: number; skipped: number; tooLarge: number }, backlog: number, drained: boolean, cursor: ImapCursor): PollResult {
  return {
    ...counts,
    backlog,
    drained,
    ...(cursor.backfill && { backfill: { since: cursor.backfill.since, resync: cursor.backfill.resync === true, done: false } }),
  };
}

function idle(exists: number): PollResult {
  return { fetched: 0, backlog: exists, drained: false, skipped: 0, tooLarge: 0 };
}
