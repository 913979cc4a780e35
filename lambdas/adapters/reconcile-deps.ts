/**
 * Wires the reconciler's ports to S3, DynamoDB and SQS, in one place for the reconciler Lambda,
 * the local runtime's reconciler loop, and the tests and benchmark that drive it against local
 * servers.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReconcilePorts } from '../core/reconcile/ports.ts';
import { DynamoIngestStatusReader } from './dynamodb/ingest-status-reader.ts';
import { S3RawMessageLister } from './reconcile/s3-raw-message-lister.ts';
import { SqsRawMessageRequeuer } from './reconcile/sqs-requeuer.ts';

export interface ReconcileWiring {
  readonly mailBucket: string;
  readonly interactionsTable: string;
  /** The inbound queue the routing Lambda consumes. */
  readonly inboundQueueUrl: string;
  /** Served domains, for the To/Cc fallback when the envelope recipients are unknown. */
  readonly domains: readonly string[];
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
      domains: w.domains,
      ...(w.authServId !== undefined && { authServId: w.authServId }),
    }),
  };
}
