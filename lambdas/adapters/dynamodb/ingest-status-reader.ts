/**
 * {@link IngestStatusReader} on the interactions table: BatchGetItem of the ingest ledger items
 * (`M#<transportKey>`, see ingest-ledger.ts), strongly consistent, so a message whose ingest just
 * finished is never re-enqueued because of a stale read (it would only be a duplicate, but why).
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../../core/errors.ts';
import { MAX_STATUS_BATCH, type IngestStatus, type IngestStatusReader } from '../../core/reconcile/ports.ts';
import { ledgerPk } from './schema.ts';
import { dynamoCall } from './dynamo-call.ts';

/** The attribute the dead-letter sweep sets on `M#` items and a redrive removes. */
export const DEAD_LETTERED_AT = 'deadLetteredAt';
/** Unprocessed keys (throttling) are retried this often, with a doubling pause from 50 ms. */
const MAX_ATTEMPTS = 5;

export class DynamoIngestStatusReader implements IngestStatusReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /**
   * Ledger status of up to 100 transport keys; keys without an item are absent from the map.
   * @throws TransientError when DynamoDB leaves keys unprocessed after 5 attempts
   */
  async read(transportKeys: readonly string[]): Promise<ReadonlyMap<string, IngestStatus>> {
    if (transportKeys.length > MAX_STATUS_BATCH) throw new RangeError(`at most ${MAX_STATUS_BATCH} keys per read`);
    const out = new Map<string, IngestStatus>();
    let keys: Record<string, unknown>[] = [...new Set(transportKeys)].map((k) => ({ pk: ledgerPk(k) }));
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new TransientError('storage-unavailable', `DynamoDB left ${keys.length} ledger reads unprocessed`);
      if (attempt > 0) await this.pause(50 * 2 ** (attempt - 1));
      const result = await dynamoCall('BatchGetItem', () =>
        this.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: keys,
                ConsistentRead: true,
                ProjectionExpression: '#pk, #status, #dead',
                ExpressionAttributeNames: { '#pk': 'pk', '#status': 'status', '#dead': DEAD_LETTERED_AT },
              },
            },
          }),
        ),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) {
        const pk = String(item.pk);
        out.set(pk.slice(pk.indexOf('#') + 1), {
          status: item.status === 'done' ? 'done' : 'started',
          deadLettered: item[DEAD_LETTERED_AT] !== undefined && item[DEAD_LETTERED_AT] !== null,
        });
      }
      keys = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
    return out;
  }
}
