/**
 * The ports the mailbox pollers run over (issue 10 item 5; ARCHITECTURE.md decisions 3-5): a
 * selected IMAP folder, a POP3 maildrop, where raw mail goes (object storage and the inbound
 * queue), and where the poll state (IMAP cursor, POP3 seen-set) lives. Core decides what to fetch
 * and in which order; adapters speak IMAP, POP3, S3, SQS and DynamoDB behind these.
 */
import type { BlobRef, ReceiptInfo, TransportIdentity } from '../message.ts';
import type { MailServer } from './server.ts';

/** Raw message bytes as they arrive from the server (a Node stream is one). */
export type RawMailContent = AsyncIterable<Uint8Array>;

/** What SELECT (RFC 9051 6.3.2) says about the polled folder. */
export interface ImapFolderStatus {
  /** UIDVALIDITY as a decimal string (up to 2^32-1). */
  readonly uidValidity: string;
  /** The UID the next delivered message will get (a lower bound: RFC 9051 2.3.1.1). */
  readonly uidNext: number;
  /** Messages in the folder. */
  readonly exists: number;
}

/** One message's facts from `UID FETCH (UID RFC822.SIZE INTERNALDATE)`. */
export interface ImapMessageFacts {
  readonly uid: number;
  readonly size: number;
  readonly internalDate: Date;
}

/** A selected IMAP folder; every method is one IMAP command (RFC 9051). */
export interface ImapFolder {
  /** SELECT (or EXAMINE-free SELECT) the folder. */
  open(): Promise<ImapFolderStatus>;
  /** `UID SEARCH UID from:*`: the UIDs at or above `from`, ascending; see the `n:*` rule in imap-poll.ts. */
  uidsFrom(from: number): Promise<number[]>;
  /** `UID SEARCH SINCE date`: the UIDs whose INTERNALDATE is on or after `date`'s day (day granularity). */
  uidsSince(date: Date): Promise<number[]>;
  /** `UID FETCH uids (RFC822.SIZE INTERNALDATE)`; an expunged UID is simply absent. */
  facts(uids: readonly number[]): Promise<ImapMessageFacts[]>;
  /**
   * `UID FETCH uids BODY.PEEK[]` in one command: each message's bytes, in memory (the caller asks
   * only for small ones). The caller issues no other command of this session while iterating.
   */
  sources(uids: readonly number[]): AsyncIterable<{ readonly uid: number; readonly source: Uint8Array }>;
  /** `UID FETCH uid BODY.PEEK[]` as a stream (PEEK: fetching must not set \Seen); undefined when expunged. */
  raw(uid: number): Promise<RawMailContent | undefined>;
  /** `UID FETCH uid BODY.PEEK[HEADER]`: the header block only (for mail too large to store). */
  header(uid: number): Promise<Uint8Array | undefined>;
  /** `UID STORE uids +FLAGS (\Seen)`. */
  markSeen(uids: readonly number[]): Promise<void>;
}

/** One message of a POP3 maildrop (the shape of adapters/mailboxes/session-types.ts Pop3Listing). */
export interface Pop3MessageRef {
  readonly number: number;
  readonly uidl: string;
}

/** A POP3 maildrop in TRANSACTION state (RFC 1939); a Pop3Client satisfies it. */
export interface Pop3Mailbox {
  uidl(): Promise<Pop3MessageRef[]>;
  list(): Promise<Array<{ readonly number: number; readonly size: number }>>;
  /** TOP n 0: the header block. */
  top(number: number, lines?: number): Promise<Uint8Array>;
  /** RETR n as a stream; it errors beyond `maxBytes`. */
  retr(number: number, maxBytes?: number): Promise<RawMailContent>;
  /** DELE n: takes effect on QUIT only. */
  dele(number: number): Promise<void>;
  /** QUIT: commits the deletions. */
  quit(): Promise<void>;
}

/** The receipt facts of one polled message before it is stored (everything but the raw pointer). */
export type PolledReceipt = Omit<ReceiptInfo, 'raw'> & { readonly transport: Extract<TransportIdentity, { kind: 'imap' | 'pop3' }> };

