/**
 * The sender hears of every enqueued message: routing's acknowledgement notifies on every pass
 * (also a retry that finds the record stored), and enqueueOutbound notifies after the write, also
 * for a retried request.
 */
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../../lambdas/core/ingest.ts';
import { enqueueOutbound } from '../../../../lambdas/core/outbound/enqueue-outbound.ts';
import { outboxIdFor, outboxIdForRequest } from '../../../../lambdas/core/outbound/outbox.ts';
import { compileFlow } from '../../../../lambdas/core/routing/flow-eval.ts';
import { addressRoute, receiptInfo } from '../../../support/factories.ts';
import { memoryIngest } from '../../../support/memory-ingest.ts';
import { MemoryOutbox, RecordingNotifier } from '../../../support/memory-outbox.ts';

const NOW = new Date('2026-11-26T12:00:00.000Z');

describe('notifying the sender', () => {
  it('routing notifies the acknowledgement it enqueues, and again on a retried ingest', async () => {
    const { deps, ledger } = memoryIngest();
    const outbox = new MemoryOutbox();
    const notifier = new RecordingNotifier();
    const flow = compileFlow('ack', 1, { name: 'Ack', rules: [{ name: 'ack', when: [], then: [{ type: 'autoAcknowledge', subject: 'Got it [{{reference}}]', body: 'Hello' }] }] });
    const routing = {
      ...deps.routing,
      outbox,
      notifier,
      config: { addressRoute: async (a: string) => addressRoute(a, { routing: { kind: 'flow' as const, flowId: 'ack' } }), flow: async () => flow, template: async () => undefined },
    };
    const receipt = receiptInfo();

    const first = await ingest(receipt, { ...deps, routing });
    const id = outboxIdFor(first.interactionId!, 'auto-acknowledgement');
    ledger.records.clear();
    await ingest(receipt, { ...deps, routing });

    expect(outbox.records.get(id)?.state).toBe('pending');
    expect(notifier.notified).toEqual([{ ids: [id] }, { ids: [id] }]);
  });

  it('enqueueOutbound writes, then notifies, also for a retried request', async () => {
    const outbox = new MemoryOutbox();
    const notifier = new RecordingNotifier();
    const id = outboxIdForRequest('agent-1', 'req-1');
    const record = { id, purpose: 'reply' as const, to: [{ address: 'c@customer.test' }], from: { address: 's@example.test' }, subject: 'Re', text: 'x', references: [], messageId: `<${id}@example.test>` };

    expect([await enqueueOutbound(outbox, notifier, record, NOW), await enqueueOutbound(outbox, notifier, record, NOW)]).toEqual(['enqueued', 'exists']);
    expect(notifier.notified).toEqual([{ ids: [id] }, { ids: [id] }]);
  });
});
