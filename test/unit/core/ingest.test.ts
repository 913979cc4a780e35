/**
 * Ingest orchestration in core, with in-memory implementations of its ports (core does no I/O;
 * the DynamoDB and S3 adapters are tested against real local servers elsewhere).
 */
import { describe, expect, it } from 'vitest';
import { DeploymentError, PermanentError, QuarantineError, TransientError } from '../../../lambdas/core/errors.ts';
import { ingest, interactionIdFor, type IngestDeps } from '../../../lambdas/core/ingest.ts';
import type { Interaction } from '../../../lambdas/core/interaction.ts';
import type { ParsedMail, ReceiptInfo } from '../../../lambdas/core/message.ts';
import type { IngestBegin, IngestLedger, InteractionStore, MessageParser } from '../../../lambdas/core/ports.ts';
import type { RoutingDeps } from '../../../lambdas/core/routing/routing-ports.ts';
import type { MessageIdClaim } from '../../../lambdas/core/routing/thread-ports.ts';

/** Routing ports in memory: no address routes or flows, an empty thread index. */
function memoryRouting(): RoutingDeps {
  const claims = new Map<string, { hash: string; owner: string; claimant: string }>();
  return {
    config: { addressRoute: async () => undefined, flow: async () => undefined, template: async () => undefined },
    conversations: { attach: async () => 'missing' },
    threads: {
      record: async () => 'recorded',
      lookup: async () => [],
      lookupTokens: async () => [],
      recordToken: async () => 'recorded',
      claimMessageId: async (id, hash, owner, _at, claimant = owner): Promise<MessageIdClaim> => {
        const held = claims.get(id);
        if (!held) {
          claims.set(id, { hash, owner, claimant });
          return 'new';
        }
        if (held.claimant === claimant) return 'new';
        return held.hash === hash ? { existing: held.owner } : { differs: held.owner };
      },
    },
    ackLimiter: { tryAcquire: async () => true },
    outbox: { enqueue: async () => 'enqueued', get: async () => undefined },
    detectLanguage: () => ({ explanation: 'language undetermined: test' }),
  };
}

class MemoryLedger implements IngestLedger {
  readonly records = new Map<string, 'started' | 'done'>();
  async begin(key: string): Promise<IngestBegin> {
    const state = this.records.get(key);
    if (!state) {
      this.records.set(key, 'started');
      return 'new';
    }
    return state === 'done' ? 'done' : 'resumed';
  }
  async complete(key: string) {
    this.records.set(key, 'done');
  }
}

class MemoryInteractions implements Pick<InteractionStore, 'create' | 'get'> {
  readonly items = new Map<string, Interaction>();
  async create(i: Interaction) {
    if (this.items.has(i.id)) return 'exists' as const;
    this.items.set(i.id, i);
    return 'created' as const;
  }
  async get(id: string) {
    return this.items.get(id);
  }
}

const parsed: ParsedMail = {
  subject: 'Refund please',
  from: { address: 'ada@customer.example' },
  to: [{ address: 'help@support.example.com' }],
  cc: [],
  replyTo: [],
  references: [],
  headers: {},
  text: 'I want my money back',
  textTruncated: false,
  attachments: [],
  stats: { parts: 1, depth: 1, bytes: 200 },
};

const receipt: ReceiptInfo = {
  transport: { kind: 'ses', messageId: 'abc123' },
  receivedAt: '2026-11-23T09:00:00.000Z',
  recipients: ['help@support.example.com'],
  mailFrom: 'ada@customer.example',
  verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
  raw: { bucket: 'mail', key: 'inbound/abc123' },
};

function setup(parser: MessageParser['parse'] = async () => parsed) {
  const ledger = new MemoryLedger();
  const interactions = new MemoryInteractions();
  const calls: string[] = [];
  const deps: IngestDeps = {
    ledger,
    interactions: interactions as unknown as InteractionStore,
    queues: { get: async (id) => (['default', 'billing'].includes(id) ? { id, name: id, createdAt: '2026-01-01T00:00:00Z' } : undefined) },
    parser: { parse: (raw, prefix) => (calls.push(prefix), parser(raw, prefix)) },
    settings: { domains: ['support.example.com'], defaultQueueId: 'default', defaultPriority: 5 },
    routing: memoryRouting(),
    now: () => new Date('2026-11-23T09:00:30.000Z'),
  };
  return { ledger, interactions, deps, calls };
}

