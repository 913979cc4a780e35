/**
 * Every crash point of ingest is repaired by redelivery (decision 11), proven on a real emulator:
 * the real adapters are wrapped so that storage call N throws once (before it runs, or after it
 * has taken effect, as a Lambda killed mid-way would leave it), then the message is delivered
 * again. After the redelivery there is exactly one interaction, exactly one outbox record for its
 * acknowledgement, the acknowledgement's Message-ID threads a reply, and the trail says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxPk } from '../../../lambdas/adapters/dynamodb/outbox-store.ts';
import { TransientError } from '../../../lambdas/core/errors.ts';
import { ingest } from '../../../lambdas/core/ingest.ts';
import type { RunningService } from '../../../lambdas/local/services.ts';
import { DOMAIN, memoryParser, startHarness, type Harness } from './harness.ts';
import { outboxIdFor } from '../../../lambdas/core/outbound/outbox.ts';
import type { IngestDeps } from '../../../lambdas/core/ingest-ports.ts';

/** Which storage call fails, and whether before or after it took effect. */
interface Fault {
  readonly at: number;
  readonly mode: 'before' | 'after';
  calls: number;
  hit: boolean;
  readonly steps: string[];
}

/** `target` with every method counted against `fault`; the call numbered `fault.at` throws once. */
function faulty<T extends object>(name: string, target: T, fault: Fault): T {
  return new Proxy(target, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const n = ++fault.calls;
        fault.steps.push(`${name}.${String(prop)}`);
        const crash = () => {
          fault.hit = true;
          return new TransientError('injected-crash', `crash ${fault.mode} step ${n} (${name}.${String(prop)})`);
        };
        if (n === fault.at && fault.mode === 'before') throw crash();
        const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(obj, args);
        if (n === fault.at && fault.mode === 'after') throw crash();
        return result;
      };
    },
  });
}

/** The ingest dependencies with every storage port (and the parser) wrapped by {@link faulty}. */
function withFault(deps: IngestDeps, fault: Fault): IngestDeps {
  const r = deps.routing;
  return {
    ...deps,
    ledger: faulty('ledger', deps.ledger, fault),
    interactions: faulty('interactions', deps.interactions, fault),
    queues: faulty('queues', deps.queues, fault),
    parser: faulty('parser', deps.parser, fault),
    routing: {
      ...r,
      config: faulty('config', r.config, fault),
      conversations: faulty('conversations', r.conversations, fault),
      threads: faulty('threads', r.threads, fault),
      ackLimiter: faulty('ackLimiter', r.ackLimiter, fault),
      outbox: faulty('outbox', r.outbox, fault),
    },
  };
}

export function describeCrashRepair(emulator: string, start: () => Promise<RunningService>, prefix: string): void {
  describe(`every crash point of ingest is repaired by redelivery, on ${emulator}`, () => {
    let service: RunningService;
    let h: Harness;
    let deps: IngestDeps;
    const parser = memoryParser();

    beforeAll(async () => {
      service = await start();
      h = await startHarness(service, prefix);
      deps = { ...h.deps, parser };
      const now = new Date();
      await h.flows.put('ack', { name: 'acknowledge', rules: [{ when: [], then: [{ type: 'autoAcknowledge', subject: 'Got it: {{subject}}', body: 'Reference {{reference}}' }] }] }, now);
      await h.route(`ack@${DOMAIN}`, { kind: 'flow', flowId: 'ack' });
    }, 90_000);
    afterAll(async () => {
      await h?.stop();
      await service?.stop();
    });

    for (const mode of ['before', 'after'] as const) {
      it(`a crash ${mode} any one storage step: one interaction, one acknowledgement that threads, a truthful trail`, async () => {
        const crashed: string[] = [];
        for (let at = 1; at < 40; at++) {
          const fault: Fault = { at, mode, calls: 0, hit: false, steps: [] };
          const sender = `crash-${mode}-${at}@customer.test`;
          parser.add(`inbound/crash-${mode}-${at}`, { from: sender, subject: `order ${at}`, messageId: `<crash-${mode}-${at}@customer.test>` });
          const receipt = h.receipt(`inbound/crash-${mode}-${at}`, [`ack@${DOMAIN}`]);

          const first = await ingest(receipt, withFault(deps, fault)).catch((err: unknown) => err);
          if (!fault.hit) {
            // Every step has been made to fail once: the last run went through untouched.
            expect(first).toMatchObject({ outcome: 'queued' });
            break;
          }
          expect(first).toBeInstanceOf(TransientError);
          crashed.push(fault.steps.at(-1)!);
          const again = await ingest(receipt, deps);

          // Assess: the redelivery completes what the crash left (or finds it complete).
          const id = again.interactionId;
          expect(['queued', 'duplicate'], `redelivery after a crash ${mode} ${fault.steps.at(-1)}`).toContain(again.outcome);
          expect(await h.items(`M#`)).toContainEqual(expect.objectContaining({ pk: `M#ses:${receipt.transport.kind === 'ses' ? receipt.transport.messageId : ''}`, status: 'done' }));
          const interactions = (await h.items('I#')).filter((i) => (i.message as { from?: { address: string } }).from?.address === sender);
          expect(interactions.map((i) => i.id)).toEqual([id]);
          const outbox = (await h.items('OUT#')).filter((o) => o.interactionId === id);
          expect(outbox.map((o) => o.pk)).toEqual([outboxPk(outboxIdFor(id, 'auto-acknowledgement'))]);
          const trail = (interactions[0]!.trail as { step: string; detail: string }[]).filter((e) => e.step === 'auto-ack');
          expect(trail.map((e) => e.detail)).toEqual([expect.stringMatching(/^requested to /), `enqueued ${outboxIdFor(id, 'auto-acknowledgement')} to ${sender}: "Got it: order ${at}"`]);

          parser.add(`inbound/re-crash-${mode}-${at}`, { from: sender, subject: 'Re: thanks', messageId: `<re-crash-${mode}-${at}@customer.test>`, inReplyTo: String(outbox[0]!.messageId) });
          const threaded = await ingest(h.receipt(`inbound/re-crash-${mode}-${at}`, [`ack@${DOMAIN}`]), deps);
          expect(threaded, `a reply to the acknowledgement after a crash ${mode} ${fault.steps.at(-1)}`).toEqual({ outcome: 'attached', interactionId: id });
        }
        // The crash points covered: every storage step of a new mail with an acknowledgement.
        expect(crashed).toEqual(expect.arrayContaining(['ackLimiter.tryAcquire', 'outbox.enqueue', 'threads.record', 'interactions.create', 'threads.recordToken', 'ledger.complete']));
      }, 180_000);
    }
  });
}
