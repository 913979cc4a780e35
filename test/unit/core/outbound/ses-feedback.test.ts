import { describe, expect, it } from 'vitest';
import { MalformedEventError } from '../../../../lambdas/core/errors.ts';
import { applySesFeedback, readSesFeedback, SES_FEEDBACK_LIMITS } from '../../../../lambdas/core/outbound/ses-feedback.ts';
import { complaint, delivery, permanentBounce, sesEvent, sesMail } from '../../../support/ses-events.ts';

const OUTBOX = 'o-0123456789abcdef0123';

describe('readSesFeedback', () => {
  it('turns a permanent bounce into a bounced event and a suppression of that recipient', () => {
    const read = readSesFeedback(permanentBounce('Gone@Customer.Test'));
    expect(read).toEqual({
      kind: 'feedback',
      outboxId: OUTBOX,
      events: [{ recipient: 'gone@customer.test', status: 'bounced', at: '2026-11-26T10:00:03.000Z', detail: 'Permanent/General: 5.1.1: smtp; 550 5.1.1 user unknown' }],
      suppressions: [{ address: 'gone@customer.test', reason: 'bounce', detail: 'Permanent/General: 5.1.1: smtp; 550 5.1.1 user unknown', at: '2026-11-26T10:00:03.000Z', outboxId: OUTBOX }],
    });
  });

  it('records a transient bounce without suppressing', () => {
    const event = sesEvent('Email Bounced', 'Bounce', { bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull', bouncedRecipients: [{ emailAddress: 'full@customer.test' }] } });
    const read = readSesFeedback(event);
    expect(read).toMatchObject({ kind: 'feedback', events: [{ recipient: 'full@customer.test', status: 'bounced', detail: 'Transient/MailboxFull' }], suppressions: [] });
  });

  it('suppresses a complainant, except for a not-spam report', () => {
    expect(readSesFeedback(complaint())).toMatchObject({
      events: [{ recipient: 'angry@customer.test', status: 'complained', detail: 'complaint: abuse' }],
      suppressions: [{ address: 'angry@customer.test', reason: 'complaint', outboxId: OUTBOX }],
    });
    const notSpam = sesEvent('Email Complaint Received', 'Complaint', { complaint: { complainedRecipients: [{ emailAddress: 'a@customer.test' }], complaintFeedbackType: 'not-spam' } });
    expect(readSesFeedback(notSpam)).toMatchObject({ suppressions: [], events: [{ status: 'complained' }] });
  });

  it('records a delivery per recipient with the SMTP answer', () => {
    expect(readSesFeedback(delivery(['a@customer.test', 'b@customer.test']))).toMatchObject({
      events: [
        { recipient: 'a@customer.test', status: 'delivered', detail: '250 2.0.0 OK', at: '2026-11-26T10:00:02.000Z' },
        { recipient: 'b@customer.test', status: 'delivered' },
      ],
      suppressions: [],
    });
  });

  it('records a delay per delayed recipient', () => {
    const event = sesEvent('Email Delivery Delayed', 'DeliveryDelay', {
      deliveryDelay: { delayType: 'MailboxFull', delayedRecipients: [{ emailAddress: 'slow@customer.test', status: '4.2.2', diagnosticCode: '452 full' }], timestamp: '2026-11-26T12:00:00.000Z' },
    });
    expect(readSesFeedback(event)).toMatchObject({ events: [{ recipient: 'slow@customer.test', status: 'delayed', detail: 'MailboxFull: 4.2.2: 452 full' }], suppressions: [] });
  });

  it('marks every destination rejected for a reject and a rendering failure', () => {
    const mail = sesMail(OUTBOX, ['a@customer.test', '"Bee" <B@customer.test>']);
    const reject = readSesFeedback(sesEvent('Email Rejected', 'Reject', { reject: { reason: 'Bad content' } }, mail));
    expect(reject).toMatchObject({ events: [{ recipient: 'a@customer.test', status: 'rejected', detail: 'rejected by SES: Bad content' }, { recipient: 'b@customer.test' }], suppressions: [] });
    const rendering = readSesFeedback(sesEvent('Email Rendering Failed', 'Rendering Failure', { renderingFailure: { errorMessage: 'missing var', templateName: 't' } }, mail));
    expect(rendering).toMatchObject({ events: [{ status: 'rejected', detail: 'rendering failed: missing var' }, {}] });
  });

  it('ignores sends without the outbox tag and event types it does not track', () => {
    expect(readSesFeedback(permanentBounce('x@customer.test', sesMail(undefined)))).toEqual({ kind: 'ignored', reason: 'no outbox tag' });
    expect(readSesFeedback(sesEvent('Email Opened', 'Open', { open: {} }))).toEqual({ kind: 'ignored', reason: 'detail-type Email Opened' });
  });

  it('clips remote diagnostic words to the limit', () => {
    const event = sesEvent('Email Bounced', 'Bounce', { bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'a@customer.test', diagnosticCode: 'x'.repeat(5_000) }] } });
    const read = readSesFeedback(event);
    expect(read.kind === 'feedback' && read.events[0]!.detail.length).toBe(SES_FEEDBACK_LIMITS.maxDetailChars);
  });

  it('refuses events that lack what SES always sends', () => {
    expect(() => readSesFeedback({ 'detail-type': 'Email Bounced' })).toThrow(MalformedEventError);
    expect(() => readSesFeedback(sesEvent('Email Bounced', 'Bounce', {}))).toThrow(/without bounce/);
    const many = Array.from({ length: SES_FEEDBACK_LIMITS.maxRecipients + 1 }, (_, i) => `r${i}@customer.test`);
    expect(() => readSesFeedback(delivery(many))).toThrow(/recipients/);
  });
});

describe('applySesFeedback', () => {
  it('suppresses, then records the events on the outbox record; writes nothing for an ignored event', async () => {
    const writes: string[] = [];
    const deps = {
      outbox: { recordDelivery: async (id: string, e: { recipient: string; status: string }) => void writes.push(`delivery ${id} ${e.recipient} ${e.status}`) },
      suppressions: { add: async (s: { address: string; reason: string }) => void writes.push(`suppress ${s.address} ${s.reason}`) },
    };
    await applySesFeedback(permanentBounce('gone@customer.test'), deps);
    await applySesFeedback(permanentBounce('x@customer.test', sesMail(undefined)), deps);
    expect(writes).toEqual([`suppress gone@customer.test bounce`, `delivery ${OUTBOX} gone@customer.test bounced`]);
  });
});
