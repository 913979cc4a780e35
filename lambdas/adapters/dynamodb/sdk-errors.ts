/**
 * Turns DynamoDB SDK exceptions into Postroom's error hierarchy (STYLE.md habit 6), so that core
 * and handlers decide retry versus quarantine from the error class alone.
 */
import { DeploymentError, PermanentError, TransientError } from '../../core/errors.ts';

/** Error names DynamoDB uses for "slow down" or "briefly unavailable"; retrying helps. */
const TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Socket-level failures: the request may never have reached DynamoDB. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: unknown;
  readonly cause?: unknown;
}

/** Errors that name a broken deployment (table, permission, credentials), not a bad request. */
const DEPLOYMENT_NAMES: ReadonlySet<string> = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
]);

/** True for the error DynamoDB returns when a write's condition does not hold. */
export function isConditionalCheckFailed(err: unknown): boolean {
  return (err as SdkErrorShape | undefined)?.name === 'ConditionalCheckFailedException';
}

/**
 * Classifies an SDK error: throttling, 5xx and network failures become a {@link TransientError}
 * (the queue retries); a missing table, permission or credential a {@link DeploymentError} with
 * code `storage-misconfigured` (heals once the deployment is fixed: a dead letter to redrive);
 * everything else a {@link PermanentError} with code `storage-rejected` (a malformed request or an
 * item over a limit does not heal by retrying). Why: adapters must never
 * let raw SDK errors leak into core, which knows only its own hierarchy.
 */
export function toStorageError(operation: string, err: unknown): Error {
  if (err instanceof TransientError || err instanceof PermanentError) return err;
  const e = (err ?? {}) as SdkErrorShape;
  const cause = e.cause as SdkErrorShape | undefined;
  const status = e.$metadata?.httpStatusCode;
  const transient =
    TRANSIENT_NAMES.has(e.name ?? '') ||
    e.$retryable !== undefined ||
    (status !== undefined && status >= 500) ||
    NETWORK_CODES.has(e.code ?? '') ||
    NETWORK_CODES.has(cause?.code ?? '');
  const message = `DynamoDB ${operation} failed: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
  if (transient) return new TransientError('storage-unavailable', message, { cause: err });
  if (DEPLOYMENT_NAMES.has(e.name ?? '')) return new DeploymentError('storage-misconfigured', message, { cause: err });
  return new PermanentError('storage-rejected', message, { cause: err });
}

/**
 * Runs one DynamoDB call and maps its failure with {@link toStorageError}. Conditional-check
 * failures are passed through untouched so that callers can treat them as an answer.
 */
export async function dynamoCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isConditionalCheckFailed(err)) throw err;
    throw toStorageError(operation, err);
  }
}
