/**
 * Builds the SES receipt notification (S3 action) that SES publishes to SNS, so that the local
 * runtime feeds the routing Lambda the very event shape it gets in AWS.
 * https://docs.aws.amazon.com/ses/latest/dg/receiving-email-notifications-contents.html
 */
import { randomBytes } from 'node:crypto';
import type { Verdicts } from '../core/message.ts';
import type { SesNotification } from '../adapters/ses/notification.ts';

/** SES message ids are 20+ lower-case alphanumerics; ours look the same. */
export function newSesMessageId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(40), (b) => alphabet[b % alphabet.length]).join('');
}

export interface ReceivedMail {
  readonly messageId: string;
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  readonly receivedAt: Date;
  readonly verdicts: Verdicts;
  readonly bucket: string;
  readonly key: string;
  readonly topicArn: string;
}

export function sesReceiptNotification(mail: ReceivedMail): SesNotification {
  const status = (s: Verdicts[keyof Verdicts]) => ({ status: s });
  return {
    notificationType: 'Received',
    mail: {
      timestamp: mail.receivedAt.toISOString(),
      source: mail.mailFrom || '<>',
      messageId: mail.messageId,
      destination: [...mail.recipients],
    },
    receipt: {
      timestamp: mail.receivedAt.toISOString(),
      recipients: [...mail.recipients],
      spamVerdict: status(mail.verdicts.spam),
      virusVerdict: status(mail.verdicts.virus),
      spfVerdict: status(mail.verdicts.spf),
      dkimVerdict: status(mail.verdicts.dkim),
      dmarcVerdict: status(mail.verdicts.dmarc),
      action: { type: 'S3', topicArn: mail.topicArn, bucketName: mail.bucket, objectKey: mail.key },
    },
  };
}
