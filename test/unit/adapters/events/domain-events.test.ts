/**
 * Domain events on a mocked EventBridge client: the entries sent (source, detail-type, detail),
 * batches of 10, a refused entry sent once more, and failures classified.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../../../lambdas/core/errors.ts';
import type { DomainEvent } from '../../../../lambdas/core/domains/domain-events.ts';
import { EventBridgeDomainEvents } from '../../../../lambdas/adapters/events/domain-events.ts';

const client = new EventBridgeClient({ region: 'eu-west-1' });
const eventBridge = mockClient(client);
const sink = new EventBridgeDomainEvents(client, 'postroom-bus');
const checkedAt = '2026-11-26T18:00:00.000Z';
const verified: DomainEvent = { kind: 'verified', domain: 'acme.com', checkedAt };
const drift: DomainEvent = { kind: 'drift', domain: 'acme.com', checkedAt, record: { name: 'acme.com', type: 'TXT', purpose: 'spf' }, was: 'ok', now: 'missing' };

let calls: PutEventsRequestEntry[][];
beforeEach(() => {
  eventBridge.reset();
  calls = [];
  eventBridge.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
    calls.push(input.Entries);
    return { FailedEntryCount: 0, Entries: input.Entries.map((_, i) => ({ EventId: String(i) })) };
  });
});

describe('EventBridgeDomainEvents', () => {
  it('sends each event with source postroom and its detail-type, the rest as detail', async () => {
    await sink.publish([verified, drift]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.map((e) => [e.Source, e.DetailType, e.EventBusName])).toEqual([
      ['postroom', 'Domain Verified', 'postroom-bus'],
      ['postroom', 'Domain Record Drift', 'postroom-bus'],
    ]);
    expect(JSON.parse(calls[0]![1]!.Detail!)).toEqual({ domain: 'acme.com', checkedAt, record: { name: 'acme.com', type: 'TXT', purpose: 'spf' }, was: 'ok', now: 'missing' });
  });

  it('sends at most 10 entries per call', async () => {
    await sink.publish(Array.from({ length: 23 }, () => verified));
    expect(calls.map((c) => c.length)).toEqual([10, 10, 3]);
  });

  it('sends a refused entry once more, and throws when it is refused again', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
      calls.push(input.Entries);
      return { FailedEntryCount: 1, Entries: input.Entries.map((e, i) => (i === input.Entries.length - 1 ? { ErrorCode: 'InternalFailure' } : { EventId: 'x' })) };
    });
    const act = sink.publish([verified, drift]);
    await expect(act).rejects.toBeInstanceOf(TransientError);
    expect(calls.map((c) => c.map((e) => e.DetailType))).toEqual([['Domain Verified', 'Domain Record Drift'], ['Domain Record Drift']]);
  });

  it('reports throttling as events-unavailable', async () => {
    eventBridge.on(PutEventsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));
    await expect(sink.publish([verified])).rejects.toMatchObject({ code: 'events-unavailable' });
  });
});
