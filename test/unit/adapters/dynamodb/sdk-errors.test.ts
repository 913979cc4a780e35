import { describe, expect, it } from 'vitest';
import { toStorageError } from '../../../../lambdas/adapters/dynamodb/sdk-errors.ts';
import { DeploymentError, PermanentError, TransientError } from '../../../../lambdas/core/errors.ts';

const sdkError = (name: string, status: number) => Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

describe('toStorageError', () => {
  it('calls a missing table, permission or credential a deployment fault, which routing retries into a dead letter', () => {
    for (const name of ['ResourceNotFoundException', 'AccessDeniedException', 'UnrecognizedClientException', 'ExpiredTokenException']) {
      const err = toStorageError('GetItem', sdkError(name, 400));
      expect(err, name).toBeInstanceOf(DeploymentError);
      expect((err as DeploymentError).code).toBe('storage-misconfigured');
    }
  });

  it('keeps a request no retry can heal permanent, and throttling transient', () => {
    const tooBig = toStorageError('PutItem', sdkError('ValidationException', 400));
    expect(tooBig).toBeInstanceOf(PermanentError);
    expect(tooBig).not.toBeInstanceOf(DeploymentError);
    expect((tooBig as PermanentError).code).toBe('storage-rejected');
    expect(toStorageError('Query', sdkError('ProvisionedThroughputExceededException', 400))).toBeInstanceOf(TransientError);
    expect(toStorageError('Query', sdkError('InternalServerError', 500))).toBeInstanceOf(TransientError);
  });
});
