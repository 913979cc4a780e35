/**
 * Keeps what an interaction or reply item holds within {@link ITEM_LIMITS} (decision 12), so that
 * no input, however large, makes a DynamoDB write fail on every attempt. Pure functions: what is
 * cut is said so on the item (a note in the trail, a count beside a capped list).
 */
import type { TrailEntry } from './interaction.ts';
import { ITEM_LIMITS } from './limits.ts';
import type { AttachmentMeta, MailAddress } from './message.ts';

/** The step of the trail line that stands for entries cut from the middle of a long trail. */
export const TRAIL_CUT_STEP = 'trail-cut';

/** `text` cut to `max` characters, the last one replaced by "…" when anything was cut. */
export function cutText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A trail within {@link ITEM_LIMITS.maxTrailEntries} entries of at most
 * {@link ITEM_LIMITS.maxTrailDetailChars} characters each. Why keep the head and the tail: the
 * first entries say how the mail arrived and was routed, the newest what happened lately; the
 * middle is replaced by one `trail-cut` line. Applying it again to a cut trail plus new entries
 * keeps the same head, one cut line and the newest tail.
 */
export function boundTrail(entries: readonly TrailEntry[]): TrailEntry[] {
  const cut = entries.map((e) => (e.detail.length > ITEM_LIMITS.maxTrailDetailChars ? { ...e, detail: cutText(e.detail, ITEM_LIMITS.maxTrailDetailChars) } : e));
  if (cut.length <= ITEM_LIMITS.maxTrailEntries) return cut;
  const tail = ITEM_LIMITS.trailTailEntries;
  const head = cut.slice(0, ITEM_LIMITS.maxTrailEntries - tail - 1).filter((e) => e.step !== TRAIL_CUT_STEP);
  const newest = cut.slice(-tail);
  const dropped = cut.length - head.length - newest.length;
  const note: TrailEntry = {
    at: newest[0]!.at,
    step: TRAIL_CUT_STEP,
    detail: `${dropped} earlier trail entries were cut here: an interaction keeps at most ${ITEM_LIMITS.maxTrailEntries}`,
  };
  return [...head, note, ...newest];
}

/** An attachment entry with its file name capped. */
function boundAttachment(a: AttachmentMeta): AttachmentMeta {
  return a.filename !== undefined && a.filename.length > ITEM_LIMITS.maxFilenameChars ? { ...a, filename: cutText(a.filename, ITEM_LIMITS.maxFilenameChars) } : a;
}

/**
 * At most {@link ITEM_LIMITS.maxAttachmentsOnItem} attachment entries, and the total they stand
 * for. The full list is in S3 when the parser put it there (`attachmentsBlob`).
 */
export function boundAttachments(all: readonly AttachmentMeta[], total = all.length): { attachments: AttachmentMeta[]; attachmentCount?: number } {
  const attachments = all.slice(0, ITEM_LIMITS.maxAttachmentsOnItem).map(boundAttachment);
  return { attachments, ...(total > attachments.length && { attachmentCount: total }) };
}

/** A header value kept on an item (subject, names, Message-IDs), capped. */
export function boundHeader(value: string): string {
  return cutText(value, ITEM_LIMITS.maxHeaderValueChars);
}

/** At most {@link ITEM_LIMITS.maxAddressesOnItem} addresses, names and addresses capped. */
export function boundAddresses(list: readonly MailAddress[]): MailAddress[] {
  return list.slice(0, ITEM_LIMITS.maxAddressesOnItem).map(boundAddress);
}

export function boundAddress(a: MailAddress): MailAddress {
  return { address: boundHeader(a.address), ...(a.name !== undefined && { name: boundHeader(a.name) }) };
}

/** The newest {@link ITEM_LIMITS.maxReferencesOnItem} references, each capped. */
export function boundReferences(references: readonly string[]): string[] {
  return references.slice(-ITEM_LIMITS.maxReferencesOnItem).map(boundHeader);
}
