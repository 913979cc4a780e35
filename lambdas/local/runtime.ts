/**
 * The local runtime behind `npm start` / `postroom dev` (ARCHITECTURE.md decision 9): the very same
 * Lambda handlers, wired to embedded stand-ins of the AWS services they use.
 *
 * SMTP on 127.0.0.1 (SES receiving) -> raw .eml in S3 (files in the data folder, s3-file-server.ts)
 * -> SES notification published to SNS -> inbound SQS queue with a DLQ (both fauxqs) -> the routing
 * handler, through an event source poller -> DynamoDB (dynalite) <- the HTTP API handler's app,
 * served on 127.0.0.1. Mailbox polling: the dispatcher on a timer and the pollers on a FIFO
 * poll-job queue (mailbox-loop.ts) fetch registered IMAP/POP3 mailboxes into the same inbound queue.
 *
 * The handlers read their configuration from the environment at import, as in Lambda, so one
 * process runs one local runtime.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { configureHandlerEnvironment, createTables, LOCAL_RESOURCES, type LocalResources } from './handler-environment.ts';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '../../contract/environment.ts';
import { CachedServedDomains } from '../adapters/config/served-domains.ts';
import { DynamoDomainStore } from '../adapters/dynamodb/domain-store.ts';
import type { SqsHandler } from './event-source.ts';
import { createInboundQueues, startInboundConsumers } from './inbound-loop.ts';
import { createPollQueues, startMailboxLoop } from './mailbox-loop.ts';
import { startLocalApi } from './local-api.ts';
import type { LocalIssuer } from './sign-in/local-issuer.ts';
import { LOCAL_CONSOLE_PATH } from '../../contract/console.ts';
import { createMailAuthenticator } from './mail-auth.ts';
import { startLocalDomains } from './local-domains.ts';
import { startLocalMailServers } from './local-mail-servers.ts';
import { localPollingWiring } from './local-polling-wiring.ts';
import type { LocalRuntimeOptions } from './runtime-options.ts';
import { startReconcilerLoop } from './reconciler-loop.ts';
import { createOutboundQueues, localSmtpResume, startSenderLoop } from './sender-loop.ts';
import { startS3FileServer } from './s3-file-server.ts';
import { adoptMirroredObjects } from './s3-legacy-mirror.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, startFauxqsService } from './services.ts';
import { lockDataDir } from './data-lock.ts';
import { startSesReceiving } from './ses-receiving.ts';
import { startSesOutbound } from './ses-outbound.ts';

export type { LocalRuntimeOptions } from './runtime-options.ts';

export interface LocalRuntime {
  readonly smtp: { readonly host: string; readonly port: number };
  readonly apiUrl: string;
  readonly dataDir?: string;
  /** Where mail server secrets are kept (mode 0600; in a temporary folder in memory mode). */
  readonly secretsFile: string;
  readonly resources: LocalResources;
  /** `s3`: the file-backed S3; `fauxqs`: SQS and SNS; `sesOutbound`: aws-ses-v2-local (SES v2 sending, its captured mail). */
  readonly endpoints: { readonly dynamodb: string; readonly s3: string; readonly fauxqs: string; readonly sesOutbound: string };
  readonly queues: { readonly inboundUrl: string; readonly dlqUrl: string };
  /** The local sign-in: its users, keys (mintCliToken) and issuer URL. */
  readonly issuer: LocalIssuer;
  stop(): Promise<void>;
}

export { LOCAL_RESOURCES, type LocalResources } from './handler-environment.ts';

