/**
 * The hard case of issue 11 item 2, on dynalite and fauxqs's SQS: the provider accepted a message
 * and the sender died before `sent` was written. The redelivered notice finds the lease expired,
 * the record becomes `uncertain`, and the provider saw exactly one send. Also: two senders racing
 * on one record send once; a redelivery of a sent record sends nothing; a transient failure backs
 * off and the last receive gives up with `retries-exhausted`.
 */
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoOutboxStore } from '../../../lambdas/adapters/dynamodb/outbox-store.ts';
import { sdkBatchCall, SqsOutboundNotifier } from '../../../lambdas/adapters/outbound/notifier.ts';
import { processNotice, RetryLater, sqsSenderQueue, type SenderQueue, type SenderRun } from '../../../lambdas/adapters/outbound/sender-batch.ts';
import { senderDeps } from '../../../lambdas/adapters/outbound/sender-deps.ts';
import { TransientError } from '../../../lambdas/core/errors.ts';
import { enqueueOutbound } from '../../../lambdas/core/outbound/enqueue-outbound.ts';
import { outboxIdForRequest, type NewOutboxRecord } from '../../../lambdas/core/outbound/outbox.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, startFauxqsService, type Dynalite, type Fauxqs } from '../../../lambdas/local/services.ts';
import { DynamoDomainStore } from '../../../lambdas/adapters/dynamodb/domain-store.ts';
import { storedDomain } from '../dynamodb/domain-store-suite.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { CountingComposer, RecordingTransport } from '../../support/memory-outbox.ts';

/** Short, so a crashed sender's lease runs out within the test. */
const LEASE_MS = 1_500;
const MAX_RECEIVES = 5;

let dynalite: Dynalite;
let fauxqs: Fauxqs;
let tables: Tables;
let sqs: SQSClient;
let store: DynamoOutboxStore;

