/**
 * The receipt facts of a polled message, and storing plus enqueuing it (the claim check of
 * decision 3), shared by the IMAP and POP3 pollers.
 */
import { PermanentError } from '../errors.ts';
import { MAIL_LIMITS } from '../limits.ts';
import type { ReceiptInfo, TransportIdentity, Verdicts } from '../message.ts';
import { isMailAddress } from '../routing/address-route-rules.ts';
import { PolledMailTooLargeError, type PolledReceipt, type PolledServer, type RawMailContent, type RawMailSink } from './poll-ports.ts';

/**
 * The verdicts of polled mail: Postroom ran no spam or virus scan and checked no SPF, DKIM or
 * DMARC (the mailbox provider did, and tells it in its own headers, which Postroom does not trust),
 * so each is DISABLED ("not evaluated"), never a PASS it cannot vouch for.
 */
export const POLLED_VERDICTS: Verdicts = { spam: 'DISABLED', virus: 'DISABLED', spf: 'DISABLED', dkim: 'DISABLED', dmarc: 'DISABLED' };

/** Why the trail of polled mail shows no verdicts. */
export const POLLED_RECEIPT_NOTE = 'fetched from a mailbox: no spam, virus, SPF, DKIM or DMARC verdicts (Postroom did not receive it by SMTP)';

/** The receipt of one message fetched from `server`, before it is stored. */
export function polledReceipt(
  server: PolledServer,
  transport: PolledReceipt['transport'],
  receivedAt: Date,
  backfill: boolean,
): PolledReceipt {
  if (!server.routing) throw new PermanentError('server-without-routing', `mail server ${server.id} has no routing plan: it cannot be polled`);
  const user = server.user.trim().toLowerCase();
  return {
    transport,
    receivedAt: receivedAt.toISOString(),
    // No envelope: the mailbox is the recipient when its login is an address; else ingest reads To/Cc.
    recipients: isMailAddress(user) ? [user] : [],
    mailFrom: '',
    verdicts: POLLED_VERDICTS,
    receiptNote: backfill ? `${POLLED_RECEIPT_NOTE}; backfilled` : POLLED_RECEIPT_NOTE,
    mailbox: { serverId: server.id, routing: server.routing, ...(backfill && { backfill: true }) },
  };
}

/**
 * Stores `content` and enqueues its receipt. Mail larger than the 40 MB limit (announced, or found
 * while streaming) is still stored, as its header block with the real size in the receipt, so that
 * ingest quarantines it `too-large` and an admin sees it: never silently skipped.
 * @returns whether the message was too large
 */
export async function storeAndEnqueue(
  sink: RawMailSink,
  receipt: PolledReceipt,
  size: number,
  content: () => Promise<RawMailContent | undefined>,
  header: () => Promise<Uint8Array | undefined>,
): Promise<'stored' | 'too-large' | 'gone'> {
  const max = MAIL_LIMITS.maxMessageBytes;
  let tooLarge = size > max;
  if (!tooLarge) {
    const stream = await content();
    if (!stream) return 'gone';
    try {
      const raw = await sink.store(receipt, stream, max);
      await sink.enqueue({ ...receipt, raw } as ReceiptInfo);
      return 'stored';
    } catch (err) {
      if (!(err instanceof PolledMailTooLargeError)) throw err;
      tooLarge = true;
    }
  }
  const head = (await header()) ?? new Uint8Array();
  const raw = await sink.store(receipt, once(head), max, { bytes: Math.max(size, max + 1) });
  await sink.enqueue({ ...receipt, raw } as ReceiptInfo);
  return 'too-large';
}

/**
 * Stores a message already in memory (fetched in a batch; one over the 40 MB limit as its header
 * block, as {@link storeAndEnqueue} does) and starts its enqueue: answers as soon as the message is
 * stored, with the enqueue under way (`enqueued`, settled once the queue took the receipt or
 * refused it). Why: a poller's store slot (and the mail's bytes) is then free for the next message
 * while the receipt waits for its queue batch; the message still counts as done only once
 * `enqueued` fulfilled. `enqueued` never rejects unhandled: the caller awaits it, or lets the poll
 * fail on it.
 */
export async function storeBytesThenEnqueue(
  sink: RawMailSink,
  receipt: PolledReceipt,
  bytes: Uint8Array,
): Promise<{ readonly result: 'stored' | 'too-large'; readonly enqueued: Promise<void> }> {
  const max = MAIL_LIMITS.maxMessageBytes;
  const fits = bytes.byteLength <= max;
  const raw = fits ? await sink.store(receipt, once(bytes), max) : await sink.store(receipt, once(headerBlock(bytes)), max, { bytes: bytes.byteLength });
  const enqueued = sink.enqueue({ ...receipt, raw } as ReceiptInfo);
  enqueued.catch(() => {});
  return { result: fits ? 'stored' : 'too-large', enqueued };
}

/** The bytes up to the first empty line (at most 64 KiB: a longer header block is abuse). */
export function headerBlock(bytes: Uint8Array): Uint8Array {
  const head = bytes.subarray(0, 64 * 1024);
  for (let i = 0; i + 3 < head.length; i++) {
    if (head[i] === 13 && head[i + 1] === 10 && head[i + 2] === 13 && head[i + 3] === 10) return head.subarray(0, i + 4);
  }
  return head;
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

/** The transport key parts of an IMAP message. */
export function imapTransport(serverId: string, uidValidity: string, uid: number): Extract<TransportIdentity, { kind: 'imap' }> {
  return { kind: 'imap', serverId, uidValidity, uid: String(uid) };
}
