/**
 * The recovery record: what the reconciler puts on the inbound queue for a stored raw message that
 * has no finished ingest record. It carries the same receipt facts the lost SES notification would
 * have (transport `ses`, message id = the object key's basename), recovered from the stored object
 * (see stored-receipt.ts), so the routing Lambda ingests it exactly like the notification and a
 * message that was in fact in flight ends as a duplicate.
 */
import * as z from 'zod/mini';
import { MalformedEventError } from '../../core/errors.ts';
import type { ReceiptInfo } from '../../core/message.ts';
import { isPolledRecord, receiptOfPolledRecord } from '../mailboxes/polled-record.ts';
import { parseSesNotification, receiptOf } from './notification.ts';

/** The record's marker; a body without it is read as an SES notification. */
export const RECOVERY_RECORD_TYPE = 'PostroomRecovery';

const verdict = z.enum(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']);

export const recoveryRecordSchema = z.object({
  type: z.literal(RECOVERY_RECORD_TYPE),
  version: z.literal(1),
  receipt: z.object({
    transport: z.object({ kind: z.literal('ses'), messageId: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,200}$/)) }),
    receivedAt: z.string().check(z.minLength(1)),
    recipients: z.array(z.string().check(z.maxLength(320))).check(z.maxLength(1000)),
    mailFrom: z.string().check(z.maxLength(320)),
    verdicts: z.object({ spam: verdict, virus: verdict, spf: verdict, dkim: verdict, dmarc: verdict }),
    raw: z.object({
      bucket: z.string().check(z.minLength(1)),
      key: z.string().check(z.minLength(1)),
      size: z.optional(z.int().check(z.nonnegative())),
    }),
    receiptNote: z.optional(z.string().check(z.maxLength(500))),
  }),
});

export type RecoveryRecord = z.infer<typeof recoveryRecordSchema>;

/** The SQS body of a recovery record for `receipt`. */
export function recoveryRecordBody(receipt: ReceiptInfo): string {
  const record: RecoveryRecord = { type: RECOVERY_RECORD_TYPE, version: 1, receipt: receipt as RecoveryRecord['receipt'] };
  return JSON.stringify(record);
}

/**
 * The receipt facts of one inbound-queue record: an SES receipt notification (raw or in an SNS
 * envelope), a reconciler's recovery record or a poller's polled-receipt record. Throws {@link MalformedEventError} for anything else.
 */
export function receiptOfInboundRecord(body: string): ReceiptInfo {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new MalformedEventError('record body is not JSON', { cause: err });
  }
  if (isPolledRecord(json)) return receiptOfPolledRecord(json);
  if (typeof json !== 'object' || json === null || (json as { type?: unknown }).type !== RECOVERY_RECORD_TYPE) {
    return receiptOf(parseSesNotification(body));
  }
  const result = recoveryRecordSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new MalformedEventError(`not a recovery record: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const { receiptNote, raw, ...receipt } = result.data.receipt;
  return {
    ...receipt,
    recipients: receipt.recipients.map((r) => r.toLowerCase()),
    raw: { bucket: raw.bucket, key: raw.key, ...(raw.size !== undefined && { size: raw.size }) },
    ...(receiptNote !== undefined && { receiptNote }),
  };
}
