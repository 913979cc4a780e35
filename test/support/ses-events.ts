/**
 * SES sending events as EventBridge delivers them (an SQS body of the feedback queue), shaped as
 * the SES event publishing documentation shows them, for the feedback core, handler and local tests.
 */
export const SES_MAIL_AT = '2026-11-26T10:00:00.000Z';

/** `mail` of an event: a send of outbox record `outboxId` (tags as SES gives them: lists). */
export function sesMail(outboxId: string | undefined, destination: string[] = ['alice@customer.test']): Record<string, unknown> {
  return {
    timestamp: SES_MAIL_AT,
    source: 'support@example.test',
    messageId: '0100019a-ses-message-id',
    destination,
    tags: { 'ses:configuration-set': ['postroom'], ...(outboxId && { outbox: [outboxId], interaction: ['i-1'] }) },
  };
}

/** One EventBridge event of SES: `detail-type` and the type's own object merged into `detail`. */
export function sesEvent(detailType: string, eventType: string, own: Record<string, unknown>, mail = sesMail('o-0123456789abcdef0123')): Record<string, unknown> {
  return {
    version: '0',
    id: 'c3a1e5f0-0000-4000-8000-000000000000',
    'detail-type': detailType,
    source: 'aws.ses',
    account: '123456789012',
    time: '2026-11-26T10:00:05Z',
    region: 'eu-west-1',
    resources: ['arn:aws:ses:eu-west-1:123456789012:configuration-set/postroom'],
    detail: { eventType, mail, ...own },
  };
}

export const permanentBounce = (address = 'gone@customer.test', mail?: Record<string, unknown>) =>
  sesEvent('Email Bounced', 'Bounce', {
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: address, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
      timestamp: '2026-11-26T10:00:03.000Z',
      feedbackId: 'feedback-1',
    },
  }, mail);

export const complaint = (address = 'angry@customer.test', mail?: Record<string, unknown>) =>
  sesEvent('Email Complaint Received', 'Complaint', {
    complaint: { complainedRecipients: [{ emailAddress: address }], timestamp: '2026-11-26T11:00:00.000Z', feedbackId: 'f-2', complaintFeedbackType: 'abuse' },
  }, mail);

export const delivery = (recipients = ['alice@customer.test'], mail?: Record<string, unknown>) =>
  sesEvent('Email Delivered', 'Delivery', {
    delivery: { timestamp: '2026-11-26T10:00:02.000Z', processingTimeMillis: 900, recipients, smtpResponse: '250 2.0.0 OK', reportingMTA: 'a1-1.smtp-out.eu-west-1.amazonses.com' },
  }, mail);
