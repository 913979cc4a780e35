/**
 * {@link ImapFolder} over an authenticated imapflow session: one IMAP command per method
 * (RFC 9051), every fetch with BODY.PEEK so that fetching never sets \Seen by itself: \Seen is
 * added explicitly, only after the message is stored and enqueued.
 */
import type { ImapFlow } from 'imapflow';
import type { ImapFolder, ImapFolderStatus, ImapMessageFacts, RawMailContent } from '../../core/mailboxes/poll-ports.ts';

/** The folder `path` of the session `client` (already connected and logged in). */
export class ImapFlowFolder implements ImapFolder {
  constructor(
    private readonly client: ImapFlow,
    private readonly path: string,
  ) {}

  /** SELECT (RFC 9051 6.3.2), read-write so that \Seen can be stored. */
  async open(): Promise<ImapFolderStatus> {
    const mailbox = await this.client.mailboxOpen(this.path);
    return { uidValidity: String(mailbox.uidValidity), uidNext: mailbox.uidNext, exists: mailbox.exists };
  }

  /** UID SEARCH UID from:* (RFC 9051 6.4.4). */
  async uidsFrom(from: number): Promise<number[]> {
    return (await this.client.search({ uid: `${from}:*` }, { uid: true })) || [];
  }

  /** UID SEARCH SINCE date (RFC 9051 6.4.4; day granularity). */
  async uidsSince(date: Date): Promise<number[]> {
    return (await this.client.search({ since: date }, { uid: true })) || [];
  }

  /** UID FETCH uids (UID RFC822.SIZE INTERNALDATE) (RFC 9051 6.4.5). */
  async facts(uids: readonly number[]): Promise<ImapMessageFacts[]> {
    if (uids.length === 0) return [];
    const messages = await this.client.fetchAll(uidSet(uids), { uid: true, size: true, internalDate: true }, { uid: true });
    return messages.map((m) => ({ uid: m.uid, size: m.size ?? 0, internalDate: new Date(m.internalDate ?? 0) }));
  }

  /** UID FETCH uids BODY.PEEK[] (RFC 9051 6.4.5): one command for a batch of small messages. */
  async *sources(uids: readonly number[]): AsyncIterable<{ readonly uid: number; readonly source: Uint8Array }> {
    if (uids.length === 0) return;
    for await (const m of this.client.fetch(uidSet(uids), { uid: true, source: true }, { uid: true })) if (m.source) yield { uid: m.uid, source: m.source };
  }

  /** UID FETCH uid BODY.PEEK[] as a stream (imapflow's download fetches in partial chunks). */
  async raw(uid: number): Promise<RawMailContent | undefined> {
    const download = await this.client.download(String(uid), undefined, { uid: true });
    return download.content;
  }

  /** UID FETCH uid BODY.PEEK[HEADER]. */
  async header(uid: number): Promise<Uint8Array | undefined> {
    const message = await this.client.fetchOne(String(uid), { headers: true }, { uid: true });
    return message ? message.headers : undefined;
  }

  /** UID STORE uids +FLAGS.SILENT (\Seen) (RFC 9051 6.4.6). */
  async markSeen(uids: readonly number[]): Promise<void> {
    await this.client.messageFlagsAdd(uidSet(uids), ['\\Seen'], { uid: true, silent: true } as Parameters<ImapFlow['messageFlagsAdd']>[2]);
  }
}

/**
 * An IMAP sequence set (RFC 9051 9, sequence-set) of exactly `uids`: runs of consecutive UIDs as
 * `a:b`, so that a \Seen of 1,000 UIDs or facts of a span is a short command line for the server
 * to parse. Only numerically consecutive UIDs are joined, so the set names no UID it was not given.
 */
export function uidSet(uids: readonly number[]): string {
  const sorted = [...uids].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]! <= sorted[j]! + 1) j++;
    parts.push(sorted[i] === sorted[j] ? String(sorted[i]) : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
