import { describe, expect, it } from 'vitest';
import { dsnDeliveryEvents, isHardBounce, parseDeliveryStatus, DSN_LIMITS } from '../../../../lambdas/core/outbound/dsn.ts';
import { outboxIdFor } from '../../../../lambdas/core/outbound/outbox.ts';
import { parseVerpAddress, verpAddress } from '../../../../lambdas/core/outbound/verp.ts';

const id = outboxIdFor('i-1', 'reply');

/** The delivery-status part of a Postfix bounce (one hard, one delayed recipient), folded as Postfix folds. */
const POSTFIX_STATUS = [
  'Reporting-MTA: dns; mail.customer.example',
  'X-Postfix-Queue-ID: 4XyZ1k2Lmnz9abc',
  'X-Postfix-Sender: rfc822; bounces+' + id + '@bounce.postroom.example',
  'Arrival-Date: Fri, 27 Nov 2026 00:01:02 +0100 (CET)',
  '',
  'Final-Recipient: rfc822; Nobody@Customer.example',
  'Original-Recipient: rfc822;nobody@customer.example',
  'Action: failed',
  'Status: 5.1.1',
  'Remote-MTA: dns; mx.customer.example',
  'Diagnostic-Code: smtp; 550 5.1.1 <nobody@customer.example>: Recipient address',
  '    rejected: User unknown in virtual mailbox table',
  '',
  'Final-Recipient: rfc822; slow@customer.example',
  'Action: delayed',
  'Status: 4.4.1',
  'Diagnostic-Code: X-Postfix; connect to mx.slow.example[192.0.2.1]:25: Connection timed out',
  '',
].join('\r\n');

describe('VERP addresses', () => {
  it('round-trips an outbox id, any case, on the given domain only', () => {
    const address = verpAddress(id, 'Bounce.Postroom.Example');

    expect(address).toBe(`bounces+${id}@bounce.postroom.example`);
    expect(parseVerpAddress(address.toUpperCase(), 'bounce.postroom.example')).toBe(id);
    expect(parseVerpAddress(`<${address}>`)).toBe(id);
    expect(parseVerpAddress(address, 'other.example')).toBeUndefined();
  });

  it('parses nothing that is not an outbox id', () => {
    for (const a of ['bounces@bounce.example', 'bounces+x@bounce.example', 'support+o-0123@bounce.example', `bounces+${id}x@b.example`, 'nope']) {
      expect(parseVerpAddress(a)).toBeUndefined();
    }
    expect(() => verpAddress('../etc', 'b.example')).toThrow();
  });
});

describe('delivery status notifications (RFC 3464)', () => {
  it('reads each recipient block of a Postfix bounce, unfolding the diagnostic', () => {
    const report = parseDeliveryStatus(POSTFIX_STATUS);

    expect(report.reportingMta).toBe('dns; mail.customer.example');
    expect(report.recipients).toEqual([
      {
        finalRecipient: 'nobody@customer.example',
        originalRecipient: 'nobody@customer.example',
        action: 'failed',
        status: '5.1.1',
        remoteMta: 'dns; mx.customer.example',
        diagnosticCode: 'smtp; 550 5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown in virtual mailbox table',
      },
      { finalRecipient: 'slow@customer.example', action: 'delayed', status: '4.4.1', diagnosticCode: expect.stringContaining('Connection timed out') },
    ]);
    expect(report.recipients.map(isHardBounce)).toEqual([true, false]);
  });

  it('turns the report into delivery events: bounced with the words, delayed', () => {
    const events = dsnDeliveryEvents(parseDeliveryStatus(POSTFIX_STATUS), new Date('2026-11-27T00:05:00Z'));

    expect(events.map((e) => [e.recipient, e.status])).toEqual([
      ['nobody@customer.example', 'bounced'],
      ['slow@customer.example', 'delayed'],
    ]);
    expect(events[0]!.detail).toMatch(/^hard bounce: 5\.1\.1: smtp; 550 5\.1\.1 .*User unknown/);
  });

  it('skips blocks without a recipient or a known action, and bounds what it reads', () => {
    const junk = 'Final-Recipient: rfc822; a@b.example\nAction: exploded\n\nAction: failed\nStatus: 5.0.0\n\nno colon here\n';
    expect(parseDeliveryStatus(junk).recipients).toEqual([]);

    const many = Array.from({ length: 300 }, (_, i) => `Final-Recipient: rfc822; r${i}@x.example\nAction: failed\nStatus: 5.1.1`).join('\n\n');
    expect(parseDeliveryStatus(many).recipients.length).toBeLessThanOrEqual(DSN_LIMITS.maxRecipients);
    const long = `Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; ${'x'.repeat(5000)}`;
    expect(parseDeliveryStatus(long).recipients[0]!.diagnosticCode!.length).toBe(DSN_LIMITS.maxDiagnosticChars);
  });

  it('counts a failed action without a status as hard only on a 5xx reply', () => {
    const [soft, hard] = parseDeliveryStatus('Final-Recipient: rfc822; a@x.example\nAction: failed\nDiagnostic-Code: smtp; 452 full\n\nFinal-Recipient: rfc822; b@x.example\nAction: failed\nDiagnostic-Code: smtp; 550 no such user').recipients;
    expect([isHardBounce(soft!), isHardBounce(hard!)]).toEqual([false, true]);
  });
});
