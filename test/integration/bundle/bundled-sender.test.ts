/**
 * The sender as deployed: bundled as PostroomFunction bundles it (ESM, every dependency inlined:
 * nodemailer, the SES v2 and Secrets Manager clients, the composer) and run against dynalite and
 * fauxqs. Its module loads without any environment (the handler wires itself at the first
 * invocation, so a cold start's import never fails on configuration), names a missing variable at
 * that first invocation, and then drives an outbox record to its outcome.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../contract/environment.ts';
import { DynamoOutboxStore } from '../../../lambdas/adapters/dynamodb/outbox-store.ts';
import { createTableInputs } from '../../../lambdas/adapters/dynamodb/schema.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, startFauxqsService, type Dynalite, type Fauxqs } from '../../../lambdas/local/services.ts';
import { handlerBuildOptions } from '../../support/bundle.ts';
import { sqsEvent, sqsRecord } from '../../support/factories.ts';
import { outboxRecord } from '../../support/outbox-record.ts';

let dir: string;
let dynalite: Dynalite;
let fauxqs: Fauxqs;
let outbox: DynamoOutboxStore;
let sender: { handler: (event: unknown, context: unknown) => Promise<any> };
let queueUrl: string;
const tables = { interactions: 'bundle-send-interactions', queues: 'bundle-send-queues', config: 'bundle-send-config' };
const context = { functionName: 'bundle-test', awsRequestId: 'r1', getRemainingTimeInMillis: () => 60_000 };
/** What the sender reads (Outbound construct); unset while the module is imported. */
const SENDER_ENV = [ENV.interactionsTable, ENV.queuesTable, ENV.configTable, ENV.mailBucket, ENV.outboundQueueUrl, ENV.outboundMaxReceiveCount, ENV.returnPathDomain];
const ENDPOINTS = ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL_S3'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'postroom-send-bundles-'));
  dynalite = await startDynalite();
  fauxqs = await startFauxqsService({ region: LOCAL_REGION });
  const dynamo = new DynamoDBClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: dynalite.endpoint });
  for (const input of createTableInputs(tables)) await dynamo.send(new CreateTableCommand(input));
  outbox = new DynamoOutboxStore(DynamoDBDocumentClient.from(dynamo), tables.interactions);
  queueUrl = fauxqs.server.createQueue('bundle-outbound').queueUrl;
  for (const k of SENDER_ENV) delete process.env[k];
  const outfile = join(dir, 'sender', 'index.mjs');
  const result = await build({ ...handlerBuildOptions('sender'), outfile, write: false });
  await mkdir(join(dir, 'sender'), { recursive: true });
  await writeFile(outfile, result.outputFiles[0]!.contents);
  // Imported with none of its variables set: a module that read them at import would throw here.
  sender = await import(pathToFileURL(outfile).href);
}, 120_000);

afterAll(async () => {
  for (const k of [...SENDER_ENV, ...ENDPOINTS]) delete process.env[k];
  await fauxqs?.stop();
  await dynalite?.stop();
  await rm(dir, { recursive: true, force: true });
});

const notice = (outboxId: string, messageId: string) => sqsEvent(sqsRecord(JSON.stringify({ outboxId }), { messageId }));

describe('bundled sender', () => {
  it('loads without its environment and names the missing variable at the first invocation, then wires once it is set', async () => {
    // Prepare
    expect(typeof sender.handler).toBe('function');
    // Act
    // (a throw or a rejection: Lambda reports either as the invocation's error)
    const unwired = Promise.resolve().then(() => sender.handler(notice('o-00000000000000000000', 'm0'), context));
    // Assess
    await expect(unwired).rejects.toThrow(/environment variable [A-Z_]+ is required/);

    // Prepare
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
      AWS_ENDPOINT_URL_SQS: fauxqs.endpoint,
      AWS_ENDPOINT_URL_S3: fauxqs.endpoint,
      [ENV.interactionsTable]: tables.interactions,
      [ENV.queuesTable]: tables.queues,
      [ENV.configTable]: tables.config,
      [ENV.mailBucket]: 'bundle-send-mail',
      [ENV.outboundQueueUrl]: queueUrl,
      [ENV.outboundMaxReceiveCount]: '10',
      [ENV.returnPathDomain]: 'bounces.support.example.test',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    // Act: a notice of a record that does not exist (expired, or never written) is done with
    const response = await sender.handler(notice('o-00000000000000000000', 'm1'), context);
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
  }, 60_000);

  it('fails a record whose sender no route can send as (no served domain, no SMTP server), once, without retrying', async () => {
    // Prepare
    const { state: _s, createdAt: _c, ...record } = outboxRecord({ id: 'o-0000000000000000beef', from: { name: 'Support', address: 'help@support.example.test' } });
    await outbox.enqueue(record, new Date());
    // Act
    const response = await sender.handler(notice(record.id, 'm2'), context);
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const stored = await outbox.get(record.id);
    expect(stored).toMatchObject({ state: 'failed', failure: { reason: 'no-route-for-sender' } });
  }, 60_000);
});
