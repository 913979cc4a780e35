import { describe, expect, it } from 'vitest';
import { composeNewMail, composeReply, encodedSize, SEND_REQUEST_LIMITS, type ReplyContext, type ReplyRequest } from '../../../../lambdas/core/outbound/compose-request.ts';
import { outboxIdForRequest } from '../../../../lambdas/core/outbound/outbox.ts';
import type { Interaction } from '../../../../lambdas/core/interaction.ts';
import { referenceTokenFor } from '../../../../lambdas/core/routing/reference-token.ts';
import type { ReplyRecord } from '../../../../lambdas/core/routing/routing-ports.ts';
import { addressRoute, PASS_VERDICTS } from '../../../support/factories.ts';

const interaction: Interaction = {
  id: 'i-1',
  channel: 'email',
  state: 'claimed',
  agentId: 'anna',
  createdAt: '2026-11-23T09:00:00.000Z',
  priority: 0,
  skills: [],
  message: {
    transport: { kind: 'ses', messageId: 'ses-1' },
    receivedAt: '2026-11-23T09:00:00.000Z',
    mailFrom: 'alice@customer.test',
    recipients: ['help@shop.test'],
    messageId: '<m1@customer.test>',
    references: ['<m0@customer.test>'],
    subject: 'Where is my order?',
    from: { address: 'alice@customer.test', name: 'Alice' },
    to: [{ address: 'help@shop.test' }, { address: 'bob@customer.test' }],
    cc: [{ address: 'carol@customer.test' }, { address: 'sales@shop.test' }],
    textPreview: 'Hello',
    attachments: [],
    verdicts: PASS_VERDICTS,
    raw: { bucket: 'mail', key: 'inbound/1.eml', size: 3000 },
  },
  trail: [],
};
const route = addressRoute('help@shop.test', { fromName: 'Shop Support', fromAddress: 'help@shop.test', replyTo: 'answers@shop.test', bcc: ['archive@shop.test'] });
const context: ReplyContext = { interaction, replies: [], route, ownAddresses: new Set(['help@shop.test', 'sales@shop.test']) };
const request = (over: Partial<ReplyRequest> = {}): ReplyRequest => ({ mode: 'reply', requestedBy: 'anna', requestId: 'r1', text: 'Hi Alice', ...over });
const customerReply = (messageId: string, over: Partial<ReplyRecord> = {}): ReplyRecord => ({
  transportKey: messageId, receivedAt: '2026-11-23T10:00:00.000Z', mailFrom: 'alice@customer.test', subject: 'Re', messageId, textPreview: '', attachments: [], verdicts: PASS_VERDICTS, raw: { bucket: 'mail', key: 'k' }, ...over,
});

