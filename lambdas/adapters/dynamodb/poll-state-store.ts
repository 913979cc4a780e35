/**
 * {@link PollStateStore} on DynamoDB (schema.ts): the IMAP cursor of a server folder is one config
 * table item `POLL#<serverId>#<folder>` replaced by conditional writes on its old value; the POP3
 * UIDL seen-set is one interactions-table item per UIDL, `UIDL#<serverId>#<sha256 of the UIDL>`.
 * A fetched UIDL expires through TTL after {@link POLL_STATE_LIMITS}.fetchedUidlTtlDays (it is gone
 * from the server long before; if not, the ingest ledger still dedupes it); a skipped one (outside
 * the backfill window, left on the server) has no TTL, since it stays on the server as long as the
 * customer keeps it. Seen-set items are written in BatchWriteItem calls (batch-put-writer.ts): they
 * need no condition (a UIDL's item is only ever put whole, by the poll holding the server's poll
 * job), and each markSeen still resolves only once its own item is written.
 */
import { createHash } from 'node:crypto';
import { BatchGetCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TTL_ATTRIBUTE } from '../../../contract/tables.ts';
import { TransientError } from '../../core/errors.ts';
import type { ImapCursor, PollStateStore, Pop3SeenState } from '../../core/mailboxes/poll-ports.ts';
import { DynamoBatchPutWriter } from './batch-put-writer.ts';
import { conditionalCall, dynamoCall } from './dynamo-call.ts';

export const POLL_STATE_LIMITS = {
  /** Days a fetched UIDL stays in the seen-set: a month outlives any poll outage between DELE and QUIT. */
  fetchedUidlTtlDays: 30,
  /** BatchGetItem reads at most 100 keys per call. */
  maxBatchKeys: 100,
  /** Rounds of UnprocessedKeys retried before the read fails as transient. */
  maxBatchRounds: 5,
} as const;

/** The config-table key of a server folder's IMAP cursor. */
export const pollCursorPk = (serverId: string, folder: string): string => `POLL#${serverId}#${folder}`;
/** The config-table key of the marker that a POP3 server's first-poll backfill is complete. */
export const pop3BackfillPk = (serverId: string): string => `POLL3#${serverId}`;
/** The interactions-table key of one seen UIDL (hashed: a UIDL may hold any printable character). */
export const uidlPk = (serverId: string, uidl: string): string => `UIDL#${serverId}#${createHash('sha256').update(uidl).digest('hex')}`;

/** The poll state of one poll (its seen-set writes are batched across that poll's stores in flight). */
export class DynamoPollStateStore implements PollStateStore {
  private readonly seenWrites: DynamoBatchPutWriter;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: { readonly config: string; readonly interactions: string },
  ) {
    this.seenWrites = new DynamoBatchPutWriter(doc, tables.interactions);
  }

  async cursor(serverId: string, folder: string): Promise<ImapCursor | undefined> {
    const out = await dynamoCall('GetItem', () => this.doc.send(new GetCommand({ TableName: this.tables.config, Key: { pk: pollCursorPk(serverId, folder) }, ConsistentRead: true })));
    return out.Item ? cursorOf(out.Item) : undefined;
  }

  /** One conditional put: on `expected`'s UIDVALIDITY and last UID, or on no item. */
  async advance(serverId: string, folder: string, expected: ImapCursor | undefined, next: ImapCursor): Promise<boolean> {
    const item = { pk: pollCursorPk(serverId, folder), serverId, folder, uidValidity: next.uidValidity, lastUid: next.lastUid, ...(next.backfill && { backfill: next.backfill }) };
    return conditionalCall('PutItem', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tables.config,
          Item: item,
          ...(expected === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#v = :v AND #last = :last',
                ExpressionAttributeNames: { '#v': 'uidValidity', '#last': 'lastUid' },
                ExpressionAttributeValues: { ':v': expected.uidValidity, ':last': expected.lastUid },
              }),
        }),
      ),
    );
  }

  async seen(serverId: string, uidls: readonly string[]): Promise<Map<string, Pop3SeenState>> {
    const byPk = new Map(uidls.map((u) => [uidlPk(serverId, u), u]));
    const keys = [...byPk.keys()];
    const found = new Map<string, Pop3SeenState>();
    for (let i = 0; i < keys.length; i += POLL_STATE_LIMITS.maxBatchKeys) {
      let pending: Record<string, unknown>[] = keys.slice(i, i + POLL_STATE_LIMITS.maxBatchKeys).map((pk) => ({ pk }));
      for (let round = 0; round < POLL_STATE_LIMITS.maxBatchRounds && pending.length > 0; round++) {
        const out = await dynamoCall('BatchGetItem', () =>
          this.doc.send(new BatchGetCommand({ RequestItems: { [this.tables.interactions]: { Keys: pending, ConsistentRead: true } } })),
        );
        for (const item of out.Responses?.[this.tables.interactions] ?? []) {
          const uidl = byPk.get(String(item.pk));
          if (uidl !== undefined) found.set(uidl, item.state === 'skipped' ? 'skipped' : 'fetched');
        }
        pending = out.UnprocessedKeys?.[this.tables.interactions]?.Keys ?? [];
      }
      if (pending.length > 0) throw new TransientError('storage-unavailable', 'DynamoDB BatchGetItem left keys unprocessed; retry');
    }
    return found;
  }

  async markSeen(serverId: string, uidl: string, state: Pop3SeenState, at: Date): Promise<void> {
    const expires = state === 'fetched' ? { [TTL_ATTRIBUTE]: Math.ceil(at.getTime() / 1000) + POLL_STATE_LIMITS.fetchedUidlTtlDays * 86_400 } : {};
    const item = { pk: uidlPk(serverId, uidl), serverId, state, at: at.toISOString(), ...expires };
    await this.seenWrites.put(item);
  }

  async pop3BackfillDone(serverId: string): Promise<string | undefined> {
    const out = await dynamoCall('GetItem', () => this.doc.send(new GetCommand({ TableName: this.tables.config, Key: { pk: pop3BackfillPk(serverId) }, ConsistentRead: true })));
    return typeof out.Item?.backfillDoneAt === 'string' ? out.Item.backfillDoneAt : undefined;
  }

  async setPop3BackfillDone(serverId: string, at: Date): Promise<void> {
    const item = { pk: pop3BackfillPk(serverId), serverId, backfillDoneAt: at.toISOString() };
    await dynamoCall('PutItem', () => this.doc.send(new PutCommand({ TableName: this.tables.config, Item: item })));
  }
}

function cursorOf(item: Record<string, unknown>): ImapCursor {
  const b = item.backfill as { since?: unknown; throughUid?: unknown; resync?: unknown } | undefined;
  return {
    uidValidity: String(item.uidValidity),
    lastUid: Number(item.lastUid),
    ...(b && { backfill: { since: String(b.since), throughUid: Number(b.throughUid), ...(b.resync === true && { resync: true }) } }),
  };
}
