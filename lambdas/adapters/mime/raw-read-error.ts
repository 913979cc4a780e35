/**
 * A failed read of a stored raw message in Postroom's hierarchy: the one answer that is the
 * message's own (it is gone) becomes a quarantine; everything else is the shared classifier's.
 */
import { QuarantineError, type PostroomError } from '../../core/errors.ts';
import { isMissingObject, sdkError } from '../aws/sdk-errors.ts';

/**
 * Classifies an error from reading the raw message. A missing object is final: `raw-missing` (the
 * raw message expired or was deleted). A missing bucket or a denied read is not the message's
 * fault: a `storage-misconfigured` DeploymentError, retried into a dead letter to redrive after the
 * fix, never a quarantine for good (aws/sdk-errors.ts has the rules).
 * @param what the object, for the message: `s3://bucket/key`
 */
export function rawReadError(err: unknown, what: string): PostroomError {
  if (isMissingObject(err)) return new QuarantineError('raw-missing', `${what} is not in storage`, { cause: err });
  return sdkError(err, 'storage', `reading ${what}`);
}
