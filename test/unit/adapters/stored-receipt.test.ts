/**
 * Recovering the receipt facts of a stored SES object from SES's own header block, and the
 * recovery record that carries them to the routing Lambda.
 */
import { describe, expect, it } from 'vitest';
import { MalformedEventError } from '../../../lambdas/core/errors.ts';
import { receiptOfInboundRecord, recoveryRecordBody } from '../../../lambdas/adapters/ses/recovery-record.ts';
import { storedReceiptOf, type StoredObject } from '../../../lambdas/adapters/ses/stored-receipt.ts';
import { sesNotification } from '../../support/factories.ts';

const ID = 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1';
const DOMAINS = ['support.example.com'];

/** SES's block as documented (notification examples' `mail.headers`), then the sender's headers. */
function sesStored(opts: { virus?: string; spam?: string; forRecipient?: boolean; below?: string } = {}): string {
  return [
    'Return-Path: <ada@customer.example>',
    `Received: from mail.customer.example (mail.customer.example [203.0.113.9]) by inbound-smtp.us-east-1.amazonaws.com with SMTP id ${ID}${opts.forRecipient === false ? '' : ' for help@support.example.com'}; Mon, 23 Nov 2026 09:00:00 +0000 (UTC)`,
    `X-SES-Spam-Verdict: ${opts.spam ?? 'PASS'}`,
    `X-SES-Virus-Verdict: ${opts.virus ?? 'PASS'}`,
    'Received-SPF: pass (spfCheck: domain of customer.example designates 203.0.113.9 as permitted sender) client-ip=203.0.113.9; envelope-from=ada@customer.example; helo=mail.customer.example;',
    'Authentication-Results: amazonses.com;',
    ' spf=pass (spfCheck: domain of customer.example designates 203.0.113.9 as permitted sender) smtp.mailfrom=ada@customer.example;',
    ' dkim=fail header.i=@customer.example;',
    ' dmarc=none header.from=customer.example;',
    'X-SES-RECEIPT: AEFBQUFBQUFBQUFHNnZ1',
    'X-SES-DKIM-SIGNATURE: a=rsa-sha256; q=dns/txt; b=abc; c=relaxed/simple; s=x; d=amazonses.com; t=1; v=1; bh=y; h=From:To;',
    ...(opts.below ? [opts.below] : []),
    'From: Ada <ada@customer.example>',
    'To: Help <help@support.example.com>, other@elsewhere.example',
    'Cc: sales@support.example.com',
    'Subject: Hello',
    '',
    'Body',
  ].join('\r\n');
}

const object = (text: string, extra: Partial<StoredObject> = {}): StoredObject => ({
  bucket: 'mail',
  key: `inbound/${ID}`,
  size: text.length,
  lastModified: new Date('2026-11-23T09:00:05Z'),
  head: Buffer.from(text),
  ...extra,
});

describe('storedReceiptOf', () => {
  it('reads what the SES notification would have said from SES header block', () => {
    const receipt = storedReceiptOf(object(sesStored()), { domains: DOMAINS });

    expect(receipt).toMatchObject({
      transport: { kind: 'ses', messageId: ID },
      receivedAt: '2026-11-23T09:00:00.000Z',
      recipients: ['help@support.example.com'],
      mailFrom: 'ada@customer.example',
      verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'FAIL', dmarc: 'GRAY' },
      raw: { bucket: 'mail', key: `inbound/${ID}` },
    });
    expect(receipt.receiptNote).toContain('recovered by the reconciler');
  });

  it('keeps a virus FAIL a FAIL', () => {
    expect(storedReceiptOf(object(sesStored({ virus: 'FAIL' })), { domains: DOMAINS }).verdicts.virus).toBe('FAIL');
  });

  it('never reads a verdict a sender put below SES block', () => {
    const forged = sesStored({ virus: 'FAIL', below: 'X-SES-Virus-Verdict: PASS' });

    expect(storedReceiptOf(object(forged), { domains: DOMAINS }).verdicts.virus).toBe('FAIL');
  });

  it('trusts nothing when the object does not start with SES block for this message id', () => {
    const sender = 'X-SES-Virus-Verdict: PASS\r\nX-SES-Spam-Verdict: PASS\r\nTo: help@support.example.com\r\n\r\nhi';

    const receipt = storedReceiptOf(object(sender), { domains: DOMAINS });

    expect(receipt.verdicts).toEqual({ spam: 'PROCESSING_FAILED', virus: 'PROCESSING_FAILED', spf: 'PROCESSING_FAILED', dkim: 'PROCESSING_FAILED', dmarc: 'PROCESSING_FAILED' });
    expect(receipt.receiptNote).toContain('verdicts unknown');
  });

  it('ignores Authentication-Results of another authserv-id', () => {
    const text = sesStored().replace('Authentication-Results: amazonses.com;', 'Authentication-Results: evil.example;');

    expect(storedReceiptOf(object(text), { domains: DOMAINS }).verdicts).toMatchObject({ spf: 'PROCESSING_FAILED', dkim: 'PROCESSING_FAILED' });
  });

  it('falls back to served To/Cc recipients when the envelope was not recorded, and says so', () => {
    const receipt = storedReceiptOf(object(sesStored({ forRecipient: false })), { domains: DOMAINS });

    expect(receipt.recipients).toEqual(['help@support.example.com', 'sales@support.example.com']);
    expect(receipt.receiptNote).toContain('read from To/Cc/Delivered-To');
  });

  it('prefers the recipients recorded beside the object', () => {
    const receipt = storedReceiptOf(object(sesStored({ forRecipient: false }), { recordedRecipients: ['Bcc@Support.Example.com'] }), {
      domains: DOMAINS,
    });

    expect(receipt.recipients).toEqual(['bcc@support.example.com']);
    expect(receipt.receiptNote).not.toContain('To/Cc');
  });

  it('reads the null sender as an empty envelope sender', () => {
    const text = sesStored().replace('Return-Path: <ada@customer.example>', 'Return-Path: <>');

    expect(storedReceiptOf(object(text), { domains: DOMAINS }).mailFrom).toBe('');
  });
});

describe('inbound queue records', () => {
  it('a recovery record round-trips to the same receipt', () => {
    const receipt = storedReceiptOf(object(sesStored({ virus: 'FAIL' })), { domains: DOMAINS });

    expect(receiptOfInboundRecord(recoveryRecordBody(receipt))).toEqual(receipt);
  });

  it('an SES notification is still read as before', () => {
    const n = sesNotification({ messageId: ID, verdicts: { spam: 'PASS', virus: 'FAIL', spf: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' } });

    expect(receiptOfInboundRecord(JSON.stringify(n))).toMatchObject({ transport: { kind: 'ses', messageId: ID }, verdicts: { virus: 'FAIL' } });
  });

  it('rejects a malformed recovery record', () => {
    expect(() => receiptOfInboundRecord(JSON.stringify({ type: 'PostroomRecovery', version: 1, receipt: {} }))).toThrow(MalformedEventError);
  });
});
