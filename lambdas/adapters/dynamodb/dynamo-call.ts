/**
 * One DynamoDB call with its failure in Postroom's hierarchy (STYLE.md habit 6), by the shared AWS
 * classifier (aws/sdk-errors.ts), so that core and handlers decide retry versus quarantine from the
 * error class alone.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sdkError } from '../aws/sdk-errors.ts';

/** True for the error DynamoDB returns when a write's condition does not hold: an answer, not a failure. */
export function isConditionalCheckFailed(err: unknown): boolean {
  return (err as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

/**
 * Runs one DynamoDB call and maps its failure with {@link sdkError} as a `storage-…` error named
 * `DynamoDB <operation>`. Conditional-check failures are passed through untouched so that callers
 * can treat them as an answer.
 */
export async function dynamoCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isConditionalCheckFailed(err)) throw err;
    throw sdkError(err, 'storage', `DynamoDB ${operation}`);
  }
}

/**
 * Runs one conditional DynamoDB write: true when it was written, false when its condition did not
 * hold (the answer the caller asked for); every other failure as {@link dynamoCall} throws it.
 */
export async function conditionalCall(operation: string, call: () => Promise<unknown>): Promise<boolean> {
  try {
    await dynamoCall(operation, call);
    return true;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return false;
    throw err;
  }
}

/**
 * Puts `item` into `tableName` if `condition` holds: true when written, false when the condition
 * did not hold (see {@link conditionalCall}). `names` and `values` are the condition's placeholders.
 */
export function conditionalPut(
  doc: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  condition: string,
  names?: Record<string, string>,
  values?: Record<string, unknown>,
): Promise<boolean> {
  return conditionalCall('PutItem', () =>
    doc.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: condition,
        ...(names && { ExpressionAttributeNames: names }),
        ...(values && { ExpressionAttributeValues: values }),
      }),
    ),
  );
}