export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const log = options.log ?? (() => undefined);
  const dataDir = options.memory ? undefined : resolve(options.dataDir ?? '.postroom/data');
  const domains = (options.domains ?? ['example.test']).map((d) => d.toLowerCase());
  const defaultQueueId = options.defaultQueueId ?? 'default';
  const r = LOCAL_RESOURCES;

  // Before anything opens the folder: a second runtime on it fails here, in one line.
  const lock = dataDir ? await lockDataDir(dataDir) : undefined;
  const dynamo = await startDynalite(dataDir ? { path: join(dataDir, 'dynamodb') } : {});
  const fauxqs = await startFauxqsService({ region: LOCAL_REGION });
  const sesOutbound = await startSesOutbound();
  const s3Root = dataDir ? join(dataDir, 's3') : await mkdtemp(join(tmpdir(), 'postroom-s3-'));
  const s3Files = await startS3FileServer({ root: s3Root, buckets: [r.mailBucket], durable: Boolean(dataDir) });
  const adopted = dataDir ? await adoptMirroredObjects(s3Files.store, r.mailBucket) : 0;
  const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const s3 = new S3Client({ ...clientConfig, endpoint: s3Files.endpoint, forcePathStyle: true });
  const sqs = new SQSClient({ ...clientConfig, endpoint: fauxqs.endpoint });
  const sns = new SNSClient({ ...clientConfig, endpoint: fauxqs.endpoint });

  await createTables(new DynamoDBClient({ ...clientConfig, endpoint: dynamo.endpoint }));
  const { inbound, dlq, topicArn } = createInboundQueues(fauxqs.server, r, options.visibilityTimeoutSeconds);

  configureHandlerEnvironment({
    dynamodb: dynamo.endpoint,
    s3: s3Files.endpoint,
    fauxqs: fauxqs.endpoint,
    defaultQueueId,
    defaultPriority: options.defaultPriority ?? 0,
    ...(options.languages && { languages: options.languages }),
    verbose: options.verbose ?? false,
  });
  // The SES transport's client finds the stand-in as the SDK finds any endpoint (issue 11 item 7).
  process.env.AWS_ENDPOINT_URL_SESV2 = sesOutbound.endpoint;
  // Before the API starts: saving a mail server enqueues an immediate poll job (the registry's onSaved hook).
  const pollQueues = createPollQueues(fauxqs.server);
  // Before routing is imported: acknowledgements announce themselves on the outbound queue.
  const outboundQueues = createOutboundQueues(fauxqs.server);
  if (options.returnPathDomain) process.env[ENV.returnPathDomain] = options.returnPathDomain.toLowerCase();
  else delete process.env[ENV.returnPathDomain];
  Object.assign(process.env, { [ENV.inboundQueueUrl]: inbound.queueUrl, [ENV.deadLetterBucket]: r.mailBucket, [ENV.pollJobQueueUrl]: pollQueues.jobUrl, [ENV.pollTickQueueUrl]: pollQueues.tickUrl });
  const mailCa = await Promise.all((options.mailCaFiles ?? []).map((f) => readFile(resolve(f), 'utf8')));
  const routing = (await import('../handlers/routing.ts')) as { handler: SqsHandler };
  const { DynamoQueueStore } = await import('../adapters/dynamodb/queue-store.ts');
  const { documentClient } = await import('../adapters/aws-clients.ts');
  const registry = await startLocalDomains({
    doc: documentClient(),
    configTable: r.configTable,
    region: LOCAL_REGION,
    declared: domains,
    ...(dataDir && { dataDir }),
    ...(options.dnsServers && { dnsServers: options.dnsServers }),
    ...(options.maxDomains !== undefined && { maxDomains: options.maxDomains }),
    ...(options.domainCheckSeconds !== undefined && { checkIntervalMs: options.domainCheckSeconds * 1000 }),
    log,
  });
  const { SqsPollJobQueue, pollNowOnSave } = await import('../adapters/mailboxes/sqs-poll-jobs.ts');
  const { MailConnectionTester } = await import('../adapters/mailboxes/connection-tester.ts');
  const onSaved = pollNowOnSave(new SqsPollJobQueue(sqs, pollQueues.jobUrl));
  const mailServers = await startLocalMailServers(documentClient(), r.configTable, dataDir, { onSaved, tester: new MailConnectionTester(mailCa.length > 0 ? { ca: mailCa } : {}), smtpResume: localSmtpResume(sqs, outboundQueues.url, r.interactionsTable), ...options.mailServers });
  const domainStore = new DynamoDomainStore(documentClient(), r.configTable);
  const servedDomains = new CachedServedDomains(domainStore, { onStaleList: (err) => log(`smtp: served domains unreadable, using the last list: ${(err as Error).message}`) });
  // Read once now, so the receiver has a last good list to serve if the table becomes unreadable.
  await servedDomains.list();
  await new DynamoQueueStore(documentClient(), r.queuesTable, r.interactionsTable).ensure({
    id: defaultQueueId,
    name: defaultQueueId === 'default' ? 'Default' : defaultQueueId,
    createdAt: new Date().toISOString(),
  });

  const consumers = await startInboundConsumers({ sqs, queues: { inbound, dlq, topicArn }, routing: routing.handler, log });
  const mailboxes = await startMailboxLoop({
    fauxqs: fauxqs.server,
    sqs,
    region: LOCAL_REGION,
    queues: pollQueues,
    wiring: localPollingWiring({ sqs, configTable: r.configTable, interactionsTable: r.interactionsTable, mailBucket: r.mailBucket, inboundQueueUrl: inbound.queueUrl, mailServers, mailCa, log }),
    log,
  });
  const sender = await startSenderLoop({ sqs, region: LOCAL_REGION, queues: outboundQueues, interactionsTable: r.interactionsTable, credentials: mailServers.credentials, mailCa, log });
  // Sign-in, the console and the whole API (as the admin Lambda serves it) on one origin (local-api.ts).
  const apiServer = await startLocalApi({
    doc: documentClient(),
    resources: r,
    ...(dataDir && { dataDir }),
    ...(options.consoleDir && { consoleDir: options.consoleDir }),
    s3Files,
    domains: registry.service,
    mailServers,
    ...(options.apiPort !== undefined && { port: options.apiPort }),
    log,
  });
  mailServers.setApiUrl(apiServer.url);
  // Before SMTP accepts: whatever was stored but not ingested (a crash, the in-memory queue) goes back on the queue.
  const reconciler = await startReconcilerLoop({ s3, sqs, mailBucket: r.mailBucket, interactionsTable: r.interactionsTable, inboundQueueUrl: inbound.queueUrl, configTable: r.configTable, log });
  const smtp = await startSesReceiving({
    port: options.smtpPort ?? 2525,
    s3,
    sns,
    bucket: r.mailBucket,
    topicArn,
    spoolDir: s3Files.store.tmpDir,
    authenticate: createMailAuthenticator(options.dnsServers ? { dnsServers: options.dnsServers } : {}),
    servedDomains,
    log,
  });

  const stateDir = resolve(options.stateDir ?? '.postroom');
  const statePath = join(stateDir, 'runtime.json');
  await mkdir(stateDir, { recursive: true });
  const state = {
    apiUrl: apiServer.url,
    smtp: { host: smtp.host, port: smtp.port },
    endpoints: { dynamodb: dynamo.endpoint, s3: s3Files.endpoint, sqs: fauxqs.endpoint },
    // Where `postroom outbox list` reads the mail the SES path sent (readCapturedSesMail).
    sesOutboundUrl: sesOutbound.endpoint,
    mailBucket: r.mailBucket,
    // The CLI signs its requests with this key as admin (lambdas/cli/local-auth.ts): file access is admin access.
    issuer: { url: apiServer.issuer.issuer(), keyFile: apiServer.issuer.keys.keyFile },
    pid: process.pid,
  };
  await writeFile(statePath, JSON.stringify(state, null, 2));
  log(`ses: SES sends go to aws-ses-v2-local; its captured mail: ${sesOutbound.endpoint}/ (a web page) or ${sesOutbound.endpoint}/store`);
  log(`console: ${apiServer.url}${LOCAL_CONSOLE_PATH} (sign in as a user: postroom user add NAME --role admin)`);
  if (adopted > 0) log(`moved ${adopted} object(s) an older runtime mirrored into ${s3Root}/buckets`);

  return {
    smtp: { host: smtp.host, port: smtp.port },
    apiUrl: apiServer.url,
    resources: r,
    endpoints: { dynamodb: dynamo.endpoint, s3: s3Files.endpoint, fauxqs: fauxqs.endpoint, sesOutbound: sesOutbound.endpoint },
    queues: { inboundUrl: inbound.queueUrl, dlqUrl: dlq.queueUrl },
    issuer: apiServer.issuer,
    ...(dataDir && { dataDir }),
    secretsFile: mailServers.secretsFile,
    async stop() {
      await smtp.stop();
      await reconciler.stop();
      await mailboxes.stop();
      await consumers.stop();
      await sender.stop();
      await apiServer.stop();
      await registry.stop();
      await mailServers.stop();
      await fauxqs.stop();
      await sesOutbound.stop();
      await s3Files.stop();
      if (!dataDir) await rm(s3Root, { recursive: true, force: true });
      await dynamo.stop();
      await rm(statePath, { force: true });
      await lock?.release();
    },
  };
}