describe('composeReply', () => {
  it('answers the customer from the route, with its Reply-To and hidden BCC, Re: and the token once, and threading headers', () => {
    const out = composeReply(request(), context);
    const token = referenceTokenFor('i-1');
    expect(out).toMatchObject({
      kind: 'ok',
      record: {
        id: outboxIdForRequest('anna', 'r1'),
        interactionId: 'i-1',
        purpose: 'reply',
        from: { address: 'help@shop.test', name: 'Shop Support' },
        to: [{ address: 'alice@customer.test', name: 'Alice' }],
        replyTo: { address: 'answers@shop.test' },
        hiddenBcc: ['archive@shop.test'],
        subject: `Re: Where is my order? [${token}]`,
        inReplyTo: '<m1@customer.test>',
        references: ['<m0@customer.test>', '<m1@customer.test>'],
        text: 'Hi Alice',
      },
    });
    if (out.kind !== 'ok') throw new Error('refused');
    expect(out.record.messageId).toMatch(new RegExp(`^<pr\\.${token.slice(3).toLowerCase()}\\.[0-9a-f]{26}@shop\\.test>$`));
    const again = composeReply(request({ subject: out.record.subject }), context);
    expect(again.kind === 'ok' && again.record.subject).toBe(out.record.subject);
  });

  it('answers the newest customer message, not the agent\'s own earlier reply', () => {
    const replies = [customerReply('<m2@customer.test>'), customerReply('<o1@shop.test>', { direction: 'out' })];
    const out = composeReply(request(), { ...context, replies });
    expect(out).toMatchObject({ kind: 'ok', record: { inReplyTo: '<m2@customer.test>', references: ['<m0@customer.test>', '<m1@customer.test>', '<o1@shop.test>', '<m2@customer.test>'] } });
  });

  it('reply-all adds the other recipients but none of our addresses', () => {
    const out = composeReply(request({ mode: 'reply-all' }), context);
    expect(out).toMatchObject({ kind: 'ok', record: { to: [{ address: 'alice@customer.test' }, { address: 'bob@customer.test' }], cc: [{ address: 'carol@customer.test' }] } });
  });

  it('forward needs `to` and attaches the original as message/rfc822 with Fwd:', () => {
    expect(composeReply(request({ mode: 'forward' }), context)).toMatchObject({ kind: 'refused', issues: [{ field: 'to', reason: 'outbound.recipients-required' }] });
    const out = composeReply(request({ mode: 'forward', to: [{ address: 'expert@partner.test' }] }), context);
    expect(out).toMatchObject({
      kind: 'ok',
      record: { subject: expect.stringMatching(/^Fwd: Where is my order\? \[PR-/), attachments: [{ contentType: 'message/rfc822', blob: { key: 'inbound/1.eml' }, size: 3000 }] },
    });
  });

  it('refuses a reply without an address route', () => {
    const { route: _route, ...none } = context;
    expect(composeReply(request(), none)).toMatchObject({ kind: 'refused', issues: [{ field: 'from', reason: 'outbound.no-route-for-sender' }] });
  });

  it('counts the hidden BCC toward the 50 recipients', () => {
    const bcc = Array.from({ length: SEND_REQUEST_LIMITS.maxRecipients - 1 }, (_, i) => ({ address: `p${i}@x.test` }));
    expect(composeReply(request({ bcc: bcc.slice(1) }), context).kind).toBe('ok');
    expect(composeReply(request({ bcc }), context)).toMatchObject({ kind: 'refused', issues: [{ field: 'bcc', reason: 'outbound.too-many-recipients', message: expect.stringContaining("fixed BCC") }] });
  });

  it('counts attachments at their base64 size against 40 MB', () => {
    const blob = { bucket: 'mail', key: 'uploads/u1' };
    const fits = Math.floor((SEND_REQUEST_LIMITS.maxEncodedBytes * 57) / 78) - 1000;
    expect(composeReply(request({ text: undefined, attachments: [{ filename: 'a.bin', contentType: 'application/octet-stream', size: fits, blob }] }), context).kind).toBe('ok');
    const big = composeReply(request({ attachments: [{ filename: 'a.bin', contentType: 'application/octet-stream', size: 30 * 1024 * 1024, blob }] }), context);
    expect(big).toMatchObject({ kind: 'refused', issues: [{ field: 'attachments', reason: 'outbound.message-too-large' }] });
    expect(encodedSize(57)).toBe(78);
  });
});

describe('composeNewMail', () => {
  it('sends a notification from a registry sender with its own From, or refuses an unknown sender', () => {
    const base = { requestedBy: 'admin', requestId: 'n1', from: { address: 'news@mail.shop.test' }, to: [{ address: 'alice@customer.test' }], subject: 'Hello', text: 'Body' };
    expect(composeNewMail(base, undefined, false)).toMatchObject({ kind: 'refused', issues: [{ field: 'from', reason: 'outbound.sender-not-allowed' }] });
    const out = composeNewMail({ ...base, templateId: 'welcome' }, undefined, true);
    expect(out).toMatchObject({ kind: 'ok', record: { purpose: 'notification', from: { address: 'news@mail.shop.test' }, templateId: 'welcome', references: [] } });
    expect(out.kind === 'ok' && out.record.messageId).toMatch(/^<o\.[0-9a-f]{26}@mail\.shop\.test>$/);
    expect(composeNewMail({ ...base, from: { address: 'help@shop.test' } }, route, false)).toMatchObject({ kind: 'ok', record: { purpose: 'new', from: { name: 'Shop Support' }, hiddenBcc: ['archive@shop.test'] } });
  });
});
