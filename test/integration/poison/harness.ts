/**
 * A whole ingest on real local servers for the "no message becomes poison" suites: DynamoDB
 * (dynalite or DynamoDB Local) with the real adapters, and fauxqs S3 with the real MIME parser.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAddressRouteStore } from '../../../lambdas/adapters/dynamodb/config-store.ts';
import { DynamoDomainStore } from '../../../lambdas/adapters/dynamodb/domain-store.ts';
import { DynamoFlowStore } from '../../../lambdas/adapters/dynamodb/flow-store.ts';
import { DynamoQueueStore } from '../../../lambdas/adapters/dynamodb/queue-store.ts';
import { interactionPk } from '../../../lambdas/adapters/dynamodb/schema.ts';
import { ingestDeps } from '../../../lambdas/adapters/ingest-deps.ts';
import type { BlobRef, ParsedMail, ReceiptInfo } from '../../../lambdas/core/message.ts';
import type { MessageParser } from '../../../lambdas/core/ports.ts';
import type { FlowDefinition } from '../../../lambdas/core/routing/flow.ts';
import type { AddressRouting } from '../../../lambdas/core/routing/model.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startFauxqsService, type Fauxqs, type RunningService } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { addressRoute, domainRecord, parsedMail, receiptInfo } from '../../support/factories.ts';
import type { IngestDeps } from '../../../lambdas/core/ingest-ports.ts';

export const DOMAIN = 'support.example.test';
export const BUCKET = 'poison-mail';

export interface Harness {
  readonly tables: Tables;
  readonly s3: S3Client;
  readonly deps: IngestDeps;
  readonly flows: DynamoFlowStore;
  readonly addresses: DynamoAddressRouteStore;
  /** Stores `eml` as raw mail and returns the receipt SES would have sent for it. */
  store(key: string, eml: string, recipients?: readonly string[]): Promise<ReceiptInfo>;
  /** The receipt of a mail that {@link memoryParser} parses, with nothing stored in S3. */
  receipt(key: string, recipients?: readonly string[]): ReceiptInfo;
  /** Gives `address` a route (new or replaced). */
  route(address: string, routing: AddressRouting): Promise<void>;
  /** Items of the interactions table whose key starts with `prefix`. */
  items(prefix: string): Promise<Record<string, unknown>[]>;
  /** Closes an interaction the way an agent's close leaves it. */
  close(id: string): Promise<void>;
  readJson(key: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** Starts fauxqs, creates tables on the emulator at `service`, and wires ingest to both. */
export async function startHarness(service: RunningService, prefix: string): Promise<Harness> {
  const fauxqs: Fauxqs = await startFauxqsService();
  const s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: fauxqs.endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const tables = await createTables(service.endpoint, prefix);
  const deps = ingestDeps(tables.doc, s3, {
    interactionsTable: tables.interactions,
    queuesTable: tables.queues,
    configTable: tables.config,
    mailBucket: BUCKET,
    defaultQueueId: 'default',
    defaultPriority: 0,
  });
  await new DynamoDomainStore(tables.doc, tables.config).create(domainRecord(DOMAIN));
  const queues = new DynamoQueueStore(tables.doc, tables.queues, tables.interactions);
  for (const id of ['default', 'billing']) await queues.ensure({ id, name: id, createdAt: new Date().toISOString() });
  const addresses = new DynamoAddressRouteStore(tables.doc, tables.config);
  const flows = new DynamoFlowStore(tables.doc, tables.config);
  return {
    tables,
    s3,
    deps,
    flows,
    addresses,
    async store(key, eml, recipients = [`help@${DOMAIN}`]) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: eml }));
      return { ...receiptOf(key, recipients), raw: { bucket: BUCKET, key, size: Buffer.byteLength(eml) } };
    },
    receipt: (key, recipients = [`help@${DOMAIN}`]) => receiptOf(key, recipients),
    async route(address, routing) {
      const now = new Date().toISOString();
      const route = addressRoute(address, { routing, createdAt: now, updatedAt: now });
      if ((await addresses.create(route)) === 'exists') await addresses.update(route);
    },
    async items(keyPrefix) {
      const out = await tables.doc.send(
        new ScanCommand({ TableName: tables.interactions, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': keyPrefix }, ConsistentRead: true }),
      );
      return out.Items ?? [];
    },
    async close(id) {
      await tables.doc.send(
        new UpdateCommand({
          TableName: tables.interactions,
          Key: { pk: interactionPk(id) },
          UpdateExpression: 'SET #state = :closed, #closedAt = :at REMOVE #bucket',
          ExpressionAttributeNames: { '#state': 'state', '#closedAt': 'closedAt', '#bucket': 'bucket' },
          ExpressionAttributeValues: { ':closed': 'closed', ':at': new Date().toISOString() },
        }),
      );
    },
    async readJson(key) {
      const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return JSON.parse(await out.Body!.transformToString());
    },
    async stop() {
      tables.destroy();
      s3.destroy();
      await fauxqs.stop();
    },
  };
}

