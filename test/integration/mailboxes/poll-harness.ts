/**
 * The pollers on real local servers, for the poll tests: Dovecot (the customer's mailbox), fauxqs
 * (S3 and the inbound SQS queue), dynalite (tables), and the real ingest (ingestDeps) draining the
 * queue, so each case counts interactions: 0 missed, 0 duplicated.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDomainStore } from '../../../lambdas/adapters/dynamodb/domain-store.ts';
import { DynamoPollStateStore } from '../../../lambdas/adapters/dynamodb/poll-state-store.ts';
import { createTableInputs } from '../../../lambdas/adapters/dynamodb/schema.ts';
import { ingestDeps } from '../../../lambdas/adapters/ingest-deps.ts';
import { ImapFlowFolder } from '../../../lambdas/adapters/mailboxes/imap-folder.ts';
import { connectImap } from '../../../lambdas/adapters/mailboxes/imap-connect.ts';
import type { PollWiring } from '../../../lambdas/adapters/mailboxes/poll-server.ts';
import { connectPop3 } from '../../../lambdas/adapters/mailboxes/pop3-client.ts';
import type { MailCredentials } from '../../../lambdas/core/mailboxes/connection.ts';
import type { MailServer } from '../../../lambdas/core/mailboxes/server.ts';
import { S3RawMailSink } from '../../../lambdas/adapters/mailboxes/s3-raw-mail-sink.ts';
import { receiptOfInboundRecord } from '../../../lambdas/adapters/ses/recovery-record.ts';
import { ingest } from '../../../lambdas/core/ingest.ts';
import { reconcile, type ReconcileReport } from '../../../lambdas/core/reconcile/reconcile.ts';
import { reconcilePorts } from '../../../lambdas/adapters/reconcile-deps.ts';
import type { IngestDeps } from '../../../lambdas/core/ingest-ports.ts';
import type { Interaction } from '../../../lambdas/core/interaction.ts';
import { pollMailbox } from '../../../lambdas/core/mailboxes/poll-mailbox.ts';
import type { ImapFolder, PollDeps, PollResult, Pop3Mailbox } from '../../../lambdas/core/mailboxes/poll-ports.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, startFauxqsService } from '../../../lambdas/local/services.ts';
import { startDovecot, type DovecotServer } from '../../support/dovecot.ts';
import { domainRecord } from '../../support/factories.ts';

export const PASSWORD = 'poll pass';
/** The SES path's served domain (for the SES + polling join). */
export const SERVED_DOMAIN = 'example.test';

