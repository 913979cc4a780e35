/**
 * The SES transport against aws-ses-v2-local (SES v2 SendEmail with Content.Raw) and fauxqs S3
 * (the composed MIME): the stand-in captures the very message the outbox composed, and its
 * message id is what the record keeps as providerMessageId.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SesTransport } from '../../../lambdas/adapters/ses/ses-transport.ts';
import { DeploymentError } from '../../../lambdas/core/errors.ts';
import type { OutboxRecord } from '../../../lambdas/core/outbound/outbox.ts';
import { startSesOutbound, type SesOutbound } from '../../../lambdas/local/ses-outbound.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startFauxqsService, type Fauxqs } from '../../../lambdas/local/services.ts';
import { filePart, message, multipart, textPart } from '../../support/mail-builder.ts';

const BUCKET = 'ses-transport-mail';
const ROUTE = { kind: 'ses', identity: 'example.test', reason: 'verified for sending' } as const;

function record(over: Partial<OutboxRecord> = {}): OutboxRecord {
  return {
    id: 'o-0123456789abcdef0123',
    interactionId: 'i-abcdefghijklmnop',
    purpose: 'reply',
    to: [{ address: 'alice@customer.test', name: 'Alice' }],
    from: { address: 'support@example.test', name: 'Support' },
    subject: 'Re: your order',
    references: [],
    messageId: '<abc@example.test>',
    state: 'sending',
    createdAt: '2026-11-26T10:00:00.000Z',
    ...over,
  } as OutboxRecord;
}

describe('SES transport on aws-ses-v2-local', () => {
  let ses: SesOutbound;
  let fauxqs: Fauxqs;
  let s3: S3Client;
  let transport: SesTransport;

  beforeAll(async () => {
    [ses, fauxqs] = await Promise.all([startSesOutbound(), startFauxqsService()]);
    s3 = new S3Client({ endpoint: fauxqs.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const client = new SESv2Client({ endpoint: ses.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    transport = new SesTransport(client, s3, { configurationSetName: 'postroom-test' });
  });
  afterAll(async () => {
    s3?.destroy();
    await Promise.all([ses?.stop(), fauxqs?.stop()]);
  });
  beforeEach(() => ses.clear());

  it('sends the stored MIME with its attachment, and answers the id the stand-in captured it under', async () => {
    const pdf = Buffer.alloc(3_000, 7);
    const raw = message(
      { subject: 'Re: your order', from: 'Support <support@example.test>', to: 'Alice <alice@customer.test>', headers: ['Cc: bob@customer.test'] },
      multipart('mixed', [textPart('plain', 'Your order ships today.\r\n'), filePart('application/pdf', 'invoice.pdf', pdf)]),
    );
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'outbound/o-1.eml', Body: raw }));

    const sent = await transport.send(ROUTE, { bucket: BUCKET, key: 'outbound/o-1.eml' }, { returnPath: 'support@example.test', recipients: ['alice@customer.test', 'bob@customer.test'] }, record());

    const captured = await ses.readCaptured();
    expect(captured).toHaveLength(1);
    expect(captured[0]).toMatchObject({
      messageId: sent.providerMessageId,
      from: '"Support" <support@example.test>',
      to: ['"Alice" <alice@customer.test>'],
      cc: ['bob@customer.test'],
      subject: 'Re: your order',
      text: 'Your order ships today.\n',
      attachments: [{ filename: 'invoice.pdf', contentType: 'application/pdf', size: 3_000 }],
    });
  });

  it('reads back only what was captured since a moment', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'outbound/o-2.eml', Body: message({ subject: 'Later' }, textPart('plain', 'x')) }));
    await transport.send(ROUTE, { bucket: BUCKET, key: 'outbound/o-2.eml' }, { returnPath: 'a@example.test', recipients: ['b@customer.test'] }, record({ id: 'o-2' }));
    expect((await ses.readCaptured(new Date(Date.now() + 60_000))).length).toBe(0);
    expect((await ses.readCaptured(new Date(Date.now() - 60_000))).map((m) => m.subject)).toEqual(['Later']);
  });

  it('refuses a record whose composed MIME is gone as a deployment error, sending nothing', async () => {
    const send = transport.send(ROUTE, { bucket: BUCKET, key: 'outbound/none.eml' }, { returnPath: 'a@example.test', recipients: ['b@customer.test'] }, record());
    await expect(send).rejects.toBeInstanceOf(DeploymentError);
    await expect(send).rejects.toMatchObject({ code: 'storage-misconfigured' });
    expect(await ses.readCaptured()).toEqual([]);
  });
});
