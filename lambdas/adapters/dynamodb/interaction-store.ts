/**
 * Interactions on DynamoDB: one `I#<id>` item each, indexed by `byBucket` for queue order
 * (decision 6) and the quarantine list. Every write is one conditional put (decision 7).
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Interaction, QueueEntry } from '../../core/interaction.ts';
import type { InteractionStore, Page } from '../../core/ports.ts';
import {
  QUEUE_ENTRY_PROJECTION,
  interactionToItem,
  itemToInteraction,
  itemToQueueEntry,
  type Item,
} from './item-codec.ts';
import { dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';
import { queryBucketPage } from './bucket-page.ts';
import { DISPOSED_BUCKET, QUARANTINE_BUCKET, interactionPk, queueBucket } from './schema.ts';

/**
 * {@link InteractionStore} on the interactions table. Why one ascending index query per page:
 * the index's sort key is the fixed order key, so "highest score first" needs no rescoring and
 * no in-memory sort, and it runs the same on DynamoDB, DynamoDB Local and dynalite.
 */
export class DynamoInteractionStore implements InteractionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Conditional put; 'exists' when an interaction with this id is already stored (left as is). */
  async create(interaction: Interaction): Promise<'created' | 'exists'> {
    try {
      await dynamoCall('PutItem', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: interactionToItem(interaction),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return 'created';
    } catch (err) {
      if (isConditionalCheckFailed(err)) return 'exists';
      throw err;
    }
  }

  /** One consistent read: the interaction was usually written moments ago. */
  async get(id: string): Promise<Interaction | undefined> {
    const out = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: interactionPk(id) }, ConsistentRead: true })),
    );
    return out.Item ? itemToInteraction(out.Item) : undefined;
  }

  /** A page of a queue in score order; `cursor` comes from the previous page. */
  async listWaiting(queueId: string, limit: number, cursor?: string): Promise<Page<QueueEntry>> {
    const bucket = queueBucket(queueId);
    const page = await this.queryBucket(bucket, limit, cursor, QUEUE_ENTRY_PROJECTION);
    return { items: page.items.map(itemToQueueEntry), ...(page.cursor !== undefined && { cursor: page.cursor }) };
  }

  /** A page of quarantined interactions, newest receipt first. */
  async listQuarantined(limit: number, cursor?: string): Promise<Page<Interaction>> {
    const page = await this.queryBucket(QUARANTINE_BUCKET, limit, cursor);
    return { items: page.items.map(itemToInteraction), ...(page.cursor !== undefined && { cursor: page.cursor }) };
  }

  /** A page of disconnected and set-aside interactions, newest receipt first. */
  async listDisposed(limit: number, cursor?: string): Promise<Page<Interaction>> {
    const page = await this.queryBucket(DISPOSED_BUCKET, limit, cursor);
    return { items: page.items.map(itemToInteraction), ...(page.cursor !== undefined && { cursor: page.cursor }) };
  }

  private queryBucket(
    bucket: string,
    limit: number,
    cursor: string | undefined,
    projection?: { expression: string; names: Record<string, string> },
  ): Promise<Page<Item>> {
    return queryBucketPage(this.doc, this.tableName, bucket, limit, cursor, projection ? { projection } : {});
  }
}
