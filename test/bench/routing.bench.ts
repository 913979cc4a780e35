/**
 * Benchmark (Routing 9c): routing throughput with a 20-rule flow beside the no-flow baseline
 * (the same messages to an address that routes straight to a queue), measured in the same run:
 * - the routing decision in core (decideRoute: guards, address route, flow evaluation);
 * - whole ingest on the local servers (fauxqs S3, dynalite): parse, thread lookups, duplicate
 *   claim, decision and the conditional writes.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ingest } from '../../lambdas/core/ingest.ts';
import type { InboundMessage, ReceiptInfo } from '../../lambdas/core/message.ts';
import { compileFlow } from '../../lambdas/core/routing/flow-eval.ts';
import type { EmailAddressRoute } from '../../lambdas/core/routing/model.ts';
import { decideRoute, type RouteContext } from '../../lambdas/core/routing/decide-route.ts';
import { DynamoAddressRouteStore } from '../../lambdas/adapters/dynamodb/config-store.ts';
import { DynamoDomainStore } from '../../lambdas/adapters/dynamodb/domain-store.ts';
import { DynamoFlowStore } from '../../lambdas/adapters/dynamodb/flow-store.ts';
import { createTableInputs } from '../../lambdas/adapters/dynamodb/schema.ts';
import { ingestDeps } from '../../lambdas/adapters/ingest-deps.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, startFauxqsService } from '../../lambdas/local/services.ts';
import { domainRecord } from '../support/factories.ts';
import { benchFlow } from './flow-fixtures.ts';
import { median, printRows } from './report.ts';

const DECISIONS = 20_000;
const INGESTS = Number(process.env.BENCH_MESSAGES ?? 200);
const SUBJECTS = ['Refund for order', 'Password reset', 'Where is my delivery', 'Invoice question', 'Cancel my plan', 'Hello'];
const now = new Date('2026-11-23T09:00:00Z');

const queueRoute: EmailAddressRoute = {
  address: 'help@support.example.test',
  fromName: 'Help',
  fromAddress: 'help@support.example.test',
  bcc: [],
  routing: { kind: 'queue', queueId: 'general', skills: [], priority: 0 },
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
};
const flowRoute: EmailAddressRoute = { ...queueRoute, routing: { kind: 'flow', flowId: 'triage' } };

function message(i: number): InboundMessage {
  return {
    transport: { kind: 'ses', messageId: `bench${i}` },
    receivedAt: now.toISOString(),
    recipients: ['help@support.example.test'],
    mailFrom: `c${i}@customer.example`,
    verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
    raw: { bucket: 'mail', key: `inbound/bench${i}` },
    subject: `${SUBJECTS[i % SUBJECTS.length]} ${i}`,
    from: { address: `c${i}@customer.example` },
    to: [{ address: 'help@support.example.test' }],
    cc: [],
    replyTo: [],
    references: [],
    headers: {},
    text: 'Hello, I have a question about my account and my last order. Kind regards'.repeat(4),
    textTruncated: false,
    attachments: [],
    stats: { parts: 1, depth: 1, bytes: 600 },
  };
}

function decisionsPerSecond(route: EmailAddressRoute): number {
  const flows = new Map([['triage', compileFlow('triage', 1, benchFlow())]]);
  const ctx = (i: number): RouteContext => ({
    now,
    domains: ['support.example.test'],
    defaults: { queueId: 'default', priority: 0 },
    addressRoute: route,
    duplicate: { explanation: 'first' },
    thread: { new: true, explanation: 'new' },
    flows,
    reference: `PR-${i}`,
    language: 'en',
  });
  const messages = Array.from({ length: 500 }, (_, i) => message(i));
  for (let i = 0; i < 2_000; i++) decideRoute(messages[i % 500]!, ctx(i)); // warm-up
  const started = performance.now();
  for (let i = 0; i < DECISIONS; i++) decideRoute(messages[i % 500]!, ctx(i));
  return DECISIONS / ((performance.now() - started) / 1000);
}

async function ingestPerSecond(withFlow: boolean, offset: number): Promise<number> {
  const route = withFlow ? flowRoute : queueRoute;
  await addresses.update(route).then((r) => (r === 'missing' ? addresses.create(route) : r));
  const deps = ingestDeps(doc, s3, { ...tables, mailBucket: 'mail', defaultQueueId: 'default', defaultPriority: 0 });
  const receipts: ReceiptInfo[] = [];
  for (let i = 0; i < INGESTS; i++) {
    const n = offset + i;
    const m = message(n);
    const raw = `From: ${m.from!.address}\r\nTo: help@support.example.test\r\nSubject: ${m.subject}\r\nMessage-ID: <bench-${n}@customer.example>\r\n\r\n${m.text}\r\n`;
    await s3.send(new PutObjectCommand({ Bucket: 'mail', Key: m.raw.key, Body: raw }));
    receipts.push({ transport: m.transport, receivedAt: m.receivedAt, recipients: m.recipients, mailFrom: m.mailFrom, verdicts: m.verdicts, raw: m.raw });
  }
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < receipts.length) await ingest(receipts[next++]!, deps);
  }));
  return INGESTS / ((performance.now() - started) / 1000);
}

const dynalite = await startDynalite();
const fauxqs = await startFauxqsService();
const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
const s3 = new S3Client({ ...config, endpoint: fauxqs.endpoint, forcePathStyle: true });
await s3.send(new CreateBucketCommand({ Bucket: 'mail' }));
const dynamo = new DynamoDBClient({ ...config, endpoint: dynalite.endpoint });
const tables = { interactionsTable: 'bench-interactions', queuesTable: 'bench-queues', configTable: 'bench-config' };
for (const input of createTableInputs({ interactions: tables.interactionsTable, queues: tables.queuesTable, config: tables.configTable })) {
  await dynamo.send(new CreateTableCommand(input));
}
const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
const addresses = new DynamoAddressRouteStore(doc, tables.configTable);
await new DynamoFlowStore(doc, tables.configTable).put('triage', benchFlow(), now);
await new DynamoDomainStore(doc, tables.configTable).create(domainRecord('support.example.test'));

const decideFlow = decisionsPerSecond(flowRoute);
const decideBase = decisionsPerSecond(queueRoute);
await ingestPerSecond(true, 1_000_000); // warm-up
// Alternating rounds, medians: both sides see tables of the same size.
const baseRuns: number[] = [];
const flowRuns: number[] = [];
for (let round = 0; round < 3; round++) {
  baseRuns.push(await ingestPerSecond(false, 2 * round * INGESTS));
  flowRuns.push(await ingestPerSecond(true, (2 * round + 1) * INGESTS));
}
const ingestBase = median(baseRuns);
const ingestFlow = median(flowRuns);
printRows('routing throughput with a 20-rule flow (ours) beside the same messages without a flow (baseline)', [
  { name: 'decideRoute (core)', ours: decideFlow, baseline: decideBase, unit: 'msg/s' },
  {
    name: `ingest on local servers (${INGESTS} msgs, 4 concurrent, median of 3)`,
    ours: ingestFlow,
    baseline: ingestBase,
    unit: 'msg/s',
    note: "the flow's catch-all auto-acknowledgement adds the limiter, outbox and thread-index writes",
  },
]);
await fauxqs.stop();
await dynalite.stop();
process.exit(0);
