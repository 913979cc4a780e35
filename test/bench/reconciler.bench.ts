/**
 * The reconciler's cost: 5,000 raw messages under `inbound/` on the local S3 stand-in (fauxqs)
 * with their ingest ledger items on dynalite (BENCH_SMALL=1: 1,000). Prints objects checked per
 * second by `reconcile` (listing + consistent BatchGetItem of 100 ledger items at a time) beside a
 * bare ListObjectsV2 listing of the same objects in the same run, and the ratio; then the same with
 * 1% of the messages unfinished, which adds reading their header block and SendMessageBatch.
 * Printed, never asserted.
 *
 *   node --import tsx test/bench/reconciler.bench.ts
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { reconcile } from '../../lambdas/core/reconcile/reconcile.ts';
import { createTableInputs, ledgerPk } from '../../lambdas/adapters/dynamodb/schema.ts';
import { reconcilePorts } from '../../lambdas/adapters/reconcile-deps.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, startFauxqsService } from '../../lambdas/local/services.ts';
import { printRows } from './report.ts';

const COUNT = process.env.BENCH_SMALL === '1' ? 1_000 : 5_000;
const RUNS = 3;
const BUCKET = 'bench-mail';
const TABLES = { interactions: 'bench-interactions', queues: 'bench-queues', config: 'bench-config' };

const dynalite = await startDynalite();
const fauxqs = await startFauxqsService();
const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
const dynamo = new DynamoDBClient({ ...config, endpoint: dynalite.endpoint });
const doc = DynamoDBDocumentClient.from(dynamo);
const s3 = new S3Client({ ...config, endpoint: fauxqs.endpoint, forcePathStyle: true });
const sqs = new SQSClient({ ...config, endpoint: fauxqs.endpoint });
try {
  for (const input of createTableInputs(TABLES)) await dynamo.send(new CreateTableCommand(input));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench-inbound' }))).QueueUrl!;
  const ids = Array.from({ length: COUNT }, (_, i) => `bench${String(i).padStart(6, '0')}`);
  await load(ids);
  const ports = reconcilePorts(s3, doc, sqs, {
    mailBucket: BUCKET,
    interactionsTable: TABLES.interactions,
    inboundQueueUrl: queueUrl,
    configTable: TABLES.config,
  });

  const bare = await best(async () => {
    let token: string | undefined;
    let n = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'inbound/', ContinuationToken: token }));
      n += page.KeyCount ?? 0;
      token = page.NextContinuationToken;
    } while (token);
    return n;
  });
  const steady = await best(async () => (await reconcile(ports, { now: new Date(), graceMs: 0 })).checked);

  // 1% lost: their ledger items go, so the run reads their heads and re-enqueues them.
  const lost = ids.filter((_, i) => i % 100 === 0);
  await Promise.all(lost.map((id) => doc.send(new DeleteCommand({ TableName: TABLES.interactions, Key: { pk: ledgerPk(`ses:${id}`) } }))));
  let repaired = 0;
  const repairing = await best(async () => {
    const report = await reconcile(ports, { now: new Date(), graceMs: 0 });
    repaired = report.repaired;
    return report.checked;
  });

  printRows(`reconciler over ${COUNT} stored messages (fauxqs S3 + dynalite; best of ${RUNS})`, [
    { name: 'reconcile, all done', ours: steady, baseline: bare, unit: 'objects/s', note: 'baseline: bare ListObjectsV2 of the same objects' },
    { name: 'reconcile, 1% unfinished', ours: repairing, baseline: bare, unit: 'objects/s', note: `${repaired} re-enqueued per run` },
  ]);
} finally {
  s3.destroy();
  sqs.destroy();
  dynamo.destroy();
  await fauxqs.stop();
  await dynalite.stop();
}

/** Best throughput (objects per second) of {@link RUNS} runs of `run`, which returns objects seen. */
async function best(run: () => Promise<number>): Promise<number> {
  let top = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const n = await run();
    top = Math.max(top, n / ((performance.now() - started) / 1000));
  }
  return top;
}

/** Stores every message (an SES-style header block and a short body) and marks its ledger item done. */
async function load(ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 50) {
    await Promise.all(
      ids.slice(i, i + 50).map((id) =>
        s3.send(
          new PutObjectCommand({
            Bucket: BUCKET,
            Key: `inbound/${id}`,
            Body:
              `Return-Path: <ada@customer.example>\r\nReceived: from client (127.0.0.1) by inbound-smtp.eu-west-1.amazonaws.com with SMTP id ${id} for help@support.example.test; ${new Date().toUTCString()}\r\n` +
              'X-SES-Spam-Verdict: PASS\r\nX-SES-Virus-Verdict: PASS\r\nFrom: ada@customer.example\r\nSubject: bench\r\n\r\nhello\r\n',
          }),
        ),
      ),
    );
  }
  for (let i = 0; i < ids.length; i += 25) {
    await doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [TABLES.interactions]: ids.slice(i, i + 25).map((id) => ({ PutRequest: { Item: { pk: ledgerPk(`ses:${id}`), status: 'done' } } })),
        },
      }),
    );
  }
}
