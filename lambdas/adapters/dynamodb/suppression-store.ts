/**
 * The suppression list on DynamoDB (issue 11 item 4): one `SUP#<address>` item per suppressed
 * recipient in the interactions table, in the `byBucket` index under `SUPPRESSED`, newest first.
 * No TTL: a hard bounce or a complaint stays suppressed until an admin lifts it.
 */
import { BatchGetCommand, DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Suppression, SuppressionList } from '../../core/outbound/outbound-ports.ts';
import { TransientError } from '../../core/errors.ts';
import { queryBucketPage } from './bucket-page.ts';
import type { Item } from './item-codec.ts';
import { dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';
import { SUPPRESSED_BUCKET, suppressionPk } from './schema.ts';

/** DynamoDB's BatchGetItem takes at most 100 keys per call. */
const MAX_BATCH_GET_KEYS = 100;
/** Rounds of UnprocessedKeys (throttling) retried before the lookup fails as transient and is retried later. */
const MAX_BATCH_ROUNDS = 5;
/** A page of the list when the caller names no limit. */
const DEFAULT_LIST_LIMIT = 50;

/** How suppressed addresses are compared: trimmed and lower-cased whole (the list's contract). */
export function suppressionKeyOf(address: string): string {
  return address.trim().toLowerCase();
}

/** Index sort key: minus the epoch milliseconds, so the index's ascending order is newest first. */
function orderKeyOf(at: string): number {
  return -(Date.parse(at) || 0);
}

function toItem(s: Suppression): Item {
  const address = suppressionKeyOf(s.address);
  return { ...s, address, pk: suppressionPk(address), bucket: SUPPRESSED_BUCKET, orderKey: orderKeyOf(s.at) };
}

function fromItem(item: Item): Suppression {
  const { pk: _pk, bucket: _bucket, orderKey: _orderKey, ...rest } = item;
  return rest as unknown as Suppression;
}

/**
 * {@link SuppressionList} on the interactions table. `add` overwrites: the newest reason (a
 * complaint after a bounce) is the one an admin sees, and a redelivered feedback event writes the
 * same item again.
 */
export class DynamoSuppressionStore implements SuppressionList {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The suppressed ones among `addresses` (case-insensitive), by consistent batch reads of 100 keys. */
  async find(addresses: readonly string[]): Promise<Suppression[]> {
    const keys = [...new Set(addresses.map(suppressionKeyOf))].map((a) => ({ pk: suppressionPk(a) }));
    const found: Suppression[] = [];
    for (let i = 0; i < keys.length; i += MAX_BATCH_GET_KEYS) found.push(...(await this.batchGet(keys.slice(i, i + MAX_BATCH_GET_KEYS))));
    return found;
  }

  /** Puts (or replaces) the suppression of its address. */
  async add(suppression: Suppression): Promise<void> {
    await dynamoCall('PutItem', () => this.doc.send(new PutCommand({ TableName: this.tableName, Item: toItem(suppression) })));
  }

  /** Lifts a suppression; `missing` when the address was not suppressed. */
  async remove(address: string): Promise<'removed' | 'missing'> {
    try {
      await dynamoCall('DeleteItem', () =>
        this.doc.send(
          new DeleteCommand({ TableName: this.tableName, Key: { pk: suppressionPk(suppressionKeyOf(address)) }, ConditionExpression: 'attribute_exists(pk)' }),
        ),
      );
      return 'removed';
    } catch (err) {
      if (isConditionalCheckFailed(err)) return 'missing';
      throw err;
    }
  }

  /** A page of suppressions, newest first. @default limit 50 */
  async list(options: { readonly limit?: number; readonly cursor?: string }): Promise<{ readonly suppressions: Suppression[]; readonly cursor?: string }> {
    const page = await queryBucketPage(this.doc, this.tableName, SUPPRESSED_BUCKET, options.limit ?? DEFAULT_LIST_LIMIT, options.cursor, { pkPrefix: 'SUP#' });
    return { suppressions: page.items.map(fromItem), ...(page.cursor !== undefined && { cursor: page.cursor }) };
  }

  private async batchGet(keys: Item[]): Promise<Suppression[]> {
    const found: Suppression[] = [];
    let pending = keys;
    for (let round = 0; round < MAX_BATCH_ROUNDS && pending.length > 0; round++) {
      const out = await dynamoCall('BatchGetItem', () =>
        this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } })),
      );
      found.push(...(out.Responses?.[this.tableName] ?? []).map(fromItem));
      pending = (out.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Item[];
    }
    if (pending.length > 0) throw new TransientError('storage-unavailable', 'DynamoDB BatchGetItem left suppression keys unprocessed; retry');
    return found;
  }
}
