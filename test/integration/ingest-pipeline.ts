/**
 * The inbound pipeline as the routing Lambda wires it (ingestDeps: S3 parser, DynamoDB stores) on
 * real local servers (fauxqs S3, dynalite), for tests that feed it whole messages: the corpus and
 * the generated mail run through exactly the same path.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReceiptInfo, Verdicts } from '../../lambdas/core/message.ts';
import { DynamoDomainStore } from '../../lambdas/adapters/dynamodb/domain-store.ts';
import { createTableInputs } from '../../lambdas/adapters/dynamodb/schema.ts';
import type { DomainStore, ServedDomains } from '../../lambdas/core/domains/domain.ts';
import { ingestDeps } from '../../lambdas/adapters/ingest-deps.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, startFauxqsService } from '../../lambdas/local/services.ts';
import type { IngestDeps } from '../../lambdas/core/ingest-ports.ts';
import { domainRecord } from '../support/factories.ts';

/** The served domain; mail for any other domain is quarantined `no-served-recipient`. */
export const SERVED_DOMAIN = 'support.example.test';

/** A running pipeline: `deps` for ingest, and the bucket its raw mail is read from. */
export interface IngestPipeline {
  readonly deps: IngestDeps;
  readonly bucket: string;
  /** The config table's served domains ({@link SERVED_DOMAIN} is stored at start). */
  readonly domains: DomainStore;
  /** Stores `raw` as the message with SES id `messageId` and returns its receipt. */
  store(messageId: string, raw: string | Buffer, receipt?: Partial<Pick<ReceiptInfo, 'recipients' | 'mailFrom'>> & { verdicts?: Partial<Verdicts> }): Promise<ReceiptInfo>;
  stop(): Promise<void>;
}

/** How the pipeline is wired beside the defaults. */
export interface IngestPipelineOptions {
  /** Builds the served domains over the config table's store. @default ingestDeps' cache (CachedServedDomains) */
  readonly servedDomains?: (store: DomainStore) => ServedDomains;
}

/**
 * Starts dynalite and fauxqs with tables and a bucket named after `prefix`; {@link SERVED_DOMAIN}
 * is stored as a domain, the default queue is `default`, priority 0, and no address routes are
 * configured (so every served mail takes the defaults).
 */
export async function startIngestPipeline(prefix: string, options: IngestPipelineOptions = {}): Promise<IngestPipeline> {
  const dynalite = await startDynalite();
  const fauxqs = await startFauxqsService();
  const bucket = `${prefix}-mail`;
  const tables = { interactions: `${prefix}-interactions`, queues: `${prefix}-queues`, config: `${prefix}-config` };
  const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const s3 = new S3Client({ ...config, endpoint: fauxqs.endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const dynamo = new DynamoDBClient({ ...config, endpoint: dynalite.endpoint });
  for (const input of createTableInputs(tables)) await dynamo.send(new CreateTableCommand(input));
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const domains = new DynamoDomainStore(doc, tables.config);
  await domains.create(domainRecord(SERVED_DOMAIN));
  const deps = ingestDeps(doc, s3, {
    interactionsTable: tables.interactions,
    queuesTable: tables.queues,
    configTable: tables.config,
    mailBucket: bucket,
    defaultQueueId: 'default',
    defaultPriority: 0,
    ...(options.servedDomains && { servedDomains: options.servedDomains(domains) }),
  });
  return {
    deps,
    bucket,
    domains,
    async store(messageId, raw, receipt = {}) {
      const key = `inbound/${messageId}`;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: raw }));
      return {
        transport: { kind: 'ses', messageId },
        receivedAt: new Date().toISOString(),
        recipients: receipt.recipients ?? [`help@${SERVED_DOMAIN}`],
        mailFrom: receipt.mailFrom ?? 'sender@customer.example',
        verdicts: { spam: 'PASS', virus: 'PASS', spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY', ...receipt.verdicts },
        raw: { bucket, key },
      };
    },
    async stop() {
      await fauxqs.stop();
      await dynalite.stop();
    },
  };
}