function routedTo(queueId: string): RoutingDeps['config'] {
  return {
    addressRoute: async (address) => ({
      address,
      fromName: 'Support',
      fromAddress: address,
      bcc: [],
      routing: { kind: 'queue', queueId, skills: ['invoices'], priority: 7 },
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    }),
    flow: async () => undefined,
    template: async () => undefined,
  };
}

describe('ingest', () => {
  it('places mail in the queue its address routes to', async () => {
    const { deps, interactions } = setup();

    const outcome = await ingest(receipt, { ...deps, routing: { ...deps.routing, config: routedTo('billing') } });

    expect(outcome).toMatchObject({ outcome: 'queued', queueId: 'billing' });
    expect(interactions.items.get(outcome.interactionId)).toMatchObject({ queueId: 'billing', skills: ['invoices'], priority: 7 });
  });

  it('never enqueues into a queue that was removed: the mail waits in the default queue, and the trail says why', async () => {
    const { deps, interactions } = setup();

    const outcome = await ingest(receipt, { ...deps, routing: { ...deps.routing, config: routedTo('gone') } });

    expect(outcome).toMatchObject({ outcome: 'queued', queueId: 'default' });
    const stored = interactions.items.get(outcome.interactionId)!;
    expect(stored.queueId).toBe('default');
    expect(stored.trail.at(-1)?.detail).toBe('queue gone does not exist (or is being removed): the default queue default instead');
  });

  it('queues a served message in the default queue with its fixed order key', async () => {
    const { deps, interactions } = setup();

    const outcome = await ingest(receipt, deps);

    expect(outcome).toEqual({ outcome: 'queued', interactionId: interactionIdFor('ses:abc123'), queueId: 'default' });
    const stored = interactions.items.get(outcome.interactionId)!;
    expect(stored).toMatchObject({ state: 'waiting', queueId: 'default', priority: 5 });
    // 09:00:30 is 29,660,460.5 minutes after the epoch; minus priority 5
    expect(stored.orderKey).toBe(Date.parse('2026-11-23T09:00:30.000Z') / 60_000 - 5);
    expect(stored.message.subject).toBe('Refund please');
  });

  it('answers a redelivery of a finished message as a duplicate without parsing again', async () => {
    const { deps, calls } = setup();
    await ingest(receipt, deps);

    const again = await ingest(receipt, deps);

    expect(again.outcome).toBe('duplicate');
    expect(calls).toHaveLength(1);
  });

  it('finishes an ingest that crashed after its interaction was written', async () => {
    const { deps, ledger, interactions } = setup();
    await ingest(receipt, deps);
    ledger.records.set('ses:abc123', 'started'); // the crash happened before complete()

    const resumed = await ingest(receipt, deps);

    expect(resumed.outcome).toBe('queued');
    expect(interactions.items.size).toBe(1);
    expect(ledger.records.get('ses:abc123')).toBe('done');
  });

  it('quarantines with the parser reason and keeps the raw pointer', async () => {
    const { deps, interactions } = setup(async () => {
      throw new QuarantineError('too-deep', 'MIME nesting 31 exceeds 20');
    });

    const outcome = await ingest(receipt, deps);

    expect(outcome).toMatchObject({ outcome: 'quarantined', reason: 'too-deep' });
    const stored = interactions.items.get(outcome.interactionId)!;
    expect(stored.quarantine).toEqual({ reason: 'too-deep', detail: 'MIME nesting 31 exceeds 20' });
    expect(stored.message.raw).toEqual(receipt.raw);
    expect(stored.queueId).toBeUndefined();
  });

  it('keeps the header facts the parser could read on a quarantined interaction', async () => {
    const { deps, interactions } = setup(async () => {
      throw new QuarantineError('too-many-parts', 'more than 500 MIME parts', {
        headers: { subject: 'Frösche', from: { address: 'joerg@example.de', name: 'Jörg' }, to: [{ address: 'support@example.org' }], date: '2003-07-01T08:52:37.000Z', messageId: '<q@example.de>' },
      });
    });

    const outcome = await ingest(receipt, deps);

    const stored = interactions.items.get(outcome.interactionId)!;
    expect(stored.state).toBe('quarantined');
    expect(stored.message).toMatchObject({
      subject: 'Frösche',
      from: { address: 'joerg@example.de', name: 'Jörg' },
      to: [{ address: 'support@example.org' }],
      date: '2003-07-01T08:52:37.000Z',
      messageId: '<q@example.de>',
      textPreview: '',
      attachments: [],
    });
  });

  it('quarantines an oversized message without parsing it', async () => {
    const { deps, calls } = setup();

    const outcome = await ingest({ ...receipt, raw: { ...receipt.raw, size: 41 * 1024 * 1024 } }, deps);

    expect(outcome).toMatchObject({ outcome: 'quarantined', reason: 'too-large' });
    expect(calls).toHaveLength(0);
  });

  it('quarantines a message for no served domain', async () => {
    const { deps } = setup();

    const outcome = await ingest({ ...receipt, recipients: ['x@other.example', 'y@sub.support.example.com'] }, deps);

    expect(outcome).toMatchObject({ outcome: 'quarantined', reason: 'no-served-recipient' });
  });

  it('lets a transient storage error propagate and leaves the ledger open for the retry', async () => {
    const { deps, ledger } = setup(async () => {
      throw new TransientError('s3-unavailable', 'SlowDown');
    });

    await expect(ingest(receipt, deps)).rejects.toBeInstanceOf(TransientError);

    expect(ledger.records.get('ses:abc123')).toBe('started');
  });
});

