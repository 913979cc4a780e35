import { describe, expect, it } from 'vitest';
import { dynamoCall, isConditionalCheckFailed } from '../../../../lambdas/adapters/dynamodb/dynamo-call.ts';
import { DeploymentError, PermanentError, TransientError } from '../../../../lambdas/core/errors.ts';

const sdkError = (name: string, status: number) => Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
/** What dynamoCall makes of a call that fails with `err`. */
const failureOf = (operation: string, err: unknown) => dynamoCall(operation, () => Promise.reject(err)).catch((e: unknown) => e);

describe('dynamoCall', () => {
  it('calls a missing table, permission or credential a deployment fault, which routing retries into a dead letter', async () => {
    for (const name of ['ResourceNotFoundException', 'AccessDeniedException', 'UnrecognizedClientException', 'ExpiredTokenException']) {
      const err = await failureOf('GetItem', sdkError(name, 400));
      expect(err, name).toBeInstanceOf(DeploymentError);
      expect((err as DeploymentError).code).toBe('storage-misconfigured');
      expect((err as DeploymentError).message).toBe(`DynamoDB GetItem failed: ${name}: ${name} happened`);
    }
  });

  it('keeps a request no retry can heal permanent, and throttling transient', async () => {
    const tooBig = await failureOf('PutItem', sdkError('ValidationException', 400));
    expect(tooBig).toBeInstanceOf(PermanentError);
    expect(tooBig).not.toBeInstanceOf(DeploymentError);
    expect((tooBig as PermanentError).code).toBe('storage-rejected');
    expect(await failureOf('Query', sdkError('ProvisionedThroughputExceededException', 400))).toBeInstanceOf(TransientError);
    expect(await failureOf('Query', sdkError('InternalServerError', 500))).toBeInstanceOf(TransientError);
  });

  it('passes a failed condition through untouched, as the answer it is', async () => {
    const failed = sdkError('ConditionalCheckFailedException', 400);
    expect(isConditionalCheckFailed(failed)).toBe(true);
    expect(await failureOf('PutItem', failed)).toBe(failed);
    expect(isConditionalCheckFailed(sdkError('ValidationException', 400))).toBe(false);
  });

  it('answers what the call returns', async () => {
    await expect(dynamoCall('GetItem', async () => 'item')).resolves.toBe('item');
  });
});