/** Where polled mail goes: object storage first, then the inbound queue (claim check, decision 3). */
export interface RawMailSink {
  /**
   * Streams `content` into object storage under the message's transport identity, with the
   * receipt beside it (so the reconciler can re-enqueue it); rejects with {@link PolledMailTooLargeError}
   * past `maxBytes`. Storing the same identity twice overwrites the same object. `tooLarge`: the
   * content is only the header block of a message of `bytes` (kept beside the receipt, so a
   * recovered record still says too large); the BlobRef answers that size.
   */
  store(receipt: PolledReceipt, content: RawMailContent, maxBytes: number, tooLarge?: { readonly bytes: number }): Promise<BlobRef>;
  /** Puts the stored message on the inbound queue (a polled-receipt record). */
  enqueue(receipt: ReceiptInfo): Promise<void>;
}

/** The store rejected a message beyond the size limit (the server announced less than it sent). */
export class PolledMailTooLargeError extends Error {
  constructor(readonly bytes: number) {
    super(`message exceeds ${bytes} bytes`);
    this.name = 'PolledMailTooLargeError';
  }
}

/**
 * The IMAP cursor of one server folder (decision 5). Mail with UID <= `lastUid` under
 * `uidValidity` has been stored and enqueued. While `backfill` is set, UIDs up to `throughUid`
 * existed at the first poll (or the resync) and are fetched only when their INTERNALDATE is on or
 * after `since`, flagged as backfill; UIDs above it are new mail.
 */
export interface ImapCursor {
  readonly uidValidity: string;
  readonly lastUid: number;
  readonly backfill?: { readonly since: string; readonly throughUid: number; readonly resync?: boolean };
}

/** What a POP3 UIDL in the seen-set means: fetched (stored and enqueued) or skipped (outside the backfill window, left on the server). */
export type Pop3SeenState = 'fetched' | 'skipped';

/** The poll state per server: the IMAP cursor per folder and the POP3 UIDL seen-set. */
export interface PollStateStore {
  cursor(serverId: string, folder: string): Promise<ImapCursor | undefined>;
  /**
   * Replaces the cursor only if it still is `expected` (undefined: none stored): false when another
   * poll moved it meanwhile, so two overlapping polls never move it back or advance it twice.
   */
  advance(serverId: string, folder: string, expected: ImapCursor | undefined, next: ImapCursor): Promise<boolean>;
  /** The seen-set entries of `uidls` (absent: never seen). */
  seen(serverId: string, uidls: readonly string[]): Promise<Map<string, Pop3SeenState>>;
  /** Adds (or overwrites) one seen-set entry. */
  markSeen(serverId: string, uidl: string, state: Pop3SeenState, at: Date): Promise<void>;
  /** When the first POP3 poll finished examining the maildrop (the backfill), if it did. */
  pop3BackfillDone(serverId: string): Promise<string | undefined>;
  /** Records that the backfill examination is complete. */
  setPop3BackfillDone(serverId: string, at: Date): Promise<void>;
}

/** What a poll needs besides the session. */
export interface PollDeps {
  readonly sink: RawMailSink;
  readonly state: PollStateStore;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

/** What one poll did. */
export interface PollResult {
  /** Messages stored and enqueued by this poll. */
  readonly fetched: number;
  /** Messages still waiting on the server (IMAP: beyond the cursor; POP3: not yet fetched). */
  readonly backlog: number;
  /** True when nothing is left to fetch (the budget did not stop the poll). */
  readonly drained: boolean;
  /** Mail left on the server because it predates the backfill window (counted this poll). */
  readonly skipped: number;
  /** Messages over the size limit, stored as a header-only quarantine receipt. */
  readonly tooLarge: number;
  /** Set while a first-poll backfill or a UIDVALIDITY resync is in progress or just finished. */
  readonly backfill?: { readonly since: string; readonly resync: boolean; readonly done: boolean };
}

/** The time budget of one poll. */
export interface PollBudget {
  /** Epoch milliseconds by which the poll must have returned. */
  readonly deadline: number;
}

/** The server fields a poll reads. */
export type PolledServer = Pick<MailServer, 'id' | 'type' | 'user' | 'routing' | 'imapFolder' | 'backfillDays'>;
