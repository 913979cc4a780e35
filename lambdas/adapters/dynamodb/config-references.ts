/**
 * Race-free "in use" guards between configuration items without transactions (decision 7).
 *
 * An address route names flows; a flow's current version names templates. A check-then-act
 * ("no route uses this flow? then delete it") races with a concurrent write of a route, and a
 * dangling reference is the result. Instead, the referenced item carries the references itself,
 * in a string set `usedBy`, and each side is one conditional write on one item:
 *
 * 1. a writer first ADDs its reference to every item it will name, on the condition that the item
 *    exists and is not being deleted (`attribute_exists(pk) AND attribute_not_exists(deleting)`);
 * 2. then it writes its own item (conditionally, as before), remembering the reference's key;
 * 3. then it removes the references its previous version held (and, if step 2 lost, the new ones).
 *
 * A delete is conditional on `usedBy` being absent (DynamoDB drops a set with its last element),
 * so whichever comes first wins: the reference makes the delete fail (409), or the delete (or its
 * `deleting` mark) makes the reference fail (the name does not exist). Each reference element is
 * `<writeKey>|<epoch ms>|<referrer>`: the write key is new per write and stored on the referrer, so
 * step 3 removes exactly the previous write's elements and never those of a later write. A crash
 * between the steps leaves an extra element: conservative (the delete is refused, nothing
 * dangles) and swept by {@link sweepStaleReferences} once it is older than
 * {@link STALE_REFERENCE_MS} and no longer the referrer's current key.
 */
import { randomUUID } from 'node:crypto';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalCall, dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';

/**
 * How old an element must be before a delete may sweep it as left by a failed write. Why 10
 * minutes: a configuration write (an API Lambda invocation) ends within seconds, at most its
 * 30 s timeout; an element that old whose key is not its referrer's is no write in flight.
 */
export const STALE_REFERENCE_MS = 10 * 60_000;

/** The attribute names of the guard, on the referenced item and on the referrer. */
export const REFERENCE_ATTRIBUTES = { usedBy: 'usedBy', deleting: 'deleting', refKey: 'refKey', refAt: 'refAt' } as const;

/** One write's reference: its key and time (stored on the referrer) and the referrer's name. */
export interface ReferenceWrite {
  readonly key: string;
  readonly at: number;
  readonly referrer: string;
}

/** A new write's reference for `referrer`. */
export function newReferenceWrite(referrer: string, at = Date.now()): ReferenceWrite {
  return { key: randomUUID(), at, referrer };
}

/** The reference of the write stored on a referrer item, if it holds one. */
export function storedReferenceWrite(item: Record<string, unknown> | undefined, referrer: string): ReferenceWrite | undefined {
  const key = item?.[REFERENCE_ATTRIBUTES.refKey];
  const at = item?.[REFERENCE_ATTRIBUTES.refAt];
  return typeof key === 'string' && typeof at === 'number' ? { key, at, referrer } : undefined;
}

/** The set element of a reference write. */
export function referenceElement(w: ReferenceWrite): string {
  return `${w.key}|${w.at}|${w.referrer}`;
}

/** The write an element stands for; undefined for anything else. */
export function parseReferenceElement(element: string): ReferenceWrite | undefined {
  const m = /^([^|]+)\|(\d+)\|(.+)$/s.exec(element);
  return m ? { key: m[1]!, at: Number(m[2]), referrer: m[3]! } : undefined;
}

/** The distinct referrers named by a `usedBy` set, sorted. */
export function referrersOf(usedBy: unknown): string[] {
  const elements = usedBy instanceof Set ? [...(usedBy as Set<string>)] : [];
  return [...new Set(elements.map((e) => parseReferenceElement(e)?.referrer ?? e))].sort();
}

/**
 * Step 1: adds the reference to the item `pk`; false when the item does not exist or is being
 * deleted (the writer must then refuse to name it).
 */
export async function addReference(doc: DynamoDBDocumentClient, tableName: string, pk: string, w: ReferenceWrite): Promise<boolean> {
  return conditionalCall('UpdateItem', () =>
    doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk },
        UpdateExpression: 'ADD #usedBy :element',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#deleting)',
        ExpressionAttributeNames: { '#usedBy': REFERENCE_ATTRIBUTES.usedBy, '#deleting': REFERENCE_ATTRIBUTES.deleting },
        ExpressionAttributeValues: { ':element': new Set([referenceElement(w)]) },
      }),
    ),
  );
}

/** Step 3: removes the reference from the item `pk`; nothing happens when the item is gone. */
export async function removeReference(doc: DynamoDBDocumentClient, tableName: string, pk: string, w: ReferenceWrite): Promise<void> {
  try {
    await dynamoCall('UpdateItem', () =>
      doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk },
          UpdateExpression: 'DELETE #usedBy :element',
          // Without the condition an update of a deleted item would create it again.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#usedBy': REFERENCE_ATTRIBUTES.usedBy },
          ExpressionAttributeValues: { ':element': new Set([referenceElement(w)]) },
        }),
      ),
    );
  } catch (err) {
    if (!isConditionalCheckFailed(err)) throw err;
  }
}

/**
 * Removes from item `pk` the elements left by failed writes: older than {@link STALE_REFERENCE_MS}
 * and not the current write key of their referrer (`currentKey` reads it; undefined when the
 * referrer no longer exists). Returns whether anything was removed.
 */
export async function sweepStaleReferences(
  doc: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  usedBy: unknown,
  currentKey: (referrer: string) => Promise<string | undefined>,
  now = Date.now(),
): Promise<boolean> {
  let swept = false;
  for (const element of usedBy instanceof Set ? [...(usedBy as Set<string>)] : []) {
    const w = parseReferenceElement(element);
    if (!w || now - w.at < STALE_REFERENCE_MS || (await currentKey(w.referrer)) === w.key) continue;
    await removeReference(doc, tableName, pk, w);
    swept = true;
  }
  return swept;
}
