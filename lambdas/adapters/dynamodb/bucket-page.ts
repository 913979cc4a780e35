/**
 * One page of a `byBucket` index partition (a queue, an agent's claims, the quarantine, dead
 * letters), in its stored order, with the opaque cursor of the next page. One implementation for
 * every listing, so the cursor check (decodeCursor) is the same everywhere.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../core/ports.ts';
import { decodeCursor, encodeCursor, type Item } from './item-codec.ts';
import { dynamoCall } from './dynamo-call.ts';
import { BY_BUCKET_INDEX } from '../../../contract/tables.ts';

export interface BucketPageOptions {
  /** The key prefix of the records listed; a cursor naming another kind is refused. @default 'I#' */
  readonly pkPrefix?: string;
  /** Only these attributes. @default every attribute */
  readonly projection?: { readonly expression: string; readonly names: Record<string, string> };
}

/**
 * Queries `bucket` on the byBucket index, `limit` items from `cursor` on.
 * @throws ValidationError (field `cursor`) for a cursor that is not one of this bucket's
 */
export async function queryBucketPage(
  doc: DynamoDBDocumentClient,
  tableName: string,
  bucket: string,
  limit: number,
  cursor: string | undefined,
  options: BucketPageOptions = {},
): Promise<Page<Item>> {
  const start = decodeCursor(cursor, bucket, options.pkPrefix);
  const { projection } = options;
  const out = await dynamoCall('Query', () =>
    doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: BY_BUCKET_INDEX.name,
        KeyConditionExpression: '#bucket = :bucket',
        ExpressionAttributeNames: { '#bucket': BY_BUCKET_INDEX.partitionKey, ...projection?.names },
        ExpressionAttributeValues: { ':bucket': bucket },
        ScanIndexForward: true,
        Limit: limit,
        ...(projection && { ProjectionExpression: projection.expression }),
        ...(start && { ExclusiveStartKey: start }),
      }),
    ),
  );
  const next = encodeCursor(out.LastEvaluatedKey);
  return { items: out.Items ?? [], ...(next !== undefined && { cursor: next }) };
}
