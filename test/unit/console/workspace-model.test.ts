/**
 * The workspace's pure rules (console/src/features/workspace/model): reply defaults as the API
 * composes them, the 50-recipient count, address lists, templates, the timeline's order, and API
 * field paths mapped to form fields.
 */
import { describe, expect, it } from 'vitest';
import type { AddressRouteView, InteractionDetail, InteractionView } from '../../../console/src/features/workspace/api/types.ts';
import {
  countRecipients,
  fillTemplate,
  formatAddressList,
  MAX_RECIPIENTS,
  parseAddressList,
  referenceOf,
  replyDefaults,
  routeFor,
  templateVariables,
} from '../../../console/src/features/workspace/model/compose.ts';
import { fieldErrors } from '../../../console/src/features/workspace/model/field-errors.ts';
import { buildTimeline } from '../../../console/src/features/workspace/model/timeline.ts';

const route: AddressRouteView = { address: 'support@example.com', fromName: 'Support', fromAddress: 'help@example.com', bcc: ['audit@example.com'] };

function interaction(over: Partial<InteractionView> = {}): InteractionView {
  return {
    id: 'i-1',
    state: 'claimed',
    createdAt: '2026-11-27T10:00:00.000Z',
    agentId: 'anna',
    message: {
      receivedAt: '2026-11-27T10:00:00.000Z',
      mailFrom: 'bounce@customer.example',
      recipients: ['support@example.com'],
      subject: 'Bestellung 42',
      from: { address: 'kunde@customer.example', name: 'Kunde' },
      to: [{ address: 'support@example.com' }, { address: 'colleague@customer.example' }],
      cc: [{ address: 'help@example.com' }, { address: 'boss@customer.example' }],
      textPreview: 'Hallo',
      attachments: [],
    },
    trail: [{ at: '2026-11-27T10:00:01.000Z', step: 'queued', detail: 'waiting in support' }],
    ...over,
  };
}

describe('reply composer rules', () => {
  it('finds the address route the customer wrote to', () => {
    expect(routeFor(interaction(), [route])?.fromAddress).toBe('help@example.com');
    expect(routeFor(interaction(), [{ ...route, address: 'other@example.com' }])).toBeUndefined();
  });

  it('replies to the customer, replies all without our own addresses, forwards to nobody yet', () => {
    expect(replyDefaults('reply', interaction(), [route])).toEqual({ to: [{ address: 'kunde@customer.example', name: 'Kunde' }], cc: [] });
    expect(replyDefaults('reply-all', interaction(), [route])).toEqual({
      to: [{ address: 'kunde@customer.example', name: 'Kunde' }, { address: 'colleague@customer.example' }],
      cc: [{ address: 'boss@customer.example' }],
    });
    expect(replyDefaults('forward', interaction(), [route])).toEqual({ to: [], cc: [] });
  });

  it('counts every recipient and the fixed BCC against the limit of 50', () => {
    const many = parseAddressList(Array.from({ length: 49 }, (_, i) => `a${i}@x.example`).join(', '));
    expect(countRecipients([many], 0)).toBe(49);
    expect(countRecipients([many, [], []], route.bcc!.length)).toBe(MAX_RECIPIENTS);
    expect(countRecipients([many, [{ address: 'b@x.example' }]], 1)).toBeGreaterThan(MAX_RECIPIENTS);
  });

  it('parses and formats address lists with display names', () => {
    const list = parseAddressList('"Anna B" <anna@x.example>; bob@x.example,\n山田 <yamada@x.example>');
    expect(list).toEqual([{ address: 'anna@x.example', name: 'Anna B' }, { address: 'bob@x.example' }, { address: 'yamada@x.example', name: '山田' }]);
    expect(formatAddressList(list)).toBe('Anna B <anna@x.example>, bob@x.example, 山田 <yamada@x.example>');
  });

  it('fills a template from the interaction and leaves unknown placeholders as typed', () => {
    const vars = templateVariables(interaction(), 'kunde@customer.example', referenceOf(interaction(), [{ id: 'o', purpose: 'auto-acknowledgement', state: 'sent', subject: 'Re: Bestellung 42 [PR-7K3QX9AB]', createdAt: '' }]));
    expect(fillTemplate('Hallo {{ from.name }}, zu "{{subject}}" ({{reference}}) {{unknown}}', vars)).toBe('Hallo Kunde, zu "Bestellung 42" (PR-7K3QX9AB) {{unknown}}');
  });

  it('shows API field paths at their form field', () => {
    expect(fieldErrors({ to: 'is required', 'cc[1]': 'is not an address', 'cc[3]': 'is suppressed', 'attachments[0]': 'expired' })).toEqual({
      to: 'is required',
      cc: '[1]: is not an address; [3]: is suppressed',
      attachments: '[0]: expired',
    });
  });
});

describe('timeline', () => {
  it('orders the first mail, the acknowledgement, a reply with its delivery, the customer again and the trail', () => {
    const detail: InteractionDetail = {
      interaction: interaction(),
      replies: [
        { transportKey: 'o', receivedAt: '2026-11-27T10:05:00.000Z', mailFrom: 'help@example.com', subject: 'Re: Bestellung 42', textPreview: 'Danke', attachments: [], direction: 'out', outboxId: 'o-reply' },
        { transportKey: 'c', receivedAt: '2026-11-27T10:07:00.000Z', mailFrom: 'kunde@customer.example', subject: 'Re: Re: Bestellung 42', textPreview: 'Noch was', attachments: [] },
      ],
      outbox: [
        { id: 'o-ack', purpose: 'auto-acknowledgement', state: 'sent', subject: 'Eingang', createdAt: '2026-11-27T10:00:02.000Z' },
        { id: 'o-reply', purpose: 'reply', state: 'sent', subject: 'Re: Bestellung 42', createdAt: '2026-11-27T10:05:00.000Z', route: 'ses', delivery: [{ recipient: 'kunde@customer.example', status: 'delivered', at: '2026-11-27T10:05:10.000Z', detail: '' }] },
      ],
    };
    const items = buildTimeline(detail);
    expect(items.map((i) => i.kind)).toEqual(['customer', 'trail', 'sent', 'sent', 'customer']);
    const reply = items[3]!;
    expect(reply.kind === 'sent' && reply.state === 'sent' && reply.route === 'ses' && reply.delivery.length === 1).toBe(true);
    expect(items[2]!.kind === 'sent' && items[2]!.purpose).toBe('auto-acknowledgement');
  });
});
