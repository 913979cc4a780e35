/**
 * The mailbox dispatcher and poller as deployed: each bundled as PostroomFunction bundles it
 * (ESM, every dependency inlined: imapflow, the POP3 client, the OAuth2 token client) and run
 * against dynalite and fauxqs. A stored IMAP server gets its poll job; a job of a deleted server
 * is done without a poll.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../contract/environment.ts';
import { DynamoMailServerStore } from '../../../lambdas/adapters/dynamodb/mail-server-store.ts';
import { createTableInputs } from '../../../lambdas/adapters/dynamodb/schema.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, startFauxqsService, type Dynalite, type Fauxqs } from '../../../lambdas/local/services.ts';
import { handlerBuildOptions } from '../../support/bundle.ts';
import { sqsEvent, sqsRecord } from '../../support/factories.ts';
import { mailServerRecord } from '../../support/mail-servers.ts';

let dir: string;
let dynalite: Dynalite;
let fauxqs: Fauxqs;
let sqs: SQSClient;
let jobQueueUrl: string;
const tables = { interactions: 'bundle-poll-interactions', queues: 'bundle-poll-queues', config: 'bundle-poll-config' };
const context = { functionName: 'bundle-test', awsRequestId: 'r1', getRemainingTimeInMillis: () => 60_000 };

async function bundled(name: string): Promise<{ handler: (event: unknown, context: unknown) => Promise<any> }> {
  const outfile = join(dir, name, 'index.mjs');
  const result = await build({ ...handlerBuildOptions(name), outfile, write: false });
  await mkdir(join(dir, name), { recursive: true });
  await writeFile(outfile, result.outputFiles[0]!.contents);
  return import(pathToFileURL(outfile).href);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'postroom-poll-bundles-'));
  dynalite = await startDynalite();
  fauxqs = await startFauxqsService({ region: LOCAL_REGION });
  const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient({ ...config, endpoint: dynalite.endpoint });
  for (const input of createTableInputs(tables)) await dynamo.send(new CreateTableCommand(input));
  await new DynamoMailServerStore(DynamoDBDocumentClient.from(dynamo), tables.config).create(mailServerRecord({ id: 'srv-bundle' }));
  sqs = new SQSClient({ ...config, endpoint: fauxqs.endpoint });
  jobQueueUrl = fauxqs.server.createQueue('bundle-jobs.fifo', { attributes: { FifoQueue: 'true' } }).queueUrl;
  const ticks = fauxqs.server.createQueue('bundle-ticks').queueUrl;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    AWS_ENDPOINT_URL_SQS: fauxqs.endpoint,
    [ENV.configTable]: tables.config,
    [ENV.interactionsTable]: tables.interactions,
    [ENV.mailBucket]: 'bundle-poll-mail',
    [ENV.inboundQueueUrl]: 'unused',
    [ENV.pollJobQueueUrl]: jobQueueUrl,
    [ENV.pollTickQueueUrl]: ticks,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
});

afterAll(async () => {
  for (const k of ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SQS', ENV.pollJobQueueUrl, ENV.pollTickQueueUrl]) delete process.env[k];
  await fauxqs?.stop();
  await dynalite?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('bundled mailbox handlers', () => {
  it('the dispatcher enqueues a poll job for a stored IMAP server', async () => {
    const { handler } = await bundled('mailbox-dispatcher');
    const report = await handler({ kind: 'schedule', scheduledTime: new Date().toISOString() }, context);
    expect(report).toMatchObject({ jobs: 1, inbound: 1, failing: 0 });
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: jobQueueUrl, MaxNumberOfMessages: 10 }));
    expect(received.Messages?.map((m) => JSON.parse(m.Body!).serverId)).toEqual(['srv-bundle']);
  }, 60_000);

  it('the poller finishes a job of a deleted server without failing it', async () => {
    const { handler } = await bundled('mailbox-poller');
    const job = { serverId: 'gone', slotAt: new Date().toISOString(), cause: 'schedule' };
    const response = await handler(sqsEvent(sqsRecord(JSON.stringify(job))), context);
    expect(response).toEqual({ batchItemFailures: [] });
  }, 60_000);
});
