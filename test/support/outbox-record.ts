/**
 * Outbox records as the sender reads them back (core/outbound/outbox.ts), for the composer's and
 * the sender's tests: a sending reply with one recipient unless a test says otherwise.
 */
import type { OutboxRecord } from '../../lambdas/core/outbound/outbox.ts';

/** A record in state `sending`; `over` replaces any field. */
export function outboxRecord(over: Partial<OutboxRecord> = {}): OutboxRecord {
  return {
    id: 'o-0123456789abcdef0123',
    interactionId: 'i-1',
    purpose: 'reply',
    requestedBy: 'agent-1',
    from: { name: 'Support', address: 'help@support.example.com' },
    to: [{ name: 'Customer', address: 'customer@example.org' }],
    subject: 'Re: Your order',
    text: 'Hello,\r\nthanks.\r\n',
    references: [],
    messageId: '<pr.abcde.0123456789abcdef0123456789@support.example.com>',
    state: 'sending',
    createdAt: '2026-11-26T23:35:03.000Z',
    ...over,
  };
}