describe('ingest when storage refuses a routing write for good', () => {
  it('quarantines the mail as unroutable with the error, instead of failing every attempt', async () => {
    const { deps, interactions, ledger } = setup();
    const refusing: RoutingDeps = {
      ...deps.routing,
      threads: { ...deps.routing.threads, lookup: async () => Promise.reject(new PermanentError('storage-rejected', 'DynamoDB PutItem failed: ValidationException: Item size has exceeded the maximum allowed size')) },
    };

    const outcome = await ingest(receipt, { ...deps, routing: refusing });

    expect(outcome).toMatchObject({ outcome: 'quarantined', reason: 'unroutable' });
    expect(interactions.items.get(outcome.interactionId)?.quarantine).toEqual({
      reason: 'unroutable',
      detail: 'storage-rejected: DynamoDB PutItem failed: ValidationException: Item size has exceeded the maximum allowed size',
    });
    expect(ledger.records.get('ses:abc123')).toBe('done');
  });

  it('fails the record on a broken deployment (missing table or permission) so it retries and dead-letters, quarantining nothing', async () => {
    const { deps, interactions, ledger } = setup();
    const broken: RoutingDeps = {
      ...deps.routing,
      threads: { ...deps.routing.threads, lookup: async () => Promise.reject(new DeploymentError('storage-misconfigured', 'DynamoDB GetItem failed: ResourceNotFoundException')) },
    };

    await expect(ingest(receipt, { ...deps, routing: broken })).rejects.toBeInstanceOf(DeploymentError);

    expect([...interactions.items.values()].filter((i) => i.state === 'quarantined')).toEqual([]);
    expect(ledger.records.get('ses:abc123')).not.toBe('done');
  });

  it('still throws transient errors so the queue retries', async () => {
    const { deps, interactions } = setup();
    const flaky: RoutingDeps = { ...deps.routing, threads: { ...deps.routing.threads, lookup: async () => Promise.reject(new TransientError('storage-unavailable', 'throttled')) } };

    await expect(ingest(receipt, { ...deps, routing: flaky })).rejects.toBeInstanceOf(TransientError);
    expect(interactions.items.size).toBe(0);
  });
});
