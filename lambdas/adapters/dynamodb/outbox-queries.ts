/**
 * Reading the outbox (outbox-store.ts) through the `byBucket` index: a state's records newest
 * first, every state merged, the held records of an integration, the sweep's stale records; and
 * the bounded append of delivery events.
 */
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PermanentError, ValidationError } from '../../core/errors.ts';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import { BY_BUCKET_INDEX, TTL_ATTRIBUTE } from '../../../contract/tables.ts';
import type { DeliveryEvent, OutboxRecord, OutboxState } from '../../core/outbound/outbox.ts';
import { conditionalCall, dynamoCall } from './dynamo-call.ts';
import { decodeCursor, encodeCursor, type Item } from './item-codec.ts';
import { outboxBucket, outboxPk } from './schema.ts';

export const OUTBOX_LIMITS = {
  /** Delivery events kept per record (newest kept): one per recipient and status is plenty, and the item stays far below 400 KB. */
  maxDeliveryEvents: 50,
  /** Attempts of the delivery events' read-modify-write that lost a race before giving up (then the event's source retries). */
  maxDeliveryWriteAttempts: 5,
  /** Records one sweep reads per kind (stale pending, expired leases): bounds a run; the next run takes the rest. */
  maxSweepRecords: 500,
  /** Records one list page holds at most; the default page is 50. */
  maxListLimit: 200,
} as const;

const DEFAULT_LIST_LIMIT = 50;
const STATES: readonly OutboxState[] = ['pending', 'sending', 'sent', 'failed', 'uncertain'];

export interface OutboxListFilter {
  readonly state?: OutboxState;
  readonly interactionId?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/** The record of an item, without the key, index and TTL attributes. */
export function outboxFromItem(item: Item): OutboxRecord {
  const { pk: _pk, bucket: _bucket, orderKey: _orderKey, [TTL_ATTRIBUTE]: _ttl, deliveryVersion: _v, ...record } = item;
  return record as unknown as OutboxRecord;
}

interface BucketQuery {
  readonly bucket: string;
  readonly forward: boolean;
  readonly limit: number;
  readonly start?: Item;
  /** orderKey bounds: `< below` or `<= atMost`. */
  readonly below?: number;
  readonly atMost?: number;
  readonly filter?: { readonly expression: string; readonly names?: Record<string, string>; readonly values: Record<string, unknown> };
}

async function queryBucket(doc: DynamoDBDocumentClient, tableName: string, q: BucketQuery): Promise<{ items: Item[]; last?: Item }> {
  const range = q.below !== undefined ? ' AND #order < :bound' : q.atMost !== undefined ? ' AND #order <= :bound' : '';
  const bound = q.below ?? q.atMost;
  const out = await dynamoCall('Query', () =>
    doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: BY_BUCKET_INDEX.name,
        KeyConditionExpression: `#bucket = :bucket${range}`,
        ExpressionAttributeNames: { '#bucket': BY_BUCKET_INDEX.partitionKey, ...(range && { '#order': BY_BUCKET_INDEX.sortKey }), ...q.filter?.names },
        ExpressionAttributeValues: { ':bucket': q.bucket, ...(bound !== undefined && { ':bound': bound }), ...q.filter?.values },
        ...(q.filter && { FilterExpression: q.filter.expression }),
        ScanIndexForward: q.forward,
        Limit: q.limit,
        ...(q.start && { ExclusiveStartKey: q.start }),
      }),
    ),
  );
  return { items: out.Items ?? [], ...(out.LastEvaluatedKey && { last: out.LastEvaluatedKey }) };
}

/**
 * Every id the integration `serverId` holds, oldest first: the pending records with its `heldBy`
 * (page by page: an integration may hold many). Why in the pending bucket: a held send is pending
 * for everyone who lists the outbox (found by a new-user trial: a separate bucket hid them).
 */
export async function listHeldIds(doc: DynamoDBDocumentClient, tableName: string, serverId: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Item | undefined;
  const filter = { expression: '#heldBy = :server', names: { '#heldBy': 'heldBy' }, values: { ':server': serverId } };
  do {
    const page = await queryBucket(doc, tableName, { bucket: outboxBucket('pending'), forward: true, limit: OUTBOX_LIMITS.maxSweepRecords, filter, ...(start && { start }) });
    ids.push(...page.items.map((i) => String(i.id)));
    start = page.last;
  } while (start);
  return ids;
}

/** Pending records (unheld) created before `olderThan`, oldest first, then sending ones whose lease ran out by `now`. */
export async function listStaleRecords(doc: DynamoDBDocumentClient, tableName: string, olderThan: Date, now: Date): Promise<OutboxRecord[]> {
  const unheld = { expression: 'attribute_not_exists(#heldBy)', names: { '#heldBy': 'heldBy' }, values: {} };
  const pending = await queryBucket(doc, tableName, { bucket: outboxBucket('pending'), forward: true, limit: OUTBOX_LIMITS.maxSweepRecords, below: olderThan.getTime(), filter: unheld });
  const expired = await queryBucket(doc, tableName, {
    bucket: outboxBucket('sending'),
    forward: true,
    limit: OUTBOX_LIMITS.maxSweepRecords,
    filter: { expression: '#lease < :now', names: { '#lease': 'leaseUntil' }, values: { ':now': now.toISOString() } },
  });
  return [...pending.items, ...expired.items].map(outboxFromItem);
}