function receiptOf(key: string, recipients: readonly string[]): ReceiptInfo {
  return receiptInfo(key.replace(/\W/g, '-'), { receivedAt: new Date().toISOString(), recipients, mailFrom: 'bounce@customer.test', raw: { bucket: BUCKET, key, size: 1_000 } });
}

/**
 * A parser of mails registered by raw key, for suites about storage rather than MIME: the crash
 * suite runs hundreds of ingests, and parsing each through S3 would only slow it down.
 */
export function memoryParser(): MessageParser & { add(key: string, mail: { from: string; subject: string; messageId: string; inReplyTo?: string }): void } {
  const mails = new Map<string, ParsedMail>();
  return {
    add(key, m) {
      mails.set(key, parsedMail({
        messageId: m.messageId,
        ...(m.inReplyTo !== undefined && { inReplyTo: m.inReplyTo }),
        references: m.inReplyTo !== undefined ? [m.inReplyTo] : [],
        subject: m.subject,
        from: { address: m.from, name: 'Customer' },
        to: [{ address: `help@${DOMAIN}` }],
        text: 'Hello, my order has not arrived.',
      }));
    },
    async parse(raw: BlobRef) {
      const parsed = mails.get(raw.key);
      if (!parsed) throw new Error(`no mail registered for ${raw.key}`);
      return parsed;
    },
  };
}

/** A plain text mail; `extra` headers go before the body. */
export function mail(opts: { from: string; subject: string; messageId: string; body?: string; headers?: Record<string, string> }): string {
  const head = [
    `From: Customer <${opts.from}>`,
    `To: help@${DOMAIN}`,
    `Subject: ${opts.subject}`,
    `Message-ID: ${opts.messageId}`,
    'Date: Thu, 26 Nov 2026 09:00:00 +0000',
    'MIME-Version: 1.0',
    ...Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'Content-Type: text/plain; charset=utf-8',
  ];
  return `${head.join('\r\n')}\r\n\r\n${opts.body ?? 'Hello, my order has not arrived.'}\r\n`;
}

/** The reviewer's case: a ~522 KB mail with `count` attachments of ~1 KB each. */
export function mailWithAttachments(count: number, messageId: string): string {
  const boundary = 'poison-boundary';
  const content = Buffer.alloc(960, 'x').toString('base64').replace(/.{76}/g, '$&\r\n');
  const parts = Array.from(
    { length: count },
    (_, n) =>
      `--${boundary}\r\nContent-Type: application/octet-stream; name="file-${n}.bin"\r\nContent-Disposition: attachment; filename="file-${n}.bin"\r\n` +
      `Content-Transfer-Encoding: base64\r\n\r\n${content}\r\n`,
  );
  return (
    `From: Customer <many@customer.test>\r\nTo: help@${DOMAIN}\r\nSubject: 400 files\r\nMessage-ID: ${messageId}\r\nMIME-Version: 1.0\r\n` +
    `Content-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n--${boundary}\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n` +
    `${parts.join('')}--${boundary}--\r\n`
  );
}

/** A valid 100-rule flow built to match everything: every rule has 20 actions. */
export function matchEverythingFlow(): FlowDefinition {
  return {
    name: 'match everything',
    rules: Array.from({ length: 100 }, (_, n) => ({
      name: `rule ${n} ${'n'.repeat(150)}`,
      when: [{ field: 'subject' as const, op: 'matches' as const, value: '.*' }],
      then: [
        { type: 'setQueue' as const, queueId: 'billing' },
        ...Array.from({ length: 18 }, (_, k) => ({ type: 'tag' as const, tags: [`rule-${n}-tag-${k}`] })),
        { type: 'adjustPriority' as const, delta: 1 },
      ],
    })),
  };
}
