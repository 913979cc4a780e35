/**
 * Benchmark (b): messages/s through the real handlers on the local runtime (SMTP in -> queued),
 * beside the floor of what each message must cost on the same local services, done directly:
 * the raw S3 put, the notification's SQS send/receive/delete, the raw S3 get, and the DynamoDB
 * calls of ingest and routing (ledger begin, thread lookup, Message-ID claim, interaction,
 * reference token, ledger complete).
 * Target: pipeline >= 0.7x the floor (our own overhead under 30%).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import nodemailer from 'nodemailer';
import { startLocalRuntime } from '../../lambdas/local/runtime.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lambdas/local/services.ts';
import { median, printRows } from './report.ts';
import { startTestDns } from '../support/dns-server.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200);
const ROUNDS = 3;
const CONCURRENCY = 4;

function message(i: number): string {
  const html = i % 3 === 0;
  return [
    `From: Customer ${i} <c${i}@customer.example>`,
    'To: help@support.example.test',
    `Subject: Order ${i} question`,
    `Message-ID: <bench-${i}@customer.example>`,
    'MIME-Version: 1.0',
    html ? 'Content-Type: text/html; charset=utf-8' : 'Content-Type: text/plain; charset=utf-8',
    '',
    html ? `<p>Hello, where is <b>order ${i}</b>?</p>`.repeat(20) : `Hello, where is order ${i}?\r\n`.repeat(40),
    '',
  ].join('\r\n');
}

async function runPool(count: number, worker: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await worker(next++);
    }),
  );
}

const stateDir = await mkdtemp(join(tmpdir(), 'postroom-bench-'));
// SPF/DMARC lookups go to a DNS server on loopback: a benchmark sends no traffic off the machine.
const dns = await startTestDns({ 'customer.example': ['v=spf1 ip4:127.0.0.1 -all'] });
const runtime = await startLocalRuntime({
  memory: true,
  smtpPort: 0,
  apiPort: 0,
  stateDir,
  domains: ['support.example.test'],
  dnsServers: [dns.server],
});
const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
const s3 = new S3Client({ ...config, endpoint: runtime.endpoints.s3, forcePathStyle: true });
const sqs = new SQSClient({ ...config, endpoint: runtime.endpoints.fauxqs });
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ ...config, endpoint: runtime.endpoints.dynamodb }));
const { DynamoQueueStore } = await import('../../lambdas/adapters/dynamodb/queue-store.ts');
const queues = new DynamoQueueStore(doc, runtime.resources.queuesTable, runtime.resources.interactionsTable);

// Warm-up: JIT, connections, table files.
async function pipeline(count: number, offset: number): Promise<number> {
  const before = await queues.countWaiting('default');
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: runtime.smtp.port, pool: true, maxConnections: CONCURRENCY, ignoreTLS: true });
  const started = performance.now();
  await runPool(count, (i) =>
    transport.sendMail({ envelope: { from: `c${i}@customer.example`, to: ['help@support.example.test'] }, raw: message(offset + i) }).then(() => undefined),
  );
  while ((await queues.countWaiting('default')) < before + count) await new Promise((r) => setTimeout(r, 100));
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return count / seconds;
}

const FLOOR_QUEUE = (await sqs.send(new SendMessageCommand({ QueueUrl: runtime.queues.dlqUrl, MessageBody: 'probe' })), runtime.queues.dlqUrl);
async function floor(count: number, offset: number): Promise<number> {
  const started = performance.now();
  await runPool(count, async (n) => {
    const i = offset + n;
    const raw = message(i);
    const key = `floor/${i}`;
    await s3.send(new PutObjectCommand({ Bucket: runtime.resources.mailBucket, Key: key, Body: raw }));
    await sqs.send(new SendMessageCommand({ QueueUrl: FLOOR_QUEUE, MessageBody: JSON.stringify({ key }) }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: FLOOR_QUEUE, MaxNumberOfMessages: 1 }));
    for (const m of got.Messages ?? []) await sqs.send(new DeleteMessageCommand({ QueueUrl: FLOOR_QUEUE, ReceiptHandle: m.ReceiptHandle! }));
    const object = await s3.send(new GetObjectCommand({ Bucket: runtime.resources.mailBucket, Key: key }));
    await object.Body!.transformToString();
    const table = runtime.resources.interactionsTable;
    await doc.send(new PutCommand({ TableName: table, Item: { pk: `FLOOR-M#${i}`, status: 'started' }, ConditionExpression: 'attribute_not_exists(pk)' }));
    // routing's reads and writes: the thread lookup, the Message-ID claim, the reference token
    await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [{ pk: `FLOOR-MID#ref-${i}` }, { pk: `FLOOR-TOK#${i}` }] } } }));
    await doc.send(new PutCommand({ TableName: table, Item: { pk: `FLOOR-MID#${i}`, interactionId: `i${i}` }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await doc.send(new PutCommand({ TableName: table, Item: { pk: `FLOOR-I#${i}`, subject: `Order ${i}`, bucket: 'Q#floor', orderKey: i }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await doc.send(new PutCommand({ TableName: table, Item: { pk: `FLOOR-TOK#${i}`, interactionId: `i${i}` } }));
    await doc.send(new UpdateCommand({ TableName: table, Key: { pk: `FLOOR-M#${i}` }, UpdateExpression: 'SET #s = :d', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':d': 'done' } }));
  });
  return count / ((performance.now() - started) / 1000);
}

await pipeline(40, 1_000_000);
await floor(40, 1_000_000);
// Rounds alternate so that both sides see the same machine state (table sizes, GC, JIT); the
// median of each side is reported.
const oursRuns: number[] = [];
const baseRuns: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  oursRuns.push(await pipeline(MESSAGES, round * MESSAGES));
  baseRuns.push(await floor(MESSAGES, round * MESSAGES));
}
const ours = median(oursRuns);
const base = median(baseRuns);
printRows(`(b) end to end on the local runtime, ${ROUNDS} alternating rounds of ${MESSAGES} small mixed messages, ${CONCURRENCY} concurrent senders, medians`, [
  {
    name: 'SMTP in -> queued',
    ours,
    baseline: base,
    unit: 'msg/s',
    target: { ratio: 0.7, higherIsBetter: true },
    note: 'baseline = bare S3 put+get, SQS send/receive/delete, 1 BatchGet + 5 DynamoDB writes',
  },
]);
await runtime.stop();
await dns.stop();
await rm(stateDir, { recursive: true, force: true });
process.exit(0);