export interface PollHarness {
  readonly dovecot: DovecotServer;
  readonly deps: IngestDeps;
  readonly doc: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly tables: { interactions: string; queues: string; config: string };
  /** A fresh mailbox user and an IMAP or POP3 server record polling it (routing: the default queue via its address). */
  server(type: 'imap' | 'pop3', over?: Partial<MailServer>): Promise<MailServer>;
  /** What pollServer is wired with. */
  readonly wiring: PollWiring;
  /** The poll's dependencies; `wrap` may replace ports to inject a crash. */
  pollDeps(wrap?: (deps: PollDeps) => PollDeps): PollDeps;
  /** One IMAP poll in its own session; `wrapFolder` may inject a crash. */
  pollImap(server: MailServer, options?: { deps?: PollDeps; deadline?: number; wrapFolder?: (f: ImapFolder) => ImapFolder }): Promise<PollResult>;
  /** One POP3 poll in its own session; closed without QUIT when the poll fails. */
  pollPop3(server: MailServer, options?: { deps?: PollDeps; deadline?: number; wrapMailbox?: (m: Pop3Mailbox) => Pop3Mailbox }): Promise<PollResult>;
  /** One reconciler run over the bucket (grace 0): re-enqueues stored messages without a finished ingest. */
  reconcile(): Promise<ReconcileReport>;
  /** Receives and ingests every record on the inbound queue until it is empty. */
  drain(): Promise<number>;
  /** The interactions whose message came to `user`, or from `serverId`'s mailbox. */
  interactions(filter: (i: Interaction) => boolean): Promise<Interaction[]>;
  /** Items of the interactions table whose key starts with `prefix` (outbox `OUT#`, replies `R#`). */
  items(prefix: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

let users = 0;

/** Starts Dovecot, dynalite and fauxqs with tables, bucket and queue named after `prefix`. */
export async function startPollHarness(prefix: string): Promise<PollHarness> {
  const [dovecot, dynalite, fauxqs] = await Promise.all([startDovecot(), startDynalite(), startFauxqsService()]);
  const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const s3 = new S3Client({ ...config, endpoint: fauxqs.endpoint, forcePathStyle: true });
  const sqs = new SQSClient({ ...config, endpoint: fauxqs.endpoint });
  const bucket = `${prefix}-mail`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-inbound` }))).QueueUrl!;
  const tables = { interactions: `${prefix}-interactions`, queues: `${prefix}-queues`, config: `${prefix}-config` };
  const dynamo = new DynamoDBClient({ ...config, endpoint: dynalite.endpoint });
  for (const input of createTableInputs(tables)) await dynamo.send(new CreateTableCommand(input));
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  await new DynamoDomainStore(doc, tables.config).create(domainRecord(SERVED_DOMAIN));
  const deps = ingestDeps(doc, s3, {
    interactionsTable: tables.interactions,
    queuesTable: tables.queues,
    configTable: tables.config,
    mailBucket: bucket,
    defaultQueueId: 'default',
    defaultPriority: 0,
  });
  const state = new DynamoPollStateStore(doc, { config: tables.config, interactions: tables.interactions });
  const pollDeps = (wrap: (d: PollDeps) => PollDeps = (d) => d) => wrap({ sink: new S3RawMailSink(s3, sqs, { bucket, queueUrl }), state, now: () => Date.now() });
  const connect = { ca: dovecot.certificate };
  const wiring: PollWiring = { s3, sqs, doc, mailBucket: bucket, inboundQueueUrl: queueUrl, configTable: tables.config, interactionsTable: tables.interactions, connect };
  const scan = async (prefixOf: string) => {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: tables.interactions, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': prefixOf }, ExclusiveStartKey: start }));
      out.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  };

  return {
    dovecot, deps, doc, s3, bucket, tables,
    async server(type, over = {}) {
      const user = `box${++users}@${SERVED_DOMAIN}`;
      await dovecot.addUser(user, PASSWORD);
      const at = new Date().toISOString();
      return {
        id: `srv${users}`, type, name: user, description: '', host: dovecot.host, port: type === 'imap' ? dovecot.ports.imaps : dovecot.ports.pop3s,
        tls: true, requireStartTls: false, authType: 'basic', user, sniServerName: 'localhost', disableCompression: false,
        routing: { kind: 'address', address: user }, additionalSenders: [], role: 'agent', enabled: true, state: 'ok', createdAt: at, updatedAt: at, ...over,
      };
    },
    wiring,
    pollDeps,
    async pollImap(server, options = {}) {
      const client = await connectImap(server, credentials(server), connect);
      try {
        const folder = new ImapFlowFolder(client, server.imapFolder ?? 'INBOX');
        return await pollMailbox(server, { kind: 'imap', folder: options.wrapFolder ? options.wrapFolder(folder) : folder }, options.deps ?? pollDeps(), { deadline: options.deadline ?? Date.now() + 60_000 });
      } finally {
        // Released whatever happened: a poll must never leak a session.
        await client.logout().catch(() => client.close());
      }
    },
    async pollPop3(server, options = {}) {
      const client = await connectPop3(server, credentials(server), connect);
      try {
        return await pollMailbox(server, { kind: 'pop3', mailbox: options.wrapMailbox ? options.wrapMailbox(client) : client }, options.deps ?? pollDeps(), { deadline: options.deadline ?? Date.now() + 60_000 });
      } catch (err) {
        client.close(); // no QUIT: nothing marked for deletion is deleted
        throw err;
      }
    },
    async reconcile() {
      const ports = reconcilePorts(s3, doc, sqs, { mailBucket: bucket, interactionsTable: tables.interactions, inboundQueueUrl: queueUrl, configTable: tables.config });
      return reconcile(ports, { now: new Date(Date.now() + 1_000), graceMs: 0 });
    },
    async drain() {
      let ingested = 0;
      for (;;) {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        const messages = out.Messages ?? [];
        if (messages.length === 0) return ingested;
        for (const m of messages) await ingest(receiptOfInboundRecord(m.Body!), deps);
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
        ingested += messages.length;
      }
    },
    async interactions(filter) {
      return ((await scan('I#')) as unknown as Interaction[]).filter(filter);
    },
    items: scan,
    async stop() {
      await Promise.allSettled([dovecot.stop(), dynalite.stop(), fauxqs.stop()]);
    },
  };
}

/** The test mailbox's login. */
export function credentials(server: MailServer): MailCredentials {
  return { kind: 'password', user: server.user, password: PASSWORD };
}

/** A small message with a unique Message-ID; `date` sets its Date header. */
export function mail(tag: string, date = new Date()): string {
  return `From: Kim ${tag} <kim.${tag}@customer.test>\r\nTo: someone@${SERVED_DOMAIN}\r\nSubject: Question ${tag}\r\nDate: ${date.toUTCString()}\r\nMessage-ID: <${tag}@customer.test>\r\n\r\nHello, this is ${tag}.\r\n`;
}

/** The Message-IDs of the interactions polled from `serverId`, sorted. */
export async function polledMessageIds(h: PollHarness, serverId: string): Promise<string[]> {
  const found = await h.interactions((i) => i.message.transport.kind !== 'ses' && i.message.transport.serverId === serverId);
  return found.map((i) => i.message.messageId ?? '?').sort();
}
