/**
 * The SES receipt notification (S3 action, delivered through SNS to SQS), validated at the edge and
 * turned into {@link ReceiptInfo}. Accepts both raw SNS delivery (the SES JSON is the SQS body) and
 * the SNS envelope (the SES JSON in `Message`).
 * Shape: https://docs.aws.amazon.com/ses/latest/dg/receiving-email-notifications-contents.html
 */
import * as z from 'zod/mini';
import { MalformedEventError } from '../../core/errors.ts';
import type { ReceiptInfo, VerdictStatus } from '../../core/message.ts';

const verdict = z.object({ status: z.enum(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']) });

export const sesNotificationSchema = z.object({
  notificationType: z.literal('Received'),
  mail: z.object({
    timestamp: z.string(),
    source: z.string(),
    messageId: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,200}$/)),
    destination: z.array(z.string()),
  }),
  receipt: z.object({
    timestamp: z.string(),
    recipients: z.array(z.string()).check(z.minLength(1)),
    spamVerdict: z.optional(verdict),
    virusVerdict: z.optional(verdict),
    spfVerdict: z.optional(verdict),
    dkimVerdict: z.optional(verdict),
    dmarcVerdict: z.optional(verdict),
    action: z.object({
      type: z.literal('S3'),
      bucketName: z.string().check(z.minLength(1)),
      objectKey: z.string().check(z.minLength(1)),
      topicArn: z.optional(z.string()),
    }),
  }),
});

export type SesNotification = z.infer<typeof sesNotificationSchema>;

const snsEnvelope = z.object({ Type: z.literal('Notification'), Message: z.string() });

/** Parses one SQS record body; throws {@link MalformedEventError} with the reason. */
export function parseSesNotification(body: string): SesNotification {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new MalformedEventError('record body is not JSON', { cause: err });
  }
  const envelope = z.safeParse(snsEnvelope, json);
  if (envelope.success) return parseSesNotification(envelope.data.Message);
  const result = z.safeParse(sesNotificationSchema, json);
  if (!result.success) {
    // zod/mini carries no locale texts: the issue's code says what was wrong (invalid_type, invalid_format, ...).
    const issue = result.error.issues[0];
    throw new MalformedEventError(`not an SES receipt notification: ${issue?.path.join('.')}: ${issue?.code}`);
  }
  return result.data;
}

/** The receipt facts of a notification, as core's model. */
export function receiptOf(n: SesNotification, rawSize?: number): ReceiptInfo {
  const status = (v: { status: VerdictStatus } | undefined): VerdictStatus => v?.status ?? 'DISABLED';
  return {
    transport: { kind: 'ses', messageId: n.mail.messageId },
    receivedAt: n.receipt.timestamp,
    recipients: n.receipt.recipients.map((r) => r.toLowerCase()),
    mailFrom: n.mail.source === '<>' ? '' : n.mail.source,
    verdicts: {
      spam: status(n.receipt.spamVerdict),
      virus: status(n.receipt.virusVerdict),
      spf: status(n.receipt.spfVerdict),
      dkim: status(n.receipt.dkimVerdict),
      dmarc: status(n.receipt.dmarcVerdict),
    },
    raw: {
      bucket: n.receipt.action.bucketName,
      key: n.receipt.action.objectKey,
      ...(rawSize !== undefined && { size: rawSize }),
    },
  };
}
