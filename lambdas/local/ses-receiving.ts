/**
 * What SES receiving does with a message, done locally: authenticate it (SPF/DKIM/DMARC), add the
 * trace headers SES adds, store the raw .eml in S3 under `inbound/`, then publish the receipt
 * notification to the SNS topic that feeds the inbound queue. The SMTP client gets 250 only after
 * both writes succeeded (the local S3 answers a PutObject once the object is fsynced on disk).
 *
 * The message is read from the receiver's spool twice (once to authenticate, once into S3), as
 * streams: memory does not grow with the message's size.
 */
import { hostname } from 'node:os';
import { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { RAW_MAIL_PREFIX } from '../../contract/mail-bucket.ts';
import { domainOfAddress } from '../core/deployment-settings.ts';
import type { ServedDomains } from '../core/domains/domain.ts';
import { RECIPIENTS_METADATA } from '../adapters/reconcile/sqs-requeuer.ts';
import type { AuthResult, MailAuthenticator } from './mail-auth.ts';
import { newSesMessageId, sesReceiptNotification } from './ses-event.ts';
import { startSmtpReceiver, type SmtpDelivery, type SmtpReceiver } from './smtp-receiver.ts';

/** The local receiving host's name, and the authserv-id of its Authentication-Results. */
export const MTA_NAME = 'postroom.local';
/** Longer recipient lists are not recorded beside the object (the reconciler reads the headers). */
const MAX_RECORDED_RECIPIENTS_CHARS = 1800;

export interface SesReceivingOptions {
  readonly port: number;
  readonly host?: string;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly bucket: string;
  readonly topicArn: string;
  /** Where the SMTP listener spools DATA. @default the system's temp folder */
  readonly spoolDir?: string;
  readonly authenticate: MailAuthenticator;
  /** The domains mail is accepted for, read per recipient (a domain added meanwhile is served without a restart). */
  readonly servedDomains: ServedDomains;
  readonly log: (line: string) => void;
}

export function startSesReceiving(o: SesReceivingOptions): Promise<SmtpReceiver> {
  return startSmtpReceiver({
    port: o.port,
    ...(o.host && { host: o.host }),
    ...(o.spoolDir && { spoolDir: o.spoolDir }),
    acceptsRecipient: async (address) => {
      const domain = domainOfAddress(address);
      return domain !== undefined && (await o.servedDomains.has(domain));
    },
    deliver: (mail) => receive(mail, o),
    onError: (err) => o.log(`smtp: ${err.message}`),
  });
}

/**
 * The header block SES prepends to a stored message, in SES's order (see
 * lambdas/adapters/ses/stored-receipt.ts): Return-Path, Received (`for` only with one recipient),
 * the scan verdicts, Received-SPF and Authentication-Results. The reconciler recovers a lost
 * notification from exactly these.
 */
function sesHeaderBlock(mail: SmtpDelivery, messageId: string, receivedAt: Date, auth: AuthResult): string {
  const single = mail.recipients.length === 1 ? ` for ${mail.recipients[0]}` : '';
  const authHeaders = auth.headers || `Authentication-Results: ${MTA_NAME}; spf=temperror; dkim=temperror; dmarc=temperror\r\n`;
  return (
    `Return-Path: <${mail.mailFrom}>\r\n` +
    `Received: from ${mail.helo} (${mail.remoteAddress}) by ${MTA_NAME} (${hostname()}) with SMTP id ${messageId}${single}; ${receivedAt.toUTCString()}\r\n` +
    `X-SES-Spam-Verdict: ${auth.verdicts.spam}\r\n` +
    `X-SES-Virus-Verdict: ${auth.verdicts.virus}\r\n` +
    authHeaders.replace(/\r?\n/g, '\r\n')
  );
}

async function receive(mail: SmtpDelivery, o: SesReceivingOptions): Promise<string> {
  const messageId = newSesMessageId();
  const receivedAt = new Date();
  const forAuth = mail.message.open();
  const auth = await o
    .authenticate({ raw: forAuth, ip: mail.remoteAddress, helo: mail.helo, mailFrom: mail.mailFrom, mta: MTA_NAME })
    // Must happen: an authenticator that stops reading early would leave the file open.
    .finally(() => forAuth.destroy());
  const head = Buffer.from(sesHeaderBlock(mail, messageId, receivedAt, auth));
  const size = head.length + mail.message.size;
  const key = `${RAW_MAIL_PREFIX}${messageId}`;
  const recorded = mail.recipients.join(',');
  const body = Readable.from(withHead(head, mail.message.open()));
  try {
    await o.s3.send(
      new PutObjectCommand({
        Bucket: o.bucket,
        Key: key,
        Body: body,
        ContentLength: size,
        ContentType: 'message/rfc822',
        // The exact envelope beside the object, for the reconciler; S3 caps user metadata at 2 KB.
        ...(recorded.length <= MAX_RECORDED_RECIPIENTS_CHARS && { Metadata: { [RECIPIENTS_METADATA]: recorded } }),
      }),
    );
  } finally {
    body.destroy();
  }
  const notification = sesReceiptNotification({
    messageId,
    mailFrom: mail.mailFrom,
    recipients: mail.recipients,
    receivedAt,
    verdicts: auth.verdicts,
    bucket: o.bucket,
    key,
    topicArn: o.topicArn,
  });
  await o.sns.send(new PublishCommand({ TopicArn: o.topicArn, Message: JSON.stringify(notification) }));
  o.log(`received ${messageId} from <${mail.mailFrom}> for ${mail.recipients.join(', ')} (${size} bytes)`);
  return messageId;
}

async function* withHead(head: Buffer, rest: Readable): AsyncGenerator<Buffer> {
  try {
    yield head;
    yield* rest as AsyncIterable<Buffer>;
  } finally {
    rest.destroy();
  }
}
