/**
 * Failures and dead-lettering on the ingest ledger item `M#<transportKey>` (ingest-ledger.ts):
 * the routing Lambda records why an attempt failed (`lastErrorCode`, `lastError`, `attempts`,
 * `lastAttemptAt`), the dead-letter recorder reads that reason and sets `deadLetteredAt`, and
 * redrive removes it again. The reconciler skips ledger items carrying `deadLetteredAt` (do not
 * rename it), so a dead letter is not re-enqueued behind the operator's back.
 *
 * These are upserts on purpose: a message can fail before ingest began its ledger item, and the
 * reconciler must still see `deadLetteredAt`. Ingest's `begin` treats an existing item that is
 * not `done` as an unfinished attempt and resumes, so an item created here changes nothing.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { failureOf, type DeadLetterLedger, type FailureReason } from '../../core/dead-letters.ts';
import { dynamoCall } from './dynamo-call.ts';
import { ledgerPk } from './schema.ts';

/** The ledger attribute the reconciler (branch wt-reconciler) skips on; part of its contract. */
export const DEAD_LETTERED_AT = 'deadLetteredAt';

/** {@link DeadLetterLedger} plus the routing Lambda's failure recording, on the interactions table. */
export class DynamoIngestFailures implements DeadLetterLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Records one failed attempt of `key`: its reason, when, and one more attempt. */
  async recordFailure(key: string, reason: FailureReason, at: Date): Promise<void> {
    await this.update(key, 'SET lastErrorCode = :code, lastError = :message, lastAttemptAt = :at ADD attempts :one', {
      ':code': reason.code,
      ':message': reason.message,
      ':at': at.toISOString(),
      ':one': 1,
    });
  }

  /** The last recorded failure of `key` (consistent read), or undefined when none was recorded. */
  async lastFailure(key: string): Promise<FailureReason | undefined> {
    const out = await dynamoCall('GetItem', () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: ledgerPk(key) },
          ConsistentRead: true,
          ProjectionExpression: 'lastErrorCode, lastError, attempts, lastAttemptAt',
        }),
      ),
    );
    const item = out.Item;
    if (typeof item?.lastErrorCode !== 'string') return undefined;
    return {
      code: item.lastErrorCode,
      message: typeof item.lastError === 'string' ? item.lastError : '',
      ...(typeof item.attempts === 'number' && { attempts: item.attempts }),
      ...(typeof item.lastAttemptAt === 'string' && { at: item.lastAttemptAt }),
    };
  }

  async markDeadLettered(key: string, at: Date): Promise<void> {
    await this.update(key, 'SET #dl = :at', { ':at': at.toISOString() }, { '#dl': DEAD_LETTERED_AT });
  }

  async clearDeadLettered(key: string): Promise<void> {
    await this.update(key, 'REMOVE #dl', undefined, { '#dl': DEAD_LETTERED_AT });
  }

  private async update(key: string, expression: string, values?: Record<string, unknown>, names?: Record<string, string>): Promise<void> {
    await dynamoCall('UpdateItem', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: ledgerPk(key) },
          UpdateExpression: expression,
          ...(values && { ExpressionAttributeValues: values }),
          ...(names && { ExpressionAttributeNames: names }),
        }),
      ),
    );
  }
}

/**
 * Records why the routing Lambda failed `key`, best effort: whatever happens here, the record's
 * outcome (a retry, eventually the DLQ) stays the same, so a failure to record is only returned
 * for logging, never thrown.
 */
export async function recordIngestFailure(
  failures: Pick<DynamoIngestFailures, 'recordFailure'>,
  key: string,
  err: unknown,
  at: Date,
): Promise<Error | undefined> {
  try {
    await failures.recordFailure(key, failureOf(err), at);
    return undefined;
  } catch (recordErr) {
    return recordErr instanceof Error ? recordErr : new Error(String(recordErr));
  }
}
