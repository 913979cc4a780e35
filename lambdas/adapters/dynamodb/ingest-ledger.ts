/**
 * The ingest ledger on DynamoDB (decision 4): one `M#<transportKey>` item per received message,
 * written with a conditional put so that redelivery never yields a second interaction.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IngestBegin, IngestLedger } from '../../core/ports.ts';
import { dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';
import { ledgerPk } from './schema.ts';

type LedgerStatus = 'started' | 'done';

/**
 * {@link IngestLedger} on the interactions table. Why a conditional put and then a consistent
 * read: the put alone tells "first delivery", the read tells a finished duplicate from a crashed,
 * unfinished attempt that must be resumed.
 */
export class DynamoIngestLedger implements IngestLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** 'new' on the first delivery, 'done' when ingest already completed, else 'resumed'. */
  async begin(key: string, interactionId: string, at: Date): Promise<IngestBegin> {
    const status: LedgerStatus = 'started';
    try {
      await dynamoCall('PutItem', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: ledgerPk(key), interactionId, status, startedAt: at.toISOString() },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return 'new';
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    const existing = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: ledgerPk(key) }, ConsistentRead: true })),
    );
    return existing.Item?.status === 'done' ? 'done' : 'resumed';
  }

  /** Marks `key` done; from now on a redelivery is reported as a duplicate. */
  async complete(key: string, at: Date): Promise<void> {
    const status: LedgerStatus = 'done';
    await dynamoCall('UpdateItem', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: ledgerPk(key) },
          UpdateExpression: 'SET #status = :status, completedAt = :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':at': at.toISOString() },
        }),
      ),
    );
  }
}
