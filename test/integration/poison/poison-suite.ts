/**
 * The reviewed poison messages, each ingested end to end on a real emulator (decision 12): they
 * end queued, attached or quarantined with a reason, never in a thrown error that would send them
 * to the DLQ on every attempt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../lambdas/core/ingest.ts';
import { ITEM_LIMITS } from '../../../lambdas/core/limits.ts';
import { FLOW_LIMITS, type FlowDefinition } from '../../../lambdas/core/routing/flow.ts';
import { flowErrors } from '../../../lambdas/core/routing/flow-validation.ts';
import { referenceTokenFor } from '../../../lambdas/core/routing/reference-token.ts';
import type { RunningService } from '../../../lambdas/local/services.ts';
import { DOMAIN, mail, mailWithAttachments, matchEverythingFlow, startHarness, type Harness } from './harness.ts';

/** DynamoDB's item limit: what these tests prove every item stays under. */
const DYNAMODB_ITEM_BYTES = 400 * 1024;

/**
 * @param mimeCases also run the case that goes through the real MIME parser with 400 parts (slow;
 *   it is about the item the parser's output becomes, so one emulator suffices)
 */
export function describePoison(emulator: string, start: () => Promise<RunningService>, prefix: string, mimeCases = true): void {
  describe(`no message becomes poison, on ${emulator}`, () => {
    let service: RunningService;
    let h: Harness;

    beforeAll(async () => {
      service = await start();
      h = await startHarness(service, prefix);
    }, 90_000);
    afterAll(async () => {
      await h?.stop();
      await service?.stop();
    });

    it.runIf(mimeCases)('queues a 522 KB mail with 400 attachments: 50 on the item, the count, the full list in S3', async () => {
      const eml = mailWithAttachments(400, '<many@customer.test>');
      expect(eml.length).toBeGreaterThan(500_000);

      const outcome = await ingest(await h.store('inbound/many', eml), h.deps);

      expect(outcome.outcome).toBe('queued');
      const stored = (await h.deps.interactions.get(outcome.interactionId))!;
      expect(stored.message.attachments).toHaveLength(ITEM_LIMITS.maxAttachmentsOnItem);
      expect(stored.message.attachmentCount).toBe(400);
      expect(stored.message.attachmentsBlob?.key).toBe(`parts/${outcome.interactionId}/attachments.json`);
      const full = (await h.readJson(stored.message.attachmentsBlob!.key)) as { filename: string }[];
      expect(full.map((a) => a.filename)).toEqual(Array.from({ length: 400 }, (_, n) => `file-${n}.bin`));
    });

    it('queues mail routed through a valid 100-rule flow that matches everything, its trail within the caps', async () => {
      const flow = matchEverythingFlow();
      expect(flowErrors(flow, { queues: new Set(['billing']) })).toEqual({});
      await h.flows.put('everything', flow, new Date());
      await h.route(`everything@${DOMAIN}`, { kind: 'flow', flowId: 'everything' });

      const receipt = await h.store('inbound/everything', mail({ from: 'all@customer.test', subject: 'anything', messageId: '<all@customer.test>' }), [`everything@${DOMAIN}`]);
      const outcome = await ingest(receipt, h.deps);

      expect(outcome).toMatchObject({ outcome: 'queued', queueId: 'billing' });
      const stored = (await h.deps.interactions.get(outcome.interactionId))!;
      expect(stored.trail.length).toBeLessThanOrEqual(ITEM_LIMITS.maxTrailEntries);
      expect(stored.trail.some((e) => /more rules matched \(trail cut/.test(e.detail))).toBe(true);
      expect(stored.tags).toHaveLength(ITEM_LIMITS.maxTags);
      expect(stored.priority).toBe(100);
      expect(Buffer.byteLength(JSON.stringify(stored))).toBeLessThan(DYNAMODB_ITEM_BYTES / 2);
    });

    it('stores and reads back the biggest flow the validator accepts', async () => {
      // Non-ASCII values: DynamoDB counts UTF-8 bytes, as the validator does.
      const values = Array.from({ length: FLOW_LIMITS.maxValues }, (_, n) => `${n}é`.padEnd(30, 'ü'));
      const rule = { when: [{ field: 'subject' as const, op: 'in' as const, values }], then: [{ type: 'tag' as const, tags: ['big'] }] };
      const rules = [rule];
      const flow: FlowDefinition = { name: 'big', rules };
      while (Object.keys(flowErrors({ ...flow, rules: [...rules, rule] }, { queues: new Set() })).length === 0) rules.push(rule);
      expect(flowErrors(flow, { queues: new Set() })).toEqual({});
      expect(Buffer.byteLength(JSON.stringify(flow))).toBeGreaterThan(FLOW_LIMITS.maxDefinitionBytes - 15_000);

      const stored = await h.flows.put('big', flow, new Date());

      expect((await h.flows.getVersion('big', stored.version))?.definition).toEqual(flow);
    });

    it('queues a 28-character subject through flows holding the reviewed catastrophic patterns', async () => {
      const patterns = ['((a+))+$', '(.*a){12}$', 'a*a*a*a*a*a*b'];
      const flow: FlowDefinition = {
        name: 'catastrophic',
        rules: patterns.map((value) => ({ when: [{ field: 'subject' as const, op: 'matches' as const, value }], then: [{ type: 'setQueue' as const, queueId: 'billing' }] })),
      };
      expect(flowErrors(flow, { queues: new Set(['billing']) })).toEqual({});
      await h.flows.put('catastrophic', flow, new Date());
      await h.route(`regex@${DOMAIN}`, { kind: 'flow', flowId: 'catastrophic' });

      const subject = `${'a'.repeat(27)}!`;
      const receipt = await h.store('inbound/regex', mail({ from: 'regex@customer.test', subject, messageId: '<regex@customer.test>' }), [`regex@${DOMAIN}`]);
      const outcome = await ingest(receipt, h.deps);

      expect(outcome).toMatchObject({ outcome: 'queued', queueId: 'default' });
    });

    it.each([
      ['In-Reply-To', (first: string, _id: string) => ({ 'In-Reply-To': first, References: first }), 'Re: my order'],
      ['reference token', (_first: string, id: string) => ({}), (id: string) => `Re: my order [${referenceTokenFor(id)}]`],
    ] as const)('reopens a closed interaction when the customer replies to it (by %s)', async (by, headers, subject) => {
      const first = `<closed-${by.length}@customer.test>`;
      const opened = await ingest(await h.store(`inbound/closed-${by.length}`, mail({ from: 'closer@customer.test', subject: 'my order', messageId: first })), h.deps);
      await h.close(opened.interactionId);

      const replySubject = typeof subject === 'string' ? subject : subject(opened.interactionId);
      const reply = mail({ from: 'closer@customer.test', subject: replySubject, messageId: `<reply-${by.length}@customer.test>`, headers: headers(first, opened.interactionId) });
      const outcome = await ingest(await h.store(`inbound/reply-${by.length}`, reply), h.deps);

      expect(outcome).toEqual({ outcome: 'attached', interactionId: opened.interactionId });
      const reopened = (await h.deps.interactions.get(opened.interactionId))!;
      expect(reopened).toMatchObject({ state: 'waiting', queueId: 'default', replyCount: 1 });
      expect(reopened.closedAt).toBeUndefined();
      expect(reopened.trail.at(-1)).toMatchObject({ step: 'reopened' });
      expect((await h.deps.interactions.listWaiting('default', 100)).items.map((e) => e.id)).toContain(opened.interactionId);
    });

    it('keeps the trail of a long conversation within its cap, with the newest replies', async () => {
      const opened = await ingest(await h.store('inbound/long', mail({ from: 'long@customer.test', subject: 'long', messageId: '<long@customer.test>' })), h.deps);
      const stored = (await h.deps.interactions.get(opened.interactionId))!;
      const at = (n: number) => new Date(Date.parse(stored.createdAt) + n * 1000);
      for (let n = 0; n < 60; n++) {
        const reply = { transportKey: `ses:long-${n}`, receivedAt: at(n).toISOString(), mailFrom: '', subject: 'Re: long', textPreview: '', attachments: [], verdicts: stored.message.verdicts, raw: stored.message.raw };
        const trail = [1, 2, 3].map((k) => ({ at: at(n).toISOString(), step: 'attached', detail: `reply ${n} line ${k}` }));
        expect(await h.deps.routing.conversations.attach(opened.interactionId, reply, trail, at(n))).toBe('attached');
      }
      const long = (await h.deps.interactions.get(opened.interactionId))!;
      expect(long.replyCount).toBe(60);
      expect(long.trail).toHaveLength(ITEM_LIMITS.maxTrailEntries);
      expect(long.trail.filter((e) => e.step === 'trail-cut')).toHaveLength(1);
      expect(long.trail[0]?.step).toBe('received');
      expect(long.trail.at(-1)?.detail).toBe('reply 59 line 3');
    }, 60_000);
  });
}
