/**
 * Wires the reconciler's ports to S3, DynamoDB and SQS, in one place for the reconciler Lambda,
 * the local runtime's reconciler loop, and the tests and benchmark that drive it against local
 * servers.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ServedDomains } from '../core/domains/domain.ts';
import type { ReconcilePorts } from '../core/reconcile/ports.ts';
import { CachedServedDomains } from './config/served-domains.ts';
import { DynamoDomainStore } from './dynamodb/domain-store.ts';
import { DynamoIngestStatusReader } from './dynamodb/ingest-status-reader.ts';
import { S3RawMessageLister } from './reconcile/s3-raw-message-lister.ts';
import { SqsRawMessageRequeuer } from './reconcile/sqs-requeuer.ts';

export interface ReconcileWiring {
  readonly mailBucket: string;
  readonly interactionsTable: string;
  /** The inbound queue the routing Lambda consumes. */
  readonly inboundQueueUrl: string;
  /** The config table, whose served domains the To/Cc fallback keeps when the envelope recipients are unknown. */
  readonly configTable: string;
  /** Replaces the cached domain list of the config table (tests). */
  readonly servedDomains?: ServedDomains;
  /** Authentication-Results authserv-id of the receiving side. @default 'amazonses.com' */
  readonly authServId?: string;
}

/** The reconciler's ports over a real bucket, table and queue. */
export function reconcilePorts(s3: S3Client, doc: DynamoDBDocumentClient, sqs: SQSClient, w: ReconcileWiring): ReconcilePorts {
  return {
    lister: new S3RawMessageLister(s3, w.mailBucket),
    ledger: new DynamoIngestStatusReader(doc, w.interactionsTable),
    requeuer: new SqsRawMessageRequeuer(s3, sqs, {
      bucket: w.mailBucket,
      queueUrl: w.inboundQueueUrl,
      servedDomains: w.servedDomains ?? new CachedServedDomains(new DynamoDomainStore(doc, w.configTable)),
      ...(w.authServId !== undefined && { authServId: w.authServId }),
    }),
  };
}
