import { describe, expect, it } from 'vitest';
import { composeReply } from '../../../../lambdas/core/outbound/compose-request.ts';
import type { NewOutboxRecord, OutboxRecord, OutboxStore } from '../../../../lambdas/core/outbound/outbox.ts';
import { submitSend, type SubmitSendDeps } from '../../../../lambdas/core/outbound/submit-send.ts';
import type { ConversationStore, ReplyRecord } from '../../../../lambdas/core/routing/routing-ports.ts';
import type { Interaction } from '../../../../lambdas/core/interaction.ts';
import { addressRoute, at, PASS_VERDICTS } from '../../../support/factories.ts';
import { fixedIntegrations, memorySuppressions, recordingNotifier, verifiedDomains } from '../../../support/outbound-fakes.ts';

const interaction = {
  id: 'i-1', channel: 'email', state: 'claimed', agentId: 'anna', createdAt: at(0).toISOString(), priority: 0, skills: [], trail: [],
  message: {
    transport: { kind: 'ses', messageId: 's' }, receivedAt: at(0).toISOString(), mailFrom: 'alice@customer.test', recipients: ['help@shop.test'], messageId: '<m1@customer.test>',
    references: [], subject: 'Order', from: { address: 'alice@customer.test' }, to: [{ address: 'help@shop.test' }], cc: [], textPreview: '', attachments: [], verdicts: PASS_VERDICTS, raw: { bucket: 'mail', key: 'k' },
  },
} satisfies Interaction;

function record(bcc: readonly string[] = []): NewOutboxRecord {
  const route = addressRoute('help@shop.test', { bcc });
  const out = composeReply({ mode: 'reply', requestedBy: 'anna', requestId: 'r1', text: 'Hi' }, { interaction, replies: [], route, ownAddresses: new Set() });
  if (out.kind !== 'ok') throw new Error('refused');
  return out.record;
}

function deps(over: Partial<SubmitSendDeps> = {}) {
  const records = new Map<string, OutboxRecord>();
  const outbox: OutboxStore = {
    enqueue: async (r, now) => (records.has(r.id) ? 'exists' : (records.set(r.id, { ...r, state: 'pending', createdAt: now.toISOString() }), 'enqueued')),
    get: async (id) => records.get(id),
  };
  const attached: ReplyRecord[] = [];
  const conversations: ConversationStore = { attach: async (_id, reply) => (attached.some((r) => r.transportKey === reply.transportKey) || attached.push(reply), 'attached') };
  const recorded: string[] = [];
  const notifier = recordingNotifier();
  const d: SubmitSendDeps = {
    outbox, notifier, conversations, mailBucket: 'mail',
    suppressions: memorySuppressions([{ address: 'archive@shop.test', reason: 'complaint', detail: '', at: at(0).toISOString() }]),
    sendingDomains: verifiedDomains(['shop.test']),
    integrations: fixedIntegrations().list,
    bodies: { putBody: async (id, part, body) => ({ bucket: 'mail', key: `outbound/${id}/${part}`, size: body.length }) },
    threads: { record: async (id) => (recorded.push(id), 'recorded') },
    ...over,
  };
  return { d, records, attached, recorded, notifier };
}

describe('submitSend', () => {
  it('refuses a sender whose domain is not verified and that no SMTP server sends as, and a suppressed fixed BCC on `from`', async () => {
    const { d, records } = deps({ sendingDomains: verifiedDomains([]) });
    const out = await submitSend(record(['archive@shop.test']), d, at(1));
    expect(out).toMatchObject({
      kind: 'refused',
      issues: [
        { field: 'from', reason: 'outbound.recipient-suppressed', message: expect.stringContaining("fixed BCC archive@shop.test (complaint)") },
        { field: 'from', reason: 'outbound.no-route-for-sender' },
      ],
    });
    expect(records.size).toBe(0);
  });

  it('repairs a crash after the enqueue on the client\'s retry: joins the conversation once and notifies again', async () => {
    const { d, records, attached, recorded, notifier } = deps();
    let fail = true;
    const flaky: ConversationStore = {
      attach: async (...args) => {
        if (fail) throw new Error('crash after enqueue');
        return d.conversations.attach(...args);
      },
    };
    await expect(submitSend(record(), { ...d, conversations: flaky }, at(1))).rejects.toThrow('crash after enqueue');
    fail = false;
    const retry = await submitSend(record(), { ...d, conversations: flaky }, at(2));
    const third = await submitSend(record(), { ...d, conversations: flaky }, at(3));

    expect(retry).toMatchObject({ kind: 'exists', record: { state: 'pending', createdAt: at(1).toISOString() } });
    expect(third.kind).toBe('exists');
    expect(records.size).toBe(1);
    expect(attached).toHaveLength(1);
    expect(attached[0]).toMatchObject({ direction: 'out', raw: { key: `outbound/${retry.kind !== 'refused' && retry.record.id}.eml` } });
    expect(recorded).toHaveLength(2);
    expect(notifier.notified).toHaveLength(2);
  });

  it('moves a body over 64 KiB to storage and keeps a preview', async () => {
    const { d, records } = deps();
    const big = { ...record(), text: 'ü'.repeat(40_000), html: `<p>${'x'.repeat(70_000)}</p>` };
    await submitSend(big, d, at(1));
    const stored = records.get(big.id)!;
    expect(stored).toMatchObject({ textBlob: { key: `outbound/${big.id}/text` }, htmlBlob: { key: `outbound/${big.id}/html` } });
    expect(stored.text).toHaveLength(2_000);
    expect(stored).not.toHaveProperty('html');
  });
});
