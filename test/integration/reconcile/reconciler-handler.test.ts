/**
 * The reconciler Lambda as deployed: bundled exactly as PostroomFunction bundles it and run against
 * fauxqs (S3, SQS) and dynalite. A message stored without a notification, older than the 15-minute
 * grace, goes back on the inbound queue as a recovery record the routing handler reads; one with a
 * finished ledger item does not; the run is logged with an EMF metrics line.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTableInputs } from '../../../lambdas/adapters/dynamodb/schema.ts';
import { receiptOfInboundRecord } from '../../../lambdas/adapters/ses/recovery-record.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, startFauxqsService, type Dynalite, type Fauxqs } from '../../../lambdas/local/services.ts';
import { handlerBuildOptions } from '../../support/bundle.ts';

let dir: string;
let dynalite: Dynalite;
let fauxqs: Fauxqs;
let sqs: SQSClient;
let queueUrl: string;
const TABLES = { interactions: 'rec-interactions', queues: 'rec-queues', config: 'rec-config' };
const ENV_KEYS = ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_SQS', 'INTERACTIONS_TABLE', 'MAIL_BUCKET', 'CONFIG_TABLE', 'INBOUND_QUEUE_URL'];

const sesStored = (id: string) =>
  [
    'Return-Path: <ada@customer.example>',
    `Received: from mail.customer.example (mail.customer.example [203.0.113.9]) by inbound-smtp.eu-west-1.amazonaws.com with SMTP id ${id} for help@support.example.test; Thu, 26 Nov 2026 09:00:00 +0000 (UTC)`,
    'X-SES-Spam-Verdict: PASS',
    'X-SES-Virus-Verdict: FAIL',
    'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=ada@customer.example; dkim=none; dmarc=none header.from=customer.example;',
    'From: ada@customer.example',
    'Subject: hi',
    '',
    'hi',
  ].join('\r\n');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'postroom-reconciler-'));
  dynalite = await startDynalite();
  fauxqs = await startFauxqsService();
  const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient({ ...config, endpoint: dynalite.endpoint });
  for (const input of createTableInputs(TABLES)) await dynamo.send(new CreateTableCommand(input));
  const s3 = new S3Client({ ...config, endpoint: fauxqs.endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'rec-mail' }));
  await s3.send(new PutObjectCommand({ Bucket: 'rec-mail', Key: 'inbound/lost1', Body: sesStored('lost1') }));
  await s3.send(new PutObjectCommand({ Bucket: 'rec-mail', Key: 'inbound/done1', Body: sesStored('done1') }));
  await DynamoDBDocumentClient.from(dynamo).send(new PutCommand({ TableName: TABLES.interactions, Item: { pk: 'M#ses:done1', status: 'done' } }));
  sqs = new SQSClient({ ...config, endpoint: fauxqs.endpoint });
  queueUrl = fauxqs.server.createQueue('rec-inbound').queueUrl;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    AWS_ENDPOINT_URL_S3: fauxqs.endpoint,
    AWS_ENDPOINT_URL_SQS: fauxqs.endpoint,
    INTERACTIONS_TABLE: TABLES.interactions,
    MAIL_BUCKET: 'rec-mail',
    CONFIG_TABLE: TABLES.config,
    INBOUND_QUEUE_URL: queueUrl,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
});

afterAll(async () => {
  vi.useRealTimers();
  for (const k of ENV_KEYS) delete process.env[k];
  await fauxqs?.stop();
  await dynalite?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('reconciler handler (bundled)', () => {
  it('re-enqueues the stored message without a finished ingest and reports it as metrics', async () => {
    // Prepare
    const outfile = join(dir, 'reconciler', 'index.mjs');
    const result = await build({ ...handlerBuildOptions('reconciler'), outfile, write: false });
    await mkdir(join(dir, 'reconciler'), { recursive: true });
    await writeFile(outfile, result.outputFiles[0]!.contents);
    const { handler } = await import(pathToFileURL(outfile).href);
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => (lines.push(String(chunk)), true));
    // Past the 15-minute grace: only the clock moves, the objects stay as stored.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 20 * 60_000 });

    // Act
    let report;
    try {
      report = await handler({}, { getRemainingTimeInMillis: () => 200_000 });
    } finally {
      vi.useRealTimers();
      write.mockRestore();
    }

    // Assess
    expect(report).toMatchObject({ checked: 2, finished: 1, repaired: 1, repairedKeys: ['inbound/lost1'], errors: [] });
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(received.Messages).toHaveLength(1);
    const receipt = receiptOfInboundRecord(received.Messages![0]!.Body!);
    expect(receipt).toMatchObject({
      transport: { kind: 'ses', messageId: 'lost1' },
      recipients: ['help@support.example.test'],
      mailFrom: 'ada@customer.example',
      verdicts: { spam: 'PASS', virus: 'FAIL', spf: 'PASS' },
      raw: { bucket: 'rec-mail', key: 'inbound/lost1' },
    });
    const emf = lines.map((l) => l.trim()).filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l));
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ Service: 'reconciler', RepairedMessages: 1, CheckedMessages: 2, ReconcileErrors: 0 });
    expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Postroom', Dimensions: [['Service']] });
  });
});
