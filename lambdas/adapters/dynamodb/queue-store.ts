/**
 * Queues on DynamoDB: one item per queue in the queues table; the waiting count is read from the
 * interactions table's `byBucket` index, so it is never a counter that could drift. A queue being
 * removed carries {@link CLOSING_ATTRIBUTE} (core agents/removal.ts) and reads as missing.
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { QueueAdmin } from '../../core/agents/ports.ts';
import type { QueueStore } from '../../core/ports.ts';
import { itemToQueue, queueToItem, type Item } from './item-codec.ts';
import { conditionalCall, dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';
import { BY_BUCKET_INDEX } from '../../../contract/tables.ts';
import { queueBucket } from './schema.ts';
import type { Queue } from '../../core/agents/model.ts';

/** Set (to when removal began) while a queue is being removed; such a queue is neither listed nor found. */
export const CLOSING_ATTRIBUTE = 'closing';

const isClosing = (item: Item): boolean => item[CLOSING_ATTRIBUTE] !== undefined;

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
      queues.push(...(page.Items ?? []).filter((item) => !isClosing(item)).map(itemToQueue));
      start = page.LastEvaluatedKey;
    } while (start);
    return queues.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * One consistent read; `undefined` for a queue that does not exist or is closing, so whoever
   * places mail (routing, release, transfer) checks one thing.
   */
  async get(id: string): Promise<Queue | undefined> {
    const out = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.queuesTable, Key: { id }, ConsistentRead: true })),
    );
    return out.Item && !isClosing(out.Item) ? itemToQueue(out.Item) : undefined;
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

  /** Conditional update on an existing item (closing or not, so an interrupted removal can be repeated). */
  async markClosing(id: string, at: Date): Promise<boolean> {
    return conditionalCall('UpdateItem', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.queuesTable,
          Key: { id },
          UpdateExpression: 'SET #closing = :at',
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeNames: { '#closing': CLOSING_ATTRIBUTE },
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      ),
    );
  }

  /** Conditional update: takes the closing mark back; `false` when the queue is gone. */
  async unmarkClosing(id: string): Promise<boolean> {
    return conditionalCall('UpdateItem', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.queuesTable,
          Key: { id },
          UpdateExpression: 'REMOVE #closing',
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeNames: { '#closing': CLOSING_ATTRIBUTE },
        }),
      ),
    );
  }

  /**
   * Conditional delete of a closing queue; `false` when there is none. Why the condition: the
   * waiting count lives in another table, so only a queue the removal protocol has marked (and
   * counted empty since) may go.
   */
  async remove(id: string): Promise<boolean> {
    return conditionalCall('DeleteItem', () =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.queuesTable,
          Key: { id },
          ConditionExpression: 'attribute_exists(#closing)',
          ExpressionAttributeNames: { '#closing': CLOSING_ATTRIBUTE },
        }),
      ),
    );
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
