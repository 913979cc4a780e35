/**
 * The local runtime runs the sender Lambda's handler on its outbound queue: a record announced
 * there is taken up (a send attempt begins, counted on the record). Where it ends (no route for
 * an unverified domain, or the loud `outbound-not-wired` release until the transports are wired)
 * is the sender core's, tested in send-outbox.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoOutboxStore } from '../../../lambdas/adapters/dynamodb/outbox-store.ts';
import { sdkBatchCall, SqsOutboundNotifier } from '../../../lambdas/adapters/outbound/notifier.ts';
import { enqueueOutbound } from '../../../lambdas/core/outbound/enqueue-outbound.ts';
import { outboxIdForRequest } from '../../../lambdas/core/outbound/outbox.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { eventually } from '../../support/eventually.ts';

let runtime: LocalRuntime;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'postroom-sender-'));
  runtime = await startLocalRuntime({ memory: true, smtpPort: 0, apiPort: 0, stateDir, domains: ['support.example.test'] });
});

afterAll(async () => {
  await runtime?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('the local sender loop', () => {
  it('takes up a record announced on the outbound queue with the sender handler', async () => {
    const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ ...config, endpoint: runtime.endpoints.dynamodb }));
    const sqs = new SQSClient({ ...config, endpoint: runtime.endpoints.fauxqs, useQueueUrlAsEndpoint: false });
    const store = new DynamoOutboxStore(doc, runtime.resources.interactionsTable);
    const id = outboxIdForRequest('agent-1', `local-${Date.now()}`);
    const notifier = new SqsOutboundNotifier(sdkBatchCall(sqs), process.env.OUTBOUND_QUEUE_URL!);

    await enqueueOutbound(store, notifier, { id, purpose: 'new', to: [{ address: 'c@customer.test' }], from: { address: 'help@support.example.test' }, subject: 'Hello', text: 'Hi', references: [], messageId: `<${id}@support.example.test>` }, new Date());

    const taken = await eventually(async () => {
      const r = await store.get(id);
      return r?.attempts ? r : undefined;
    }, { what: `a send attempt of ${id}` });
    expect(taken).toMatchObject({ attempts: 1 });
    sqs.destroy();
  });
});