/**
 * Newest first. With a state: one bucket, DynamoDB's cursor. Without: the five state buckets
 * merged by creation time, the cursor being the last record's (orderKey, pk). Held records are
 * pending ones (with `heldBy`). An `interactionId` filter may make pages short; follow the cursor.
 * @throws ValidationError (field `cursor`) for a cursor this list did not hand out
 */
export async function listOutbox(doc: DynamoDBDocumentClient, tableName: string, filter: OutboxListFilter): Promise<{ records: OutboxRecord[]; cursor?: string }> {
  const limit = Math.max(1, Math.min(filter.limit ?? DEFAULT_LIST_LIMIT, OUTBOX_LIMITS.maxListLimit));
  const byInteraction = filter.interactionId !== undefined ? { expression: '#iid = :iid', names: { '#iid': 'interactionId' }, values: { ':iid': filter.interactionId } } : undefined;
  if (filter.state) {
    const bucket = outboxBucket(filter.state);
    const start = decodeCursor(filter.cursor, bucket, 'OUT#');
    const page = await queryBucket(doc, tableName, { bucket, forward: false, limit, ...(start && { start }), ...(byInteraction && { filter: byInteraction }) });
    const cursor = encodeCursor(page.last && { pk: page.last.pk, bucket: page.last.bucket, orderKey: page.last.orderKey });
    return { records: page.items.map(outboxFromItem), ...(cursor && { cursor }) };
  }
  const after = decodeMergedCursor(filter.cursor);
  const pages = await Promise.all(
    STATES.map((state) =>
      // One more than the page per bucket, plus the ties of the cursor's time that the merge drops.
      queryBucket(doc, tableName, { bucket: outboxBucket(state), forward: false, limit: limit + 10, ...(after && { atMost: after.orderKey }), ...(byInteraction && { filter: byInteraction }) }),
    ),
  );
  const items = pages
    .flatMap((p) => p.items)
    .filter((i) => !after || Number(i.orderKey) < after.orderKey || String(i.pk) < after.pk)
    .sort((a, b) => Number(b.orderKey) - Number(a.orderKey) || (String(b.pk) < String(a.pk) ? -1 : 1));
  const records = items.slice(0, limit);
  const more = items.length > limit || pages.some((p) => p.last);
  const last = records.at(-1);
  const cursor = more && last ? Buffer.from(JSON.stringify({ o: last.orderKey, p: last.pk }), 'utf8').toString('base64url') : undefined;
  return { records: records.map(outboxFromItem), ...(cursor && { cursor }) };
}

function decodeMergedCursor(cursor: string | undefined): { orderKey: number; pk: string } | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const invalid = () => new ValidationError({ cursor: 'is not a valid cursor for this list' }, {}, { cursor: ERROR_REASONS.cursorInvalid });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const c = parsed as { o?: unknown; p?: unknown } | null;
  if (!c || typeof c.o !== 'number' || typeof c.p !== 'string' || !c.p.startsWith('OUT#')) throw invalid();
  return { orderKey: c.o, pk: c.p };
}

/**
 * Appends one delivery event, keeping the newest OUTBOX_LIMITS.maxDeliveryEvents. Why a version
 * attribute: two events of one message (two recipients) arrive at once, and neither may be lost.
 * @throws PermanentError `outbox-delivery-contended` after OUTBOX_LIMITS.maxDeliveryWriteAttempts lost races
 */
export async function appendDelivery(doc: DynamoDBDocumentClient, tableName: string, id: string, event: DeliveryEvent): Promise<void> {
  for (let attempt = 0; attempt < OUTBOX_LIMITS.maxDeliveryWriteAttempts; attempt++) {
    const out = await dynamoCall('Query', () =>
      doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeNames: { '#d': 'delivery', '#v': 'deliveryVersion' },
          ExpressionAttributeValues: { ':pk': outboxPk(id) },
          ProjectionExpression: '#d, #v',
          ConsistentRead: true,
        }),
      ),
    );
    const item = out.Items?.[0];
    if (!item) return;
    const version = typeof item.deliveryVersion === 'number' ? item.deliveryVersion : 0;
    const delivery = [...((item.delivery as DeliveryEvent[] | undefined) ?? []), event].slice(-OUTBOX_LIMITS.maxDeliveryEvents);
    const written = await conditionalCall('UpdateItem', () =>
      doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: outboxPk(id) },
          ConditionExpression: version === 0 ? 'attribute_exists(pk) AND attribute_not_exists(#v)' : '#v = :v',
          UpdateExpression: 'SET #d = :delivery, #v = :next',
          ExpressionAttributeNames: { '#d': 'delivery', '#v': 'deliveryVersion' },
          ExpressionAttributeValues: { ':delivery': delivery, ':next': version + 1, ...(version > 0 && { ':v': version }) },
        }),
      ),
    );
    if (written) return;
  }
  throw new PermanentError('outbox-delivery-contended', `delivery events of outbox record ${id} lost ${OUTBOX_LIMITS.maxDeliveryWriteAttempts} races`);
}
