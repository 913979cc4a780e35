/**
 * Dead letters on DynamoDB: one `DL#<id>` item each in the interactions table, in the `byBucket`
 * index under `DL#dead` or `DL#redriven`, sorted newest first. Every write is one conditional
 * write (decision 7).
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeadLetter, DeadLetterState, DeadLetterStore } from '../../core/dead-letters.ts';
import type { Page } from '../../core/ports.ts';
import { queryBucketPage } from './bucket-page.ts';
import type { Item } from './item-codec.ts';
import { dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';
import { BY_BUCKET_INDEX } from '../../../contract/tables.ts';
import { deadLetterBucket, deadLetterPk } from './schema.ts';

/** Index sort key: minus the epoch milliseconds, so the index's ascending order is newest first. */
function orderKeyOf(deadLetteredAt: string): number {
  return -(Date.parse(deadLetteredAt) || 0);
}

function toItem(d: DeadLetter): Item {
  return { ...d, pk: deadLetterPk(d.id), bucket: deadLetterBucket(d.state), orderKey: orderKeyOf(d.deadLetteredAt) };
}

function fromItem(item: Item): DeadLetter {
  const { pk: _pk, bucket: _bucket, orderKey: _orderKey, ...rest } = item;
  return rest as unknown as DeadLetter;
}

/**
 * {@link DeadLetterStore} on the interactions table. Why the state is in the index partition: "all
 * dead ones" (what redrive-all walks) is then one query that redriven ones never slow down.
 */
export class DynamoDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Conditional put keyed on the id; `exists` on a redelivery of the same DLQ message. */
  async create(deadLetter: DeadLetter): Promise<'created' | 'exists'> {
    try {
      await dynamoCall('PutItem', () =>
        this.doc.send(new PutCommand({ TableName: this.tableName, Item: toItem(deadLetter), ConditionExpression: 'attribute_not_exists(pk)' })),
      );
      return 'created';
    } catch (err) {
      if (isConditionalCheckFailed(err)) return 'exists';
      throw err;
    }
  }

  /** One consistent read. */
  async get(id: string): Promise<DeadLetter | undefined> {
    const out = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: deadLetterPk(id) }, ConsistentRead: true })),
    );
    return out.Item ? fromItem(out.Item) : undefined;
  }

  /** A page of dead letters in `state`, newest first; `cursor` comes from the previous page. */
  async list(state: DeadLetterState, limit: number, cursor?: string): Promise<Page<DeadLetter>> {
    const bucket = deadLetterBucket(state);
    const page = await queryBucketPage(this.doc, this.tableName, bucket, limit, cursor, { pkPrefix: 'DL#' });
    return { items: page.items.map(fromItem), ...(page.cursor !== undefined && { cursor: page.cursor }) };
  }

  /** `dead` -> `redriven` (moves it to the `DL#redriven` partition); `undefined` when it was not `dead`. */
  async markRedriven(id: string, at: Date): Promise<DeadLetter | undefined> {
    try {
      const out = await dynamoCall('UpdateItem', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: deadLetterPk(id) },
            UpdateExpression: 'SET #state = :redriven, #bucket = :bucket, redrivenAt = :at',
            ConditionExpression: '#state = :dead',
            ExpressionAttributeNames: { '#state': 'state', '#bucket': BY_BUCKET_INDEX.partitionKey },
            ExpressionAttributeValues: { ':redriven': 'redriven', ':dead': 'dead', ':bucket': deadLetterBucket('redriven'), ':at': at.toISOString() },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return out.Attributes ? fromItem(out.Attributes) : undefined;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return undefined;
      throw err;
    }
  }
}

