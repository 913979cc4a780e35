import { describe, expect, it } from 'vitest';
import { MalformedEventError } from '../../../lambdas/core/errors.ts';
import { parseSesNotification, receiptOf } from '../../../lambdas/adapters/ses/notification.ts';
import { sesNotification, snsEnvelope } from '../../support/factories.ts';

const notification = sesNotification({
  messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1',
  recipients: ['Help@Support.Example.com'],
  verdicts: { spam: 'PASS', virus: 'PASS', spf: 'GRAY', dkim: 'FAIL', dmarc: 'PROCESSING_FAILED' },
});

describe('SES receipt notification', () => {
  it('reads a raw-delivered notification into receipt facts', () => {
    const receipt = receiptOf(parseSesNotification(JSON.stringify(notification)));

    expect(receipt).toEqual({
      transport: { kind: 'ses', messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1' },
      receivedAt: '2026-11-23T09:00:00.000Z',
      recipients: ['help@support.example.com'],
      mailFrom: 'ada@customer.example',
      verdicts: { spam: 'PASS', virus: 'PASS', spf: 'GRAY', dkim: 'FAIL', dmarc: 'PROCESSING_FAILED' },
      raw: { bucket: 'mail', key: 'inbound/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1' },
    });
  });

  it('unwraps the SNS envelope when raw delivery is off', () => {
    const body = snsEnvelope(notification);

    expect(parseSesNotification(body).mail.messageId).toBe('o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1');
  });

  it('reads the null sender as an empty envelope sender', () => {
    const bounce = { ...notification, mail: { ...notification.mail, source: '<>' } };

    expect(receiptOf(parseSesNotification(JSON.stringify(bounce))).mailFrom).toBe('');
  });

  it.each([
    ['not JSON', '{oops', /not JSON/],
    ['another event', JSON.stringify({ Records: [] }), /not an SES receipt notification/],
    ['a non-S3 action', JSON.stringify({ ...notification, receipt: { ...notification.receipt, action: { type: 'Lambda' } } }), /receipt\.action/],
    ['a path in the message id', JSON.stringify({ ...notification, mail: { ...notification.mail, messageId: '../x' } }), /mail\.messageId/],
  ])('rejects %s with a reason', (_what, body, reason) => {
    expect(() => parseSesNotification(body)).toThrow(MalformedEventError);
    expect(() => parseSesNotification(body)).toThrow(reason);
  });
});
