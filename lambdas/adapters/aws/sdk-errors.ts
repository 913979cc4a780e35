/**
 * The one classifier of AWS failures (STYLE.md habit 6): every adapter that calls DynamoDB, S3 or
 * SQS, through an SDK v3 client or a signed fetch (signed-request.ts), turns what it caught into
 * Postroom's hierarchy here, so a 403 or a reset socket means the same thing in every Lambda.
 *
 * It reads errors by shape (`name`, `code`, `$metadata.httpStatusCode`, `$fault`, `$retryable`,
 * `cause`), never by `instanceof` of a service package's classes: the API bundle carries no S3 or
 * SQS client, and a classifier must not pull one in.
 *
 * Answers that mean something to the caller (a failed condition, a missing object) are not
 * failures of the service: callers test them first with {@link isMissingObject} (S3) or DynamoDB's
 * `isConditionalCheckFailed` (dynamodb/dynamo-call.ts) and classify only what is left.
 */
import { DeploymentError, PermanentError, PostroomError, TransientError } from '../../core/errors.ts';

/**
 * What failed, as the first word of the error code: `storage-…` (DynamoDB, S3), `queue-…` (SQS),
 * `identity-…` (SES v2 e-mail identities), `dns-…` (Route 53), `receiving-…` (SES receipt rules)
 * `events-…` (EventBridge) or `sending-…` (SES v2 SendEmail).
 * The codes are `<resource>-unavailable` (transient), `<resource>-misconfigured` (the deployment)
 * and `<resource>-rejected` (this request).
 */
export type AwsResource = 'storage' | 'queue' | 'identity' | 'dns' | 'receiving' | 'events' | 'sending';

/** Names of "slow down" and "briefly unavailable" answers: a back-off and a retry are the cure. */
const TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'TooManyRequestsException',
  'InternalServerError',
  'InternalError',
  'ServiceUnavailable',
  'TransactionConflictException',
  // SES v2: another call changed the identity at the same moment; the next attempt sees it settled.
  'ConcurrentModificationException',
  // Route 53 (400): the zone's previous change batch is still being applied.
  'PriorRequestNotComplete',
  // S3 answers 400 RequestTimeout when the socket went idle mid-request: nothing wrong with the request.
  'RequestTimeout',
  'RequestTimeoutException',
  // The SDK's own names for a request that took too long or was cut off by its timeout signal.
  'TimeoutError',
  'AbortError',
]);

/** Throttling has many spellings (ThrottlingException, Throttling, RequestThrottled, KMS.ThrottlingException). */
const THROTTLED = /Throttl/;

/**
 * Socket-level failures (Node's and undici's codes, on the error or its cause): the request may
 * never have reached the service. "socket hang up" is ECONNRESET.
 */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Names of a broken deployment: a missing table, bucket or queue, a missing permission, bad credentials. */
const DEPLOYMENT_NAMES: ReadonlySet<string> = new Set([
  'ResourceNotFoundException',
  'NoSuchBucket',
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'ExpiredToken',
]);

/** The parts of an SDK (smithy) service or network error the rules read. */
interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: unknown;
  readonly cause?: unknown;
}

/**
 * Classifies one failed AWS call. The rules, first match wins:
 * 1. a Postroom error is returned as it is (an inner adapter already classified it);
 * 2. throttling, 5xx, 408, 429, a `$retryable` or server-fault error, a timeout or abort, a socket
 *    failure: {@link TransientError} `<resource>-unavailable` (the queue retries);
 * 3. a missing table, bucket or queue, a denied permission (any 403), bad or expired credentials:
 *    {@link DeploymentError} `<resource>-misconfigured` (no message is at fault; it is retried into
 *    a dead letter to redrive once the deployment is fixed);
 * 4. anything else without an HTTP answer (an error no rule names, thrown before the service
 *    answered): transient. Why: nothing says the request was wrong, and a wrong "permanent" would
 *    quarantine good mail, while a wrong "transient" costs a few retries and keeps it redrivable;
 * 5. any other answer (a 4xx: validation, an item over a limit): {@link PermanentError}
 *    `<resource>-rejected`, since retrying the same request cannot heal it.
 * @param err what the call threw (or a SignedCallError made of a refused response)
 * @param resource the code's first word
 * @param doing what was attempted, for the message: `DynamoDB GetItem`, `reading s3://b/k`
 */
export function sdkError(err: unknown, resource: AwsResource, doing: string): PostroomError {
  if (err instanceof PostroomError) return err;
  const e = (err ?? {}) as SdkErrorShape;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const message = `${doing} failed: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
  if (isTransient(e, status)) return new TransientError(`${resource}-unavailable`, message, { cause: err });
  if (DEPLOYMENT_NAMES.has(name) || status === 403) return new DeploymentError(`${resource}-misconfigured`, message, { cause: err });
  if (status === undefined) return new TransientError(`${resource}-unavailable`, message, { cause: err });
  return new PermanentError(`${resource}-rejected`, message, { cause: err });
}

function isTransient(e: SdkErrorShape, status: number | undefined): boolean {
  const name = e.name ?? '';
  return (
    TRANSIENT_NAMES.has(name) ||
    THROTTLED.test(name) ||
    e.$retryable !== undefined ||
    e.$fault === 'server' ||
    (status !== undefined && (status >= 500 || status === 408 || status === 429)) ||
    NETWORK_CODES.has(e.code ?? '') ||
    NETWORK_CODES.has((e.cause as SdkErrorShape | undefined)?.code ?? '')
  );
}

/**
 * True when S3 says the object is not there (GetObject's `NoSuchKey`, HeadObject's bare `NotFound`,
 * any other 404), which the caller answers itself (`raw-missing`, not-found); false for a missing
 * bucket, which is the deployment's fault and goes to {@link sdkError}.
 */
export function isMissingObject(err: unknown): boolean {
  const e = (err ?? {}) as SdkErrorShape;
  if (DEPLOYMENT_NAMES.has(e.name ?? '')) return false;
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}
