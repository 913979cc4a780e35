/**
 * The ingest hook of the SMTP path's bounces: mail to a VERP return path records the DSN's
 * per-recipient results on the outbox record, suppresses hard bounces, and is set aside, never an
 * interaction an agent sees, even when its subject carries a reference token that would thread it.
 */
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../../lambdas/core/ingest.ts';
import type { Suppression } from '../../../../lambdas/core/outbound/outbound-ports.ts';
import { outboxIdFor, type DeliveryEvent } from '../../../../lambdas/core/outbound/outbox.ts';
import { verpAddress } from '../../../../lambdas/core/outbound/verp.ts';
import { parsedMail, receiptInfo } from '../../../support/factories.ts';
import { memoryIngest } from '../../../support/memory-ingest.ts';

const id = outboxIdFor('i-sent', 'reply');
const STATUS = [
  'Reporting-MTA: dns; mail.customer.example',
  '',
  'Final-Recipient: rfc822; nobody@customer.example',
  'Action: failed',
  'Status: 5.1.1',
  'Diagnostic-Code: smtp; 550 5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown',
  '',
  'Final-Recipient: rfc822; slow@customer.example',
  'Action: delayed',
  'Status: 4.4.1',
  '',
].join('\r\n');

function setup(attachments = [{ contentType: 'message/delivery-status', size: STATUS.length, inline: false, blob: { bucket: 'mail', key: 'parts/dsn' } }]) {
  const events: [string, DeliveryEvent][] = [];
  const suppressed: Suppression[] = [];
  const { deps, interactions } = memoryIngest(async () =>
    parsedMail({ subject: 'Undelivered Mail Returned to Sender', from: { address: 'MAILER-DAEMON@mail.customer.example' }, headers: { 'content-type': 'multipart/report; report-type=delivery-status' }, attachments }),
  );
  const routing = {
    ...deps.routing,
    threads: { ...deps.routing.threads, lookupTokens: async () => [{ token: 'x', interactionId: 'i-sent' }] as never },
    verpBounces: {
      returnPathDomain: 'support.example.com',
      outbox: { recordDelivery: async (outboxId: string, e: DeliveryEvent) => void events.push([outboxId, e]) },
      suppressions: { add: async (s: Suppression) => void suppressed.push(s) },
      readPart: async () => STATUS,
    },
  };
  return { deps: { ...deps, routing }, interactions, events, suppressed };
}

describe('bounces to a VERP return path', () => {
  it('records the delivery events, suppresses the hard bounce and sets the mail aside', async () => {
    const { deps, interactions, events, suppressed } = setup();

    const outcome = await ingest(receiptInfo('dsn-1', { recipients: [verpAddress(id, 'support.example.com')], mailFrom: '' }), deps);

    expect(outcome).toMatchObject({ outcome: 'set-aside', reason: 'bounce' });
    expect(events.map(([o, e]) => [o, e.recipient, e.status])).toEqual([
      [id, 'nobody@customer.example', 'bounced'],
      [id, 'slow@customer.example', 'delayed'],
    ]);
    expect(suppressed).toEqual([expect.objectContaining({ address: 'nobody@customer.example', reason: 'bounce', outboxId: id, detail: expect.stringContaining('User unknown') })]);
    const kept = interactions.items.get(outcome.interactionId)!;
    expect(kept).toMatchObject({ state: 'set-aside', disposition: { reason: 'bounce', detail: expect.stringContaining('suppressed nobody@customer.example') } });
  });

  it('sets aside mail to a VERP address without a report, recording nothing', async () => {
    const { deps, events, suppressed } = setup([]);
    const outcome = await ingest(receiptInfo('dsn-2', { recipients: [verpAddress(id, 'support.example.com')] }), deps);

    expect(outcome).toMatchObject({ outcome: 'set-aside', reason: 'bounce' });
    expect([events, suppressed]).toEqual([[], []]);
  });

  it('leaves mail to any other address to routing (a bounce there is the loop guard\'s)', async () => {
    const { deps, events, interactions } = setup();
    const outcome = await ingest(receiptInfo('dsn-3', { recipients: ['help@support.example.com'] }), deps);

    expect(events).toEqual([]);
    expect(interactions.items.get(outcome.interactionId)?.disposition?.detail).not.toContain('outbox record');
  });
});
