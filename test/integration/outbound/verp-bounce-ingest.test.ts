/**
 * A real bounce through the real MIME parser on fauxqs S3: a Postfix non-delivery report
 * (multipart/report; report-type=delivery-status, with the returned headers) addressed to the VERP
 * return path of an outbox record is parsed, its delivery-status part read back bounded from S3,
 * and its results recorded on that record; the hard-bounced recipient is suppressed, the mail set aside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3MessageParser } from '../../../lambdas/adapters/mime/s3-message-parser.ts';
import { verpBounceDeps } from '../../../lambdas/adapters/smtp/verp-bounce-wiring.ts';
import { ingest } from '../../../lambdas/core/ingest.ts';
import type { Suppression } from '../../../lambdas/core/outbound/outbound-ports.ts';
import { outboxIdFor, type DeliveryEvent } from '../../../lambdas/core/outbound/outbox.ts';
import { verpAddress } from '../../../lambdas/core/outbound/verp.ts';
import { receiptInfo } from '../../support/factories.ts';
import { memoryIngest } from '../../support/memory-ingest.ts';
import { startLocalS3, type LocalS3 } from '../mime/fauxqs-s3.ts';

const id = outboxIdFor('i-campaign', 'notification');
const verp = verpAddress(id, 'support.example.com');

/** The shape Postfix's bounce(8) sends: a text part, the delivery-status part, the returned headers. */
const POSTFIX_NDR = [
  'Return-Path: <>',
  'Received: by mail.customer.example (Postfix) id 4XyZ1k2Lmnz9abc; Fri, 27 Nov 2026 00:01:05 +0100 (CET)',
  'Date: Fri, 27 Nov 2026 00:01:05 +0100 (CET)',
  'From: MAILER-DAEMON@mail.customer.example (Mail Delivery System)',
  'Subject: Undelivered Mail Returned to Sender',
  `To: ${verp}`,
  'Auto-Submitted: auto-replied',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status;',
  '\tboundary="4XyZ1k2Lmnz9abc.1795000865/mail.customer.example"',
  'Message-Id: <20261126230105.4XyZ1k2Lmnz9abc@mail.customer.example>',
  '',
  'This is a MIME-encapsulated message.',
  '',
  '--4XyZ1k2Lmnz9abc.1795000865/mail.customer.example',
  'Content-Description: Notification',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'This is the mail system at host mail.customer.example.',
  '',
  "I'm sorry to have to inform you that your message could not",
  'be delivered to one or more recipients. It\'s attached below.',
  '',
  '<nobody@customer.example>: host mx.customer.example[192.0.2.25] said: 550 5.1.1',
  '    <nobody@customer.example>: Recipient address rejected: User unknown (in reply to RCPT TO command)',
  '',
  '--4XyZ1k2Lmnz9abc.1795000865/mail.customer.example',
  'Content-Description: Delivery report',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mail.customer.example',
  'X-Postfix-Queue-ID: 4XyZ1k2Lmnz9abc',
  `X-Postfix-Sender: rfc822; ${verp}`,
  'Arrival-Date: Fri, 27 Nov 2026 00:01:02 +0100 (CET)',
  '',
  'Final-Recipient: rfc822; nobody@customer.example',
  'Original-Recipient: rfc822;nobody@customer.example',
  'Action: failed',
  'Status: 5.1.1',
  'Remote-MTA: dns; mx.customer.example',
  'Diagnostic-Code: smtp; 550 5.1.1 <nobody@customer.example>: Recipient address',
  '    rejected: User unknown',
  '',
  '--4XyZ1k2Lmnz9abc.1795000865/mail.customer.example',
  'Content-Description: Undelivered Message Headers',
  'Content-Type: text/rfc822-headers',
  '',
  `Return-Path: <${verp}>`,
  'From: Support <support@support.example.com>',
  'To: nobody@customer.example',
  'Subject: Ihre Anfrage [ref:AB12CD34]',
  `Message-ID: <${id}@support.example.com>`,
  '',
  '--4XyZ1k2Lmnz9abc.1795000865/mail.customer.example--',
  '',
].join('\r\n');

let local: LocalS3;
beforeAll(async () => {
  local = await startLocalS3();
  await local.put('raw/ndr.eml', POSTFIX_NDR);
});
afterAll(async () => {
  await local?.stop();
});

describe('a Postfix bounce to a VERP return path, parsed for real', () => {
  it('records the hard bounce on the outbox record, suppresses the recipient and sets the mail aside', async () => {
    const parser = new S3MessageParser(local.s3, local.partsBucket);
    const { deps, interactions } = memoryIngest((raw, prefix) => parser.parse(raw, prefix));
    const events: [string, DeliveryEvent][] = [];
    const suppressed: Suppression[] = [];
    const verpBounces = verpBounceDeps(local.s3, {
      returnPathDomain: 'support.example.com',
      outbox: { recordDelivery: async (outboxId, e) => void events.push([outboxId, e]) },
      suppressions: { add: async (s) => void suppressed.push(s) },
    });

    const outcome = await ingest(receiptInfo('ndr-1', { recipients: [verp], mailFrom: '', raw: { bucket: local.rawBucket, key: 'raw/ndr.eml' } }), { ...deps, routing: { ...deps.routing, verpBounces } });

    expect(outcome).toMatchObject({ outcome: 'set-aside', reason: 'bounce' });
    expect(events).toEqual([[id, expect.objectContaining({ recipient: 'nobody@customer.example', status: 'bounced', detail: expect.stringMatching(/^hard bounce: 5\.1\.1: smtp; 550 5\.1\.1 .*User unknown$/) })]]);
    expect(suppressed).toEqual([expect.objectContaining({ address: 'nobody@customer.example', reason: 'bounce', outboxId: id })]);
    expect(interactions.items.get(outcome.interactionId)).toMatchObject({ state: 'set-aside', disposition: { reason: 'bounce' } });
  });
});
