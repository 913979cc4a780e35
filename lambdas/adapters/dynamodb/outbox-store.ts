/**
 * The outbox on DynamoDB (decision 8): one `OUT#<id>` record per message to send, in the
 * interactions table. Ingest enqueues auto-acknowledgements here; the sender Lambda (outbound
 * issue) moves each record `pending -> sending -> sent | failed` with conditional updates.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PermanentError } from '../../core/errors.ts';
import { dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';
import { TTL_ATTRIBUTE } from '../../../contract/tables.ts';
import { outboxIdFor, type NewOutboxRecord, type OutboxRecord, type OutboxStore } from '../../core/outbound/outbox.ts';

/**
 * How long an outbox record is kept. It must outlive every retry of the ingest that enqueued it
 * (SQS keeps a message at most 14 days), or a late retry would enqueue the message again.
 */
export const OUTBOX_RETENTION_DAYS = 30;

/** The key of an outbox record. */
export function outboxPk(id: string): string {
  return `OUT#${id}`;
}

/**
 * {@link OutboxStore} on the interactions table. Why a conditional put on a deterministic id: a
 * retried ingest computes the same id, finds the first record, and the customer gets one message.
 */
export class DynamoOutboxStore implements OutboxStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Enqueues in state `pending`; 'exists' when the record was enqueued before (left as it is).
   * @throws PermanentError `outbox-id-mismatch` when an acknowledgement's `id` is not outboxIdFor(interactionId, purpose)
   */
  async enqueue(record: NewOutboxRecord, at: Date): Promise<'enqueued' | 'exists'> {
    if (record.purpose === 'auto-acknowledgement' && (!record.interactionId || record.id !== outboxIdFor(record.interactionId, record.purpose))) {
      throw new PermanentError('outbox-id-mismatch', `outbox id ${record.id} is not derived from ${record.interactionId} and ${record.purpose}`);
    }
    const stored: OutboxRecord = { ...record, state: 'pending', createdAt: at.toISOString() };
    const item: Record<string, unknown> = {
      ...Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== undefined)),
      pk: outboxPk(record.id),
      [TTL_ATTRIBUTE]: Math.floor(at.getTime() / 1000) + OUTBOX_RETENTION_DAYS * 86_400,
    };
    try {
      await dynamoCall('PutItem', () =>
        this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
      );
      return 'enqueued';
    } catch (err) {
      if (isConditionalCheckFailed(err)) return 'exists';
      throw err;
    }
  }

  /** One consistent read; undefined for an unknown id. */
  async get(id: string): Promise<OutboxRecord | undefined> {
    const out = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: outboxPk(id) }, ConsistentRead: true })),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, [TTL_ATTRIBUTE]: _ttl, ...record } = out.Item;
    return record as OutboxRecord;
  }
}
