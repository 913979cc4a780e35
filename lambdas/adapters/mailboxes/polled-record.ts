/**
 * The polled-receipt record: what a poller puts on the inbound queue for a message it fetched from
 * a customer mailbox and stored under `polled/` (issue 10 item 5). It carries the receipt facts
 * (transport imap or pop3, the mailbox's server and routing plan, the backfill flag), so the
 * routing Lambda ingests it like an SES notification (decision 2). The same receipt rides in the
 * stored object's user metadata, which is how the reconciler rebuilds a record that was lost.
 */
import * as z from 'zod/mini';
import { MalformedEventError } from '../../core/errors.ts';
import type { ReceiptInfo } from '../../core/message.ts';
import type { PolledReceipt } from '../../core/mailboxes/poll-ports.ts';
export { polledObjectKey } from '../../core/mailboxes/polled-key.ts';

/** The record's marker on the inbound queue. */
export const POLLED_RECORD_TYPE = 'PostroomPolled';
/** User metadata (x-amz-meta-postroom-receipt): the receipt as base64url JSON (metadata is US-ASCII). */
export const RECEIPT_METADATA = 'postroom-receipt';
/** S3 allows 2 KB of user metadata per object; a receipt that does not fit is refused before storing. */
export const MAX_RECEIPT_METADATA_BYTES = 2_000;

const verdict = z.enum(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']);
const id = z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,200}$/));
const routing = z.union([
  z.object({ kind: z.literal('address'), address: z.string().check(z.minLength(3), z.maxLength(320)) }),
  z.object({ kind: z.literal('flow'), flowId: z.string().check(z.minLength(1), z.maxLength(200)) }),
]);

/** The receipt without its raw pointer, as the metadata holds it. */
const polledReceiptSchema = z.object({
  transport: z.union([
    z.object({ kind: z.literal('imap'), serverId: id, uidValidity: z.string().check(z.regex(/^\d{1,10}$/)), uid: z.string().check(z.regex(/^\d{1,10}$/)) }),
    // RFC 1939 7: a UIDL is 1-70 characters 0x21-0x7E.
    z.object({ kind: z.literal('pop3'), serverId: id, uidl: z.string().check(z.regex(/^[\x21-\x7e]{1,70}$/)) }),
  ]),
  receivedAt: z.string().check(z.minLength(1)),
  recipients: z.array(z.string().check(z.maxLength(320))).check(z.maxLength(1)),
  mailFrom: z.string().check(z.maxLength(320)),
  verdicts: z.object({ spam: verdict, virus: verdict, spf: verdict, dkim: verdict, dmarc: verdict }),
  receiptNote: z.optional(z.string().check(z.maxLength(500))),
  mailbox: z.object({ serverId: id, routing, backfill: z.optional(z.boolean()) }),
});

/** The metadata form: the receipt, and for mail over the size limit (stored as its header block) its real size. */
const metadataSchema = z.extend(polledReceiptSchema, { rawSize: z.optional(z.int().check(z.nonnegative())) });

const polledRecordSchema = z.object({
  type: z.literal(POLLED_RECORD_TYPE),
  version: z.literal(1),
  receipt: z.extend(polledReceiptSchema, {
    raw: z.object({ bucket: z.string().check(z.minLength(1)), key: z.string().check(z.minLength(1)), size: z.optional(z.int().check(z.nonnegative())) }),
  }),
});

/** The SQS body of a polled-receipt record. */
export function polledRecordBody(receipt: ReceiptInfo): string {
  return JSON.stringify({ type: POLLED_RECORD_TYPE, version: 1, receipt });
}

/** The user-metadata value of a receipt (`rawSize`: the real size of mail stored as its header block); throws when it would not fit S3's 2 KB. */
export function receiptMetadata(receipt: PolledReceipt, rawSize?: number): string {
  const value = Buffer.from(JSON.stringify({ ...receipt, ...(rawSize !== undefined && { rawSize }) })).toString('base64url');
  if (value.length > MAX_RECEIPT_METADATA_BYTES) throw new RangeError(`receipt metadata of ${value.length} bytes exceeds ${MAX_RECEIPT_METADATA_BYTES}`);
  return value;
}

/** The receipt a stored polled object carries in its metadata, pointing at `raw`. */
export function receiptOfMetadata(value: string, raw: ReceiptInfo['raw']): ReceiptInfo {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch (err) {
    throw new MalformedEventError('polled receipt metadata is not JSON', { cause: err });
  }
  const result = metadataSchema.safeParse(json);
  if (!result.success) throw malformed(result.error.issues[0]);
  const { rawSize, ...receipt } = result.data;
  return checked(polledReceiptSchema.safeParse(receipt), rawSize === undefined ? raw : { ...raw, size: rawSize });
}

/** True for a queue record body that claims to be a polled-receipt record. */
export function isPolledRecord(json: unknown): boolean {
  return typeof json === 'object' && json !== null && (json as { type?: unknown }).type === POLLED_RECORD_TYPE;
}

/** The receipt of a polled-receipt record (parsed JSON); throws {@link MalformedEventError} when it is not one. */
export function receiptOfPolledRecord(json: unknown): ReceiptInfo {
  const result = polledRecordSchema.safeParse(json);
  if (!result.success) throw malformed(result.error.issues[0]);
  const { raw, ...receipt } = result.data.receipt;
  return checked(polledReceiptSchema.safeParse(receipt), { bucket: raw.bucket, key: raw.key, ...(raw.size !== undefined && { size: raw.size }) });
}

function malformed(issue: { path: PropertyKey[]; message: string } | undefined): MalformedEventError {
  return new MalformedEventError(`not a polled receipt: ${issue?.path.map(String).join('.')}: ${issue?.message}`);
}

function checked(result: ReturnType<typeof polledReceiptSchema.safeParse>, raw: ReceiptInfo['raw']): ReceiptInfo {
  if (!result.success) throw malformed(result.error.issues[0]);
  const { receiptNote, mailbox, ...receipt } = result.data;
  return {
    ...receipt,
    raw,
    mailbox: { serverId: mailbox.serverId, routing: mailbox.routing, ...(mailbox.backfill !== undefined && { backfill: mailbox.backfill }) },
    ...(receiptNote !== undefined && { receiptNote }),
  };
}
