/**
 * Ingest orchestration in core, with in-memory implementations of its ports (core does no I/O;
 * the DynamoDB and S3 adapters are tested against real local servers elsewhere).
 */
import { describe, expect, it } from 'vitest';
import { DeploymentError, PermanentError, QuarantineError, TransientError } from '../../../lambdas/core/errors.ts';
import { ingest, interactionIdFor } from '../../../lambdas/core/ingest.ts';
import type { MessageParser } from '../../../lambdas/core/ports.ts';
import type { RoutingDeps } from '../../../lambdas/core/routing/routing-ports.ts';
import { addressRoute, parsedMail, receiptInfo } from '../../support/factories.ts';
import { memoryIngest } from '../../support/memory-ingest.ts';

const parsed = parsedMail({ subject: 'Refund please', from: { address: 'ada@customer.example' }, text: 'I want my money back', stats: { parts: 1, depth: 1, bytes: 200 } });

const receipt = receiptInfo('abc123');

const setup = (parser: MessageParser['parse'] = async () => parsed) => memoryIngest(parser);

function routedTo(queueId: string): RoutingDeps['config'] {
  return {
    addressRoute: async (address) =>
      addressRoute(address, { routing: { kind: 'queue', queueId, skills: ['invoices'], priority: 7 }, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' }),
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

  it('routes by the served domains the port answers, asking once per domain, whatever the case', async () => {
    // Prepare: a domain the port serves (added at runtime), asked about through has()
    const { deps } = setup();
    const asked: string[] = [];
    const servedDomains = { list: async () => ['new.example.org'], has: async (d: string) => (asked.push(d), d === 'new.example.org') };
    const looked: string[] = [];
    const config = { ...routedTo('billing'), addressRoute: async (address: string) => void looked.push(address) };
    const recipients = ['a@other.example', 'Help@New.Example.org', 'b@new.example.org', 'c@other.example'];

    // Act
    const outcome = await ingest({ ...receipt, recipients }, { ...deps, servedDomains, routing: { ...deps.routing, config } });

    // Assess: only the served recipients are looked up for an address route
    expect(outcome).toMatchObject({ outcome: 'queued' });
    expect(asked.sort()).toEqual(['new.example.org', 'other.example']);
    expect(looked).toEqual(['Help@New.Example.org', 'b@new.example.org']);
  });

  it('lets a failure to read the served domains propagate, so the mail is retried, never disposed as not served', async () => {
    // Prepare
    const { deps, ledger, interactions } = setup();
    const servedDomains = { list: async () => [], has: async () => Promise.reject(new TransientError('storage-throttled', 'DynamoDB Scan throttled')) };

    // Act
    const ingesting = ingest(receipt, { ...deps, servedDomains });

    // Assess
    await expect(ingesting).rejects.toBeInstanceOf(TransientError);
    expect(ledger.records.get('ses:abc123')).toBe('started');
    expect(interactions.items.size).toBe(0);
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
