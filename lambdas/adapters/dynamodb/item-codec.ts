/**
 * The mapping between domain objects and DynamoDB items, and the opaque page cursors.
 *
 * An interaction item is the {@link Interaction} itself plus the key attributes of schema.ts
 * (`pk`, and `bucket`/`orderKey` for the sparse `byBucket` index). Nothing else is added, so an
 * item stays small (decision 3: bodies and attachments live in S3).
 */
import { ValidationError } from '../../core/errors.ts';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import type { Interaction, QueueEntry } from '../../core/interaction.ts';
import { orderKey as orderKeyOf } from '../../core/score.ts';
import { DISPOSED_BUCKET, QUARANTINE_BUCKET, interactionPk, queueBucket } from './schema.ts';
import type { Queue } from '../../core/agents/model.ts';

/**
 * A cursor is base64url JSON of a LastEvaluatedKey (three short attributes); anything much larger
 * is not one of ours, and decoding it would only waste memory on hostile input.
 */
export const MAX_CURSOR_CHARS = 1_024;

const MS_PER_MINUTE = 60_000;

/** A DynamoDB item as the document client reads and writes it. */
export type Item = Record<string, unknown>;

/** Key attributes only the table needs; they are stripped when an item is read back. */
const KEY_ATTRIBUTES = ['pk', 'bucket'] as const;

/**
 * The index key of a quarantined interaction: minus its receipt time in epoch minutes, so that an
 * ascending query (the only direction the index is read in) returns the newest first.
 */
export function quarantineOrderKey(i: Interaction): number {
  const at = Date.parse(i.message.receivedAt) || Date.parse(i.createdAt) || 0;
  return -Math.round((at / MS_PER_MINUTE) * 1000) / 1000;
}

/**
 * The stored item of an interaction. A waiting interaction is indexed under its queue with the
 * fixed order key of decision 6 (computed when the caller left it out); a quarantined one under
 * {@link QUARANTINE_BUCKET}. `undefined` fields are dropped so any document client can write it.
 */
export function interactionToItem(i: Interaction): Item {
  const item: Item = { ...(withoutUndefined(i) as Item), pk: interactionPk(i.id) };
  if (i.state === 'waiting' && i.queueId !== undefined) {
    const key = i.orderKey ?? orderKeyOf(new Date(i.enqueuedAt ?? i.createdAt), i.priority);
    return { ...item, bucket: queueBucket(i.queueId), orderKey: key };
  }
  if (i.state === 'quarantined') {
    return { ...item, bucket: QUARANTINE_BUCKET, orderKey: quarantineOrderKey(i) };
  }
  if (i.state === 'disconnected' || i.state === 'set-aside') {
    // Recorded, not dropped (SPEC ADR-3): admins review them newest first.
    return { ...item, bucket: DISPOSED_BUCKET, orderKey: quarantineOrderKey(i) };
  }
  return item;
}

/** The interaction stored in `item`; the index attributes of a quarantined item are not part of it. */
export function itemToInteraction(item: Item): Interaction {
  const rest: Item = { ...item };
  for (const k of KEY_ATTRIBUTES) delete rest[k];
  if (rest.state !== 'waiting') delete rest.orderKey;
  // The set of attached transport keys only makes attaching idempotent; replyCount says how many.
  delete rest.replyKeys;
  return rest as unknown as Interaction;
}

/** The attributes a queue listing reads, so the query moves only what the list shows. */
export const QUEUE_ENTRY_PROJECTION = {
  expression: '#id, #queueId, #message.#from, #message.#subject, #enqueuedAt, #priority, #orderKey',
  names: {
    '#id': 'id',
    '#queueId': 'queueId',
    '#message': 'message',
    '#from': 'from',
    '#subject': 'subject',
    '#enqueuedAt': 'enqueuedAt',
    '#priority': 'priority',
    '#orderKey': 'orderKey',
  },
} as const;

/** One row of a queue listing, from an item read with {@link QUEUE_ENTRY_PROJECTION}. */
export function itemToQueueEntry(item: Item): QueueEntry {
  const message = (item.message ?? {}) as { from?: QueueEntry['from']; subject?: string };
  return {
    id: String(item.id),
    queueId: String(item.queueId),
    subject: message.subject ?? '',
    enqueuedAt: String(item.enqueuedAt),
    priority: Number(item.priority),
    orderKey: Number(item.orderKey),
    ...(message.from !== undefined && { from: message.from }),
  };
}

/** The stored item of a queue: the queue itself, keyed by `id` (schema.ts). */
export function queueToItem(q: Queue): Item {
  return withoutUndefined(q) as Item;
}

/** A queue read back; unknown attributes are dropped so later additions do not leak into the API. */
export function itemToQueue(item: Item): Queue {
  return {
    id: String(item.id),
    name: String(item.name),
    createdAt: String(item.createdAt),
    ...(typeof item.description === 'string' && { description: item.description }),
  };
}

/** The opaque cursor of a page: base64url JSON of DynamoDB's LastEvaluatedKey. */
export function encodeCursor(lastEvaluatedKey: Item | undefined): string | undefined {
  if (!lastEvaluatedKey) return undefined;
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

/**
 * The ExclusiveStartKey a cursor stands for. Only a key of the very bucket being listed, of an
 * item whose key starts with `pkPrefix`, is accepted: a cursor is client input, and a forged one
 * must not read another queue or another kind of record.
 * @param pkPrefix @default 'I#' (interactions); dead letters list `DL#` items
 * @throws ValidationError (field `cursor`) for anything that is not such a key
 */
export function decodeCursor(cursor: string | undefined, bucket: string, pkPrefix = 'I#'): Item | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const invalid = () => new ValidationError({ cursor: 'is not a valid cursor for this list' }, {}, { cursor: ERROR_REASONS.cursorInvalid });
  if (cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const k = key as Item;
  const names = Object.keys(k).sort().join(',');
  if (names !== 'bucket,orderKey,pk') throw invalid();
  if (k.bucket !== bucket || typeof k.pk !== 'string' || !k.pk.startsWith(pkPrefix)) throw invalid();
  if (typeof k.orderKey !== 'number' || !Number.isFinite(k.orderKey)) throw invalid();
  return k;
}

/** A deep copy without `undefined` values (DynamoDB has no such type). */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value !== null && typeof value === 'object') {
    const out: Item = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
    return out;
  }
  return value;
}
