/**
 * What the reconciler needs from the outside world (decision 11): the stored raw messages, the
 * ingest ledger's view of them, and a way to put a message back on the inbound queue. Adapters
 * implement these on S3, DynamoDB and SQS; core never does I/O.
 */
import type { Page } from '../ports.ts';

/** One raw message as object storage lists it (the claim check of decision 3). */
export interface StoredRawMessage {
  /** The object key, e.g. `inbound/<SES message id>`. */
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** Pages through the raw messages under `inbound/`, in any order, each object once per run. */
export interface RawMessageLister {
  listPage(cursor?: string): Promise<Page<StoredRawMessage>>;
}

/**
 * The ledger's view of one message (`M#<transportKey>`): `deadLettered` when the dead-letter
 * sweep recorded it (`deadLetteredAt` set) and no redrive cleared it since.
 */
export interface IngestStatus {
  readonly status: 'started' | 'done';
  readonly deadLettered: boolean;
}

/** Why a batch is capped: DynamoDB BatchGetItem takes at most 100 keys per call. */
export const MAX_STATUS_BATCH = 100;
/** Why a batch is capped: SQS SendMessageBatch takes at most 10 entries per call. */
export const MAX_REQUEUE_BATCH = 10;

/** Reads the ledger items of up to {@link MAX_STATUS_BATCH} transport keys; absent keys have no item. */
export interface IngestStatusReader {
  read(transportKeys: readonly string[]): Promise<ReadonlyMap<string, IngestStatus>>;
}

/** A message the requeuer could not put back, with a stable reason code and a human detail. */
export interface RequeueFailure {
  readonly key: string;
  readonly code: string;
  readonly detail: string;
}

/**
 * Puts up to {@link MAX_REQUEUE_BATCH} raw messages back on the inbound queue as recovery records
 * the routing Lambda accepts; returns the ones that could not be sent (the rest were).
 */
export interface RawMessageRequeuer {
  requeue(messages: readonly StoredRawMessage[]): Promise<readonly RequeueFailure[]>;
}

export interface ReconcilePorts {
  readonly lister: RawMessageLister;
  readonly ledger: IngestStatusReader;
  readonly requeuer: RawMessageRequeuer;
}
