/**
 * S3 SDK exceptions turned into Postroom's error hierarchy (STYLE.md habit 6), so that the
 * routing queue retries what may pass later and never retries what cannot.
 */
import { PermanentError, PostroomError, QuarantineError, TransientError } from '../../core/errors.ts';

/** S3 error names that mean "this object is not there"; the raw message expired or was deleted. */
const MISSING_OBJECT = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket']);
/** Names the SDK and S3 use for throttling; retrying after a back-off is the documented cure. */
const THROTTLING = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);

interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/**
 * Classifies an error from reading the raw message.
 *
 * Why 403 is transient: SES writes raw mail with the bucket's KMS key, and "access denied" means a
 * deployment problem (policy, key grant) that an operator fixes; the message must wait in the queue
 * or DLQ for that fix, not be quarantined for good. A missing object is final: `raw-missing`.
 */
export function rawReadError(err: unknown, what: string): PostroomError {
  if (err instanceof PostroomError) return err;
  const e = (err ?? {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  if (MISSING_OBJECT.has(e.name ?? '') || status === 404) {
    return new QuarantineError('raw-missing', `${what} is not in storage`, { cause: err });
  }
  return storageError(err, `reading ${what}`);
}

/**
 * Classifies an error from storing a part or reading storage: throttling, 5xx, 403, timeouts and
 * network failures (no HTTP status at all) are transient; any other 4xx is a permanent rejection.
 */
export function storageError(err: unknown, doing: string): PostroomError {
  if (err instanceof PostroomError) return err;
  const e = (err ?? {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  const message = err instanceof Error ? err.message : String(err);
  if (
    THROTTLING.has(e.name ?? '') ||
    e.$fault === 'server' ||
    status === undefined ||
    status === 403 ||
    status === 408 ||
    status === 429 ||
    status >= 500
  ) {
    return new TransientError('storage-unavailable', `${doing} failed: ${message}`, { cause: err });
  }
  return new PermanentError('storage-rejected', `${doing} was rejected (${status}): ${message}`, { cause: err });
}
