/**
 * The messages-per-minute limit of an SMTP integration (issue 11 item 5; SPEC OUT-4), held across
 * every concurrent sender Lambda in one interactions-table item per integration, `RATE#<serverId>`.
 *
 * A token bucket of capacity one in its "virtual scheduling" form (GCRA): the item holds `tat`, the
 * earliest time (epoch ms) the next message may go. A sender takes the slot with one conditional
 * UpdateItem (`tat <= now` -> `tat = now + 60000 / rate`); a refused condition answers how long
 * to wait. One item, one conditional write per send, no transaction, no read before the write.
 *
 * Why capacity one: a larger bucket lets a burst and the refill that follows it add up to more than
 * the budget within one rolling minute; with one token, sends are at least 60000 / rate ms apart,
 * so no 60-second window ever holds more than `rate` of them (OUT-4: "never exceeds"). The cost is
 * that a burst is spread out (30 per minute: one every 2 s), which is what a provider's limit asks.
 */
import { UpdateCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SendRateLimiter } from '../../core/outbound/outbound-ports.ts';
import { dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';

export const ratePk = (serverId: string): string => `RATE#${serverId}`;

/** An idle bucket expires through the table's TTL after a day: it holds nothing worth keeping. */
const RATE_ITEM_TTL_SECONDS = 24 * 60 * 60;

/** {@link SendRateLimiter} on the interactions table; see the module comment. */
export class DynamoSendRateLimiter implements SendRateLimiter {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Takes the next slot of `serverId`'s budget at `now`: 0 when taken, else the milliseconds until
   * the next slot (at least 1). `messagesPerMinute` is the integration's current setting.
   */
  async acquire(serverId: string, messagesPerMinute: number, now: Date): Promise<number> {
    const at = now.getTime();
    const interval = 60_000 / Math.max(1, messagesPerMinute);
    try {
      await dynamoCall('UpdateItem', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: ratePk(serverId) },
            UpdateExpression: 'SET tat = :next, expiresAt = :expires',
            ConditionExpression: 'attribute_not_exists(tat) OR tat <= :now',
            ExpressionAttributeValues: { ':now': at, ':next': at + interval, ':expires': Math.floor(at / 1000) + RATE_ITEM_TTL_SECONDS },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return 0;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      // DynamoDB answers the item with the refusal; a stand-in that does not is asked once more.
      const tat = tatInRefusal(err) ?? (await this.tatOf(serverId));
      return Math.max(1, Math.ceil(tat - at));
    }
  }

  private async tatOf(serverId: string): Promise<number> {
    const out = await dynamoCall('GetItem', () => this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: ratePk(serverId) }, ConsistentRead: true })));
    return Number(out.Item?.tat ?? 0);
  }
}

/** The `tat` of the item a refused condition returns: marshalled (`{ N: '…' }`), since the document client does not unmarshal errors. */
function tatInRefusal(err: unknown): number | undefined {
  const tat = (err as { Item?: { tat?: unknown } }).Item?.tat;
  const n = typeof tat === 'object' && tat !== null && 'N' in tat ? Number((tat as { N: string }).N) : typeof tat === 'number' ? tat : NaN;
  return Number.isFinite(n) ? n : undefined;
}
