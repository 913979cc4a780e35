/**
 * The IMAP poller's bounded backfill and the join with the SES path (issue 10 items 5 and 7): a
 * 10,000-message mailbox is backfilled to its last 7 days only, with auto-acknowledgements muted;
 * and the same mail arriving by SES and by polling ends as one interaction.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAddressRouteStore } from '../../../lambdas/adapters/dynamodb/config-store.ts';
import { DynamoFlowStore } from '../../../lambdas/adapters/dynamodb/flow-store.ts';
import { DynamoQueueStore } from '../../../lambdas/adapters/dynamodb/queue-store.ts';
import { addressRoute, queue } from '../../support/factories.ts';
import { ingest } from '../../../lambdas/core/ingest.ts';
import { mail, polledMessageIds, SERVED_DOMAIN, startPollHarness, type PollHarness } from './poll-harness.ts';

let h: PollHarness;
beforeAll(async () => {
  h = await startPollHarness('imapbackfill');
  await new DynamoFlowStore(h.doc, h.tables.config).put(
    'ack-all',
    { name: 'Acknowledge everything', rules: [{ name: 'ack', when: [], then: [{ type: 'autoAcknowledge', subject: 'Re: {{subject}}', body: 'Received.\n' }] }] },
    new Date(),
  );
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

const DAY = 86_400_000;

describe('IMAP backfill', () => {
  it('backfills a 10,000-message mailbox to the last 7 days only, acknowledgements muted; new mail is acknowledged', async () => {
    // Prepare: every 1,000th message is 2 days old, the rest 30 days.
    const server = await h.server('imap', { routing: { kind: 'flow', flowId: 'ack-all' } });
    const now = Date.now();
    const recent = new Set(Array.from({ length: 10 }, (_, i) => i * 1000 + 500));
    const bulk = Array.from({ length: 10_000 }, (_, i) => {
      const at = new Date(now - (recent.has(i) ? 2 : 30) * DAY);
      return { raw: mail(`k${i}`, at), receivedAt: at };
    });
    await h.dovecot.deliverMany(server.user, bulk);
    // Act
    const result = await h.pollImap(server);
    await h.drain();
    // Assess
    expect(result).toMatchObject({ fetched: 10, drained: true, backlog: 0 });
    expect(result.skipped).toBe(10_000 - 500 - 10);
    const ids = [...recent].map((i) => `<k${i}@customer.test>`).sort();
    expect(await polledMessageIds(h, server.id)).toEqual(ids);
    const backfilled = await h.interactions((i) => i.message.transport.kind === 'imap' && i.message.transport.serverId === server.id);
    expect(backfilled.every((i) => i.trail.some((t) => t.step === 'auto-ack' && t.detail.startsWith('muted')))).toBe(true);
    expect(await outboxOf(backfilled.map((i) => i.id))).toHaveLength(0);

    // Act: mail arriving after the backfill is new mail, acknowledged as usual.
    await h.dovecot.deliver(server.user, mail('k-new'));
    expect((await h.pollImap(server)).fetched).toBe(1);
    await h.drain();
    const fresh = await h.interactions((i) => i.message.messageId === '<k-new@customer.test>');
    expect(fresh).toHaveLength(1);
    expect(await outboxOf([fresh[0]!.id])).toHaveLength(1);
  }, 60_000);

  it('routes polled mail by the routing plan of its server, not by its recipients', async () => {
    await new DynamoQueueStore(h.doc, h.tables.queues, h.tables.interactions).create(queue('sales'));
    await new DynamoAddressRouteStore(h.doc, h.tables.config).create(
      addressRoute(`sales@${SERVED_DOMAIN}`, { routing: { kind: 'queue', queueId: 'sales', skills: ['billing'], priority: 5 } }),
    );
    const server = await h.server('imap', { routing: { kind: 'address', address: `sales@${SERVED_DOMAIN}` } });
    await h.dovecot.deliver(server.user, mail('plan')); // To: someone@example.test, which has no route
    await h.pollImap(server);
    await h.drain();
    const [routed] = await h.interactions((i) => i.message.messageId === '<plan@customer.test>');
    expect(routed).toMatchObject({ state: 'waiting', queueId: 'sales', skills: ['billing'], priority: 5 });
    expect(routed?.message.recipients).toEqual([server.user]);
  });

  it('joins the same mail arriving by SES and by polling into one interaction', async () => {
    const server = await h.server('imap');
    await h.pollImap(server); // the first poll (an empty backfill): what follows is new mail
    const raw = mail('both-ways');
    await h.s3.send(new PutObjectCommand({ Bucket: h.bucket, Key: 'inbound/ses-both-ways', Body: raw }));
    await ingest(
      {
        transport: { kind: 'ses', messageId: 'ses-both-ways' },
        receivedAt: new Date().toISOString(),
        recipients: [`help@${SERVED_DOMAIN}`],
        mailFrom: 'kim.both-ways@customer.test',
        verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
        raw: { bucket: h.bucket, key: 'inbound/ses-both-ways' },
      },
      h.deps,
    );
    await h.dovecot.deliver(server.user, raw);
    expect((await h.pollImap(server)).fetched).toBe(1);
    await h.drain();
    const all = await h.interactions((i) => i.message.messageId === '<both-ways@customer.test>');
    expect(all.map((i) => i.message.transport.kind)).toEqual(['ses']);
    expect(await polledMessageIds(h, server.id)).toEqual([]);
    expect(await h.items(`R#${all[0]!.id}#imap:${server.id}:`)).toHaveLength(1);
  });
});

async function outboxOf(interactionIds: readonly string[]): Promise<Record<string, unknown>[]> {
  const ids = new Set(interactionIds);
  return (await h.items('OUT#')).filter((o) => ids.has(String(o.interactionId)));
}
