/**
 * The auto-acknowledgement limiter on DynamoDB: one `ACK#<lower-case sender>` record per sender in
 * the interactions table, holding the time of its last acknowledgement, the interaction that took
 * it (`holder`), and expiring through TTL.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ACK_INTERVAL_MS } from '../../core/routing/loop-guard.ts';
import type { AckLimiter } from '../../core/routing/thread-ports.ts';
import { conditionalCall } from './dynamo-call.ts';
import { TTL_ATTRIBUTE } from '../../../contract/tables.ts';

/** The key of a sender's limiter record; addresses compare case-insensitively here. */
export function ackPk(sender: string): string {
  return `ACK#${sender.trim().toLowerCase()}`;
}

/**
 * {@link AckLimiter} as one conditional update: it succeeds only when the sender has no record or
 * its last acknowledgement is at least {@link ACK_INTERVAL_MS} before `at` (core's `ackAllowed`
 * rule, evaluated by DynamoDB so that concurrent ingests of two messages from one sender cannot
 * both acknowledge). The record expires one interval after the acknowledgement.
 */
export class DynamoAckLimiter implements AckLimiter {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * True when the slot was free and is now taken for `sender` at `at`, or was taken by `holder`
   * already (a retried ingest of the same interaction); false when refused.
   */
  async tryAcquire(sender: string, at: Date, holder?: string): Promise<boolean> {
    return conditionalCall('UpdateItem', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: ackPk(sender) },
          UpdateExpression: holder === undefined ? 'SET #lastAckAt = :at, #ttl = :exp REMOVE #holder' : 'SET #lastAckAt = :at, #ttl = :exp, #holder = :holder',
          ConditionExpression: `attribute_not_exists(pk) OR #lastAckAt <= :cutoff${holder === undefined ? '' : ' OR #holder = :holder'}`,
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE, '#lastAckAt': 'lastAckAt', '#holder': 'holder' },
          ExpressionAttributeValues: {
            ':at': at.getTime(),
            ':cutoff': at.getTime() - ACK_INTERVAL_MS,
            ':exp': Math.ceil((at.getTime() + ACK_INTERVAL_MS) / 1000),
            ...(holder !== undefined && { ':holder': holder }),
          },
        }),
      ),
    );
  }
}