async function newQueue(name: string): Promise<string> {
  // A 1-second visibility: a notice whose sender died (no visibility change, no delete) is back at once.
  const out = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-${Date.now()}`, Attributes: { VisibilityTimeout: '1' } }));
  return out.QueueUrl!;
}

function reply(): NewOutboxRecord {
  const id = outboxIdForRequest('agent-1', `req-${Math.random()}`);
  return { id, purpose: 'reply', interactionId: 'i-1', to: [{ address: 'customer@customer.test' }], from: { address: 'support@verified.test' }, subject: 'Re: order', text: 'Hello', references: [], messageId: `<${id}@verified.test>` };
}

function runOn(queueUrl: string, transport: RecordingTransport, over: Partial<SenderRun> = {}, outbox = store): SenderRun {
  return {
    deps: { ...senderDeps(tables.doc, { interactionsTable: tables.interactions, queuesTable: tables.queues, configTable: tables.config }, { transport, composer: new CountingComposer(), leaseMs: LEASE_MS }), outbox },
    queue: sqsSenderQueue(sqs, queueUrl),
    notifier: new SqsOutboundNotifier(sdkBatchCall(sqs), queueUrl),
    maxReceiveCount: MAX_RECEIVES,
    ...over,
  };
}

/** Receives and processes notices as the Lambda's event source would, until the queue stays empty. */
async function drain(queueUrl: string, run: SenderRun, deadlineMs = 15_000): Promise<string[]> {
  const outcomes: string[] = [];
  const until = Date.now() + deadlineMs;
  let idle = 0;
  while (Date.now() < until && idle < 3) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    const messages = out.Messages ?? [];
    idle = messages.length === 0 ? idle + 1 : 0;
    for (const m of messages) {
      try {
        const outcome = await processNotice({ body: m.Body!, receiptHandle: m.ReceiptHandle!, attributes: { ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1' } }, run);
        outcomes.push(outcome.kind);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
      } catch (err) {
        outcomes.push(err instanceof RetryLater ? `later:${err.why}` : `error:${(err as Error).message}`);
      }
    }
  }
  return outcomes;
}

beforeAll(async () => {
  [dynalite, fauxqs] = await Promise.all([startDynalite(), startFauxqsService()]);
  tables = await createTables(dynalite.endpoint, 'sender');
  sqs = new SQSClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: fauxqs.endpoint, useQueueUrlAsEndpoint: false });
  store = new DynamoOutboxStore(tables.doc, tables.interactions);
  const domain = storedDomain('verified.test');
  await new DynamoDomainStore(tables.doc, tables.config).create({ ...domain, status: { ...domain.status!, verifiedForSending: true } });
});

afterAll(async () => {
  sqs?.destroy();
  tables?.destroy();
  await Promise.all([dynalite?.stop(), fauxqs?.stop()]);
});

describe('the sender on the outbound queue', () => {
  it('a sender that dies after the provider accepted, before markSent: the record becomes uncertain, sent exactly once', async () => {
    const queueUrl = await newQueue('crash');
    const transport = new RecordingTransport();
    const record = reply();
    await enqueueOutbound(store, new SqsOutboundNotifier(sdkBatchCall(sqs), queueUrl), record, new Date());

    // The dying sender: markSent's first call is where the process ends; after it, it does nothing.
    const dead = { changeVisibility: async () => undefined } satisfies SenderQueue;
    const crashing = Object.assign(Object.create(store) as DynamoOutboxStore, {
      markSent: async () => {
        throw new Error('process killed before markSent');
      },
    });
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    const m = first.Messages![0]!;
    await expect(processNotice({ body: m.Body!, receiptHandle: m.ReceiptHandle!, attributes: {} }, runOn(queueUrl, transport, { queue: dead }, crashing))).rejects.toThrow('process killed');
    expect(transport.sends).toHaveLength(1);
    expect((await store.get(record.id))?.state).toBe('sending');

    // A healthy sender gets the redelivery: busy while the lease lives, then the lease ran out.
    const outcomes = await drain(queueUrl, runOn(queueUrl, transport));

    expect(outcomes.at(-1)).toBe('uncertain');
    expect(transport.sends).toHaveLength(1);
    const shown = await store.get(record.id);
    expect(shown).toMatchObject({ state: 'uncertain', attempts: 1, messageId: record.messageId });
    expect((await store.list({ state: 'uncertain' })).records.map((r) => r.id)).toContain(record.id);
  });

  it('two senders racing on one record send it once; a redelivery of the sent record sends nothing', async () => {
    const queueUrl = await newQueue('race');
    const transport = new RecordingTransport();
    const record = reply();
    const notifier = new SqsOutboundNotifier(sdkBatchCall(sqs), queueUrl);
    await enqueueOutbound(store, notifier, record, new Date());
    await notifier.notify([record.id]);

    await Promise.all([drain(queueUrl, runOn(queueUrl, transport)), drain(queueUrl, runOn(queueUrl, transport))]);
    expect(transport.sends).toHaveLength(1);
    expect(await store.get(record.id)).toMatchObject({ state: 'sent', route: { kind: 'ses', identity: 'verified.test' }, providerMessageId: 'provider-1' });

    await notifier.notify([record.id]);
    expect(await drain(queueUrl, runOn(queueUrl, transport))).toEqual(['nothing']);
    expect(transport.sends).toHaveLength(1);
  });

  it('backs off after a transient failure, and the last receive fails the record with retries-exhausted', async () => {
    const queueUrl = await newQueue('transient');
    const transport = new RecordingTransport();
    transport.fail = () => new TransientError('smtp-temporary', '421 try again later');
    const record = reply();
    await enqueueOutbound(store, new SqsOutboundNotifier(sdkBatchCall(sqs), queueUrl), record, new Date());

    const first = await drain(queueUrl, runOn(queueUrl, transport), 3_000);
    expect(first).toEqual(['later:smtp-temporary (421 try again later)']);
    expect(await store.get(record.id)).toMatchObject({ state: 'pending', failure: { reason: 'smtp-temporary' } });

    await new SqsOutboundNotifier(sdkBatchCall(sqs), queueUrl).notify([record.id]);
    expect(await drain(queueUrl, runOn(queueUrl, transport, { maxReceiveCount: 1 }), 3_000)).toEqual(['retry']);
    expect(await store.get(record.id)).toMatchObject({ state: 'failed', failure: { reason: 'retries-exhausted', detail: expect.stringContaining('smtp-temporary') } });
    expect(transport.sends).toEqual([]);
  });
});
