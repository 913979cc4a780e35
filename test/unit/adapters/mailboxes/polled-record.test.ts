import { describe, expect, it } from 'vitest';
import { polledRecordBody, receiptMetadata, receiptOfMetadata } from '../../../../lambdas/adapters/mailboxes/polled-record.ts';
import { receiptOfInboundRecord } from '../../../../lambdas/adapters/ses/recovery-record.ts';
import { POLLED_VERDICTS, polledReceipt } from '../../../../lambdas/core/mailboxes/polled-receipt.ts';
import { MalformedEventError } from '../../../../lambdas/core/errors.ts';

const server = { id: 'srv-1', type: 'pop3' as const, user: 'Help@Example.test', routing: { kind: 'flow' as const, flowId: 'triage' } };
const receipt = polledReceipt(server, { kind: 'pop3', serverId: 'srv-1', uidl: 'UID/1+x' }, new Date('2026-11-26T10:00:00Z'), true);
const raw = { bucket: 'mail', key: 'polled/srv-1/pop3/x', size: 10 };

describe('polled-receipt record', () => {
  it('is accepted by the routing Lambda as the receipt it was made from', () => {
    expect(receiptOfInboundRecord(polledRecordBody({ ...receipt, raw }))).toEqual({ ...receipt, raw });
    expect(receipt).toMatchObject({ recipients: ['help@example.test'], verdicts: POLLED_VERDICTS, mailbox: { serverId: 'srv-1', backfill: true } });
  });

  it('round-trips through the object metadata the reconciler reads', () => {
    const value = receiptMetadata(receipt);
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(receiptOfMetadata(value, raw)).toEqual({ ...receipt, raw });
  });

  it('keeps the real size of mail stored as its header block, so a recovered record is still quarantined as too large', () => {
    expect(receiptOfMetadata(receiptMetadata(receipt, 50_000_000), raw).raw).toEqual({ ...raw, size: 50_000_000 });
  });

  it('refuses a record whose transport is not a poller one', () => {
    const body = JSON.stringify({ type: 'PostroomPolled', version: 1, receipt: { ...receipt, transport: { kind: 'ses', messageId: 'x' }, raw } });
    expect(() => receiptOfInboundRecord(body)).toThrow(MalformedEventError);
  });
});
