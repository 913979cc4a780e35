/**
 * Queues on DynamoDB: one item per queue in the queues table; the waiting count is read from the
 * interactions table's `byBucket` index, so it is never a counter that could drift.
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Queue } from '../../core/interaction.ts';
import type { QueueAdmin } from '../../core/agents/ports.ts';
import type { QueueStore } from '../../core/ports.ts';
import { itemToQueue, queueToItem, type Item } from './item-codec.ts';
import { dynamoCall, isConditionalCheckFailed } from './sdk-errors.ts';
import { BY_BUCKET_INDEX, queueBucket } from './schema.ts';

/**
 * {@link QueueStore} over the queues and interactions tables. Why counts come from a COUNT
 * query: a stored counter would need a second write per enqueue (decision 7 keeps one).
 */
export class DynamoQueueStore implements QueueStore, QueueAdmin {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly queuesTable: string,
    private readonly interactionsTable: string,
  ) {}

  /** All queues, sorted by id; the table holds tens of items, so a paginated scan is fine. */
  async list(): Promise<readonly Queue[]> {
    const queues: Queue[] = [];
    let start: Item | undefined;
    do {
      const page = await dynamoCall('Scan', () =>
        this.doc.send(new ScanCommand({ TableName: this.queuesTable, ...(start && { ExclusiveStartKey: start }) })),
      );
      queues.push(...(page.Items ?? []).map(itemToQueue));
      start = page.LastEvaluatedKey;
    } while (start);
    return queues.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async get(id: string): Promise<Queue | undefined> {
    const out = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.queuesTable, Key: { id }, ConsistentRead: true })),
    );
    return out.Item ? itemToQueue(out.Item) : undefined;
  }

  /** Creates the queue unless it exists; an existing queue keeps its name and description. */
  async ensure(queue: Queue): Promise<void> {
    try {
      await dynamoCall('PutItem', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.queuesTable,
            Item: queueToItem(queue),
            ConditionExpression: 'attribute_not_exists(id)',
          }),
        ),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  /** Conditional put: `exists` when the id is taken (the stored queue is left as it is). */
  async create(queue: Queue): Promise<'created' | 'exists'> {
    try {
      await dynamoCall('PutItem', () =>
        this.doc.send(
          new PutCommand({ TableName: this.queuesTable, Item: queueToItem(queue), ConditionExpression: 'attribute_not_exists(id)' }),
        ),
      );
      return 'created';
    } catch (err) {
      if (isConditionalCheckFailed(err)) return 'exists';
      throw err;
    }
  }

  /**
   * Conditional delete; `false` when there was no such queue. Callers refuse first while
   * interactions wait (the count lives in another table, so this write cannot check it).
   */
  async remove(id: string): Promise<boolean> {
    try {
      await dynamoCall('DeleteItem', () =>
        this.doc.send(new DeleteCommand({ TableName: this.queuesTable, Key: { id }, ConditionExpression: 'attribute_exists(id)' })),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  /** Interactions waiting in the queue: a COUNT query on the index, following every page. */
  async countWaiting(id: string): Promise<number> {
    let count = 0;
    let start: Item | undefined;
    do {
      const page = await dynamoCall('Query', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.interactionsTable,
            IndexName: BY_BUCKET_INDEX.name,
            KeyConditionExpression: '#bucket = :bucket',
            ExpressionAttributeNames: { '#bucket': BY_BUCKET_INDEX.partitionKey },
            ExpressionAttributeValues: { ':bucket': queueBucket(id) },
            Select: 'COUNT',
            ...(start && { ExclusiveStartKey: start }),
          }),
        ),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  }
}
