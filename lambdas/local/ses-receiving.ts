/**
 * What SES receiving does with a message, done locally: authenticate it (SPF/DKIM/DMARC), add the
 * trace headers SES adds, store the raw .eml in S3 under `inbound/`, then publish the receipt
 * notification to the SNS topic that feeds the inbound queue. The SMTP client gets 250 only after
 * both writes succeeded.
 */
import { hostname } from 'node:os';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { MailAuthenticator } from './mail-auth.ts';
import type { S3Mirror } from './s3-mirror.ts';
import { newSesMessageId, sesReceiptNotification } from './ses-event.ts';
import { startSmtpReceiver, type SmtpDelivery, type SmtpReceiver } from './smtp-receiver.ts';

/** The S3 action's object key prefix in the deployed receipt rule as well. */
export const RAW_MAIL_PREFIX = 'inbound/';
const MTA_NAME = 'postroom.local';

export interface SesReceivingOptions {
  readonly port: number;
  readonly host?: string;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly bucket: string;
  readonly topicArn: string;
  readonly mirror?: S3Mirror;
  readonly authenticate: MailAuthenticator;
  readonly log: (line: string) => void;
}

export function startSesReceiving(o: SesReceivingOptions): Promise<SmtpReceiver> {
  return startSmtpReceiver({
    port: o.port,
    ...(o.host && { host: o.host }),
    deliver: (mail) => receive(mail, o),
    onError: (err) => o.log(`smtp: ${err.message}`),
  });
}

async function receive(mail: SmtpDelivery, o: SesReceivingOptions): Promise<string> {
  const messageId = newSesMessageId();
  const receivedAt = new Date();
  const auth = await o.authenticate({
    raw: mail.raw,
    ip: mail.remoteAddress,
    helo: mail.helo,
    mailFrom: mail.mailFrom,
    mta: MTA_NAME,
  });
  const trace =
    `Return-Path: <${mail.mailFrom}>\r\n` +
    `Received: from ${mail.helo} (${mail.remoteAddress}) by ${MTA_NAME} (${hostname()}) with SMTP id ${messageId}; ${receivedAt.toUTCString()}\r\n` +
    auth.headers.replace(/\r?\n/g, '\r\n');
  const raw = Buffer.concat([Buffer.from(trace), mail.raw]);
  const key = `${RAW_MAIL_PREFIX}${messageId}`;
  await o.s3.send(new PutObjectCommand({ Bucket: o.bucket, Key: key, Body: raw, ContentType: 'message/rfc822' }));
  await o.mirror?.write(key, raw);
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
  o.log(`received ${messageId} from <${mail.mailFrom}> for ${mail.recipients.join(', ')} (${raw.length} bytes)`);
  return messageId;
}
