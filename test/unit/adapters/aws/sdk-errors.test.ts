/**
 * The one AWS error classifier: a table of error shapes (as SDK v3 clients, Node's sockets, fetch
 * and the signed calls throw them) and the class each becomes. Rows marked "was:" are where the
 * six classifiers it replaces disagreed; the rule chosen is the one in aws/sdk-errors.ts.
 */
import { describe, expect, it } from 'vitest';
import { isMissingObject, sdkError, type AwsResource } from '../../../../lambdas/adapters/aws/sdk-errors.ts';
import { refusalOf, SignedCallError } from '../../../../lambdas/adapters/aws/signed-request.ts';
import { rawReadError } from '../../../../lambdas/adapters/mime/raw-read-error.ts';
import { DeploymentError, NotFoundError, PermanentError, QuarantineError, TransientError } from '../../../../lambdas/core/errors.ts';

/** A service error as smithy builds it: `name` is the error code, the status in `$metadata`. */
const service = (name: string, status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, $fault: status >= 500 ? 'server' : 'client', ...extra });
/** A socket failure as Node reports it: a code, no HTTP answer. */
const socket = (code: string, message = `connect ${code}`) => Object.assign(new Error(message), { code });

type Expected = typeof TransientError | typeof DeploymentError | typeof PermanentError;
const rows: readonly (readonly [string, unknown, Expected])[] = [
  // Throttling and "briefly unavailable": transient
  ['DynamoDB throttling (400)', service('ProvisionedThroughputExceededException', 400), TransientError],
  ['ThrottlingException (400)', service('ThrottlingException', 400), TransientError],
  ['SQS RequestThrottled (400; was: permanent for DynamoDB)', service('RequestThrottled', 400), TransientError],
  ['S3 SlowDown (503)', service('SlowDown', 503), TransientError],
  ['a bare 500', service('InternalServerError', 500), TransientError],
  ['a bare 502 from a proxy', service('Unknown', 502), TransientError],
  ['a bare 429 (was: permanent for DynamoDB)', service('Unknown', 429), TransientError],
  ['a bare 408 (was: permanent for DynamoDB and SQS)', service('Unknown', 408), TransientError],
  ['S3 RequestTimeout (400; was: permanent for S3)', service('RequestTimeout', 400), TransientError],
  ['DynamoDB TransactionConflictException (400)', service('TransactionConflictException', 400), TransientError],
  ['an error the SDK marks $retryable', service('Whatever', 400, { $retryable: { throttling: false } }), TransientError],
  // Network failures: transient (was: permanent for DynamoDB unless its code was listed)
  ['ECONNRESET', socket('ECONNRESET', 'read ECONNRESET'), TransientError],
  ['socket hang up', socket('ECONNRESET', 'socket hang up'), TransientError],
  ['ETIMEDOUT', socket('ETIMEDOUT'), TransientError],
  ['EPIPE', socket('EPIPE', 'write EPIPE'), TransientError],
  ['ECONNREFUSED', socket('ECONNREFUSED'), TransientError],
  ['fetch failed, cause ECONNREFUSED', new TypeError('fetch failed', { cause: socket('ECONNREFUSED') }), TransientError],
  ['fetch failed, cause an undici socket error', new TypeError('fetch failed', { cause: socket('UND_ERR_SOCKET', 'other side closed') }), TransientError],
  ['the SDK TimeoutError', Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' }), TransientError],
  ['an AbortError from a timeout signal (was: permanent for DynamoDB)', Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }), TransientError],
  // A broken deployment: DeploymentError
  ['DynamoDB missing table', service('ResourceNotFoundException', 400), DeploymentError],
  ['S3 missing bucket (404; was: raw-missing / permanent for S3, not-found for the API)', service('NoSuchBucket', 404), DeploymentError],
  ['SQS missing queue (400; was: permanent)', service('QueueDoesNotExist', 400), DeploymentError],
  ['SQS missing queue, query-compatible code', service('AWS.SimpleQueueService.NonExistentQueue', 400), DeploymentError],
  ['DynamoDB AccessDeniedException (400)', service('AccessDeniedException', 400), DeploymentError],
  ['S3 AccessDenied (403; was: transient for S3 and the signed calls)', service('AccessDenied', 403), DeploymentError],
  ['a bare 403 (was: permanent for DynamoDB and SQS, transient for S3)', service('Unknown', 403), DeploymentError],
  ['S3 SignatureDoesNotMatch (403)', service('SignatureDoesNotMatch', 403), DeploymentError],
  ['S3 InvalidAccessKeyId (403)', service('InvalidAccessKeyId', 403), DeploymentError],
  ['UnrecognizedClientException (400)', service('UnrecognizedClientException', 400), DeploymentError],
  ['InvalidSignatureException (400)', service('InvalidSignatureException', 400), DeploymentError],
  ['ExpiredTokenException (400)', service('ExpiredTokenException', 400), DeploymentError],
  ['S3 ExpiredToken (400; was: permanent everywhere, ExpiredTokenException was not)', service('ExpiredToken', 400), DeploymentError],
  // A request the service refused: permanent
  ['ValidationException (400)', service('ValidationException', 400), PermanentError],
  ['an item over its limit (400)', service('ItemCollectionSizeLimitExceededException', 400), PermanentError],
  ['a bare 400', service('Unknown', 400), PermanentError],
  ['NoSuchKey the caller did not answer itself (404)', service('NoSuchKey', 404), PermanentError],
  // Unknown: no HTTP answer, no rule names it: transient (was: permanent for DynamoDB, transient for the rest)
  ['an unknown error with no answer', new Error('something broke'), TransientError],
  ['a thrown string', 'boom', TransientError],
  ['undefined', undefined, TransientError],
];

describe('sdkError', () => {
  it.each(rows)('%s', (_, err, expected) => {
    const classified = sdkError(err, 'storage', 'DynamoDB GetItem');
    expect(classified.constructor).toBe(expected);
    const suffix = expected === TransientError ? 'unavailable' : expected === DeploymentError ? 'misconfigured' : 'rejected';
    expect(classified.code).toBe(`storage-${suffix}`);
    expect(classified.cause).toBe(err);
  });

  it('names what was attempted, the error and its message', () => {
    const err = sdkError(service('ResourceNotFoundException', 400), 'storage', 'DynamoDB GetItem');
    expect(err.message).toBe('DynamoDB GetItem failed: ResourceNotFoundException: ResourceNotFoundException happened');
    expect(sdkError('boom', 'storage', 'reading s3://b/k').message).toBe('reading s3://b/k failed: Error: boom');
  });

  it.each([
    ['queue', service('ThrottlingException', 400), 'queue-unavailable'],
    ['queue', service('QueueDoesNotExist', 400), 'queue-misconfigured'],
    ['queue', service('InvalidParameterValue', 400), 'queue-rejected'],
    ['identity', service('TooManyRequestsException', 429), 'identity-unavailable'],
    ['identity', service('ConcurrentModificationException', 500), 'identity-unavailable'],
    ['identity', service('LimitExceededException', 400), 'identity-rejected'],
    ['dns', service('Throttling', 400), 'dns-unavailable'],
    ['dns', service('PriorRequestNotComplete', 400), 'dns-unavailable'],
    ['dns', service('InvalidChangeBatch', 400), 'dns-rejected'],
  ] as const)('codes a %s failure by its resource: %s', (resource: AwsResource, err, code) => {
    expect(sdkError(err, resource, 'SQS SendMessage').code).toBe(code);
  });

  it('returns an error an inner adapter already classified as it is', () => {
    for (const inner of [new TransientError('part-store-failed', 'x'), new QuarantineError('raw-missing', 'y'), new NotFoundError('stored-mail.not-found', 'object', 'k')]) {
      expect(sdkError(inner, 'storage', 'storing')).toBe(inner);
    }
  });
});

describe('isMissingObject', () => {
  it('is true for a missing object and false for a missing bucket, which is the deployment', () => {
    expect(isMissingObject(service('NoSuchKey', 404))).toBe(true);
    expect(isMissingObject(service('NotFound', 404))).toBe(true);
    expect(isMissingObject(new SignedCallError(404, 'S3 GetObject answered 404'))).toBe(true);
    expect(isMissingObject(service('NoSuchBucket', 404))).toBe(false);
    expect(isMissingObject(service('AccessDenied', 403))).toBe(false);
    expect(isMissingObject(socket('ECONNRESET'))).toBe(false);
    expect(isMissingObject(undefined)).toBe(false);
  });
});

describe('rawReadError', () => {
  it('quarantines a missing raw object, and leaves a missing bucket or a denied read to be retried into a dead letter', () => {
    const missing = rawReadError(service('NoSuchKey', 404), 's3://raw/inbound/m1');
    expect(missing).toBeInstanceOf(QuarantineError);
    expect((missing as QuarantineError).reason).toBe('raw-missing');
    expect(missing.message).toBe('s3://raw/inbound/m1 is not in storage');
    expect(rawReadError(service('NoSuchBucket', 404), 's3://raw/inbound/m1').constructor).toBe(DeploymentError);
    expect(rawReadError(service('AccessDenied', 403), 's3://raw/inbound/m1').constructor).toBe(DeploymentError);
    expect(rawReadError(socket('ECONNRESET'), 's3://raw/inbound/m1').constructor).toBe(TransientError);
  });
});

describe('refusalOf (signed calls)', () => {
  const s3Xml = (code: string) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>no</Message></Error>`;

  it.each([
    ['an S3 XML AccessDenied', new Response(s3Xml('AccessDenied'), { status: 403 }), 'AccessDenied', DeploymentError],
    ['an S3 XML NoSuchBucket', new Response(s3Xml('NoSuchBucket'), { status: 404 }), 'NoSuchBucket', DeploymentError],
    ['an S3 XML SlowDown', new Response(s3Xml('SlowDown'), { status: 503 }), 'SlowDown', TransientError],
    ['an SQS JSON __type', new Response('{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"}', { status: 400 }), 'QueueDoesNotExist', DeploymentError],
    // Was: permanent for the signed calls, which read only the status.
    ['an SQS JSON throttling', new Response('{"__type":"com.amazon.coral.availability#ThrottlingException"}', { status: 400 }), 'ThrottlingException', TransientError],
    ['an x-amzn-errortype header', new Response('{}', { status: 400, headers: { 'x-amzn-errortype': 'InvalidSignatureException:http://internal/' } }), 'InvalidSignatureException', DeploymentError],
    ['a body naming nothing', new Response('<html>bad gateway</html>', { status: 400 }), 'SignedCallError', PermanentError],
  ] as const)('reads the error code of %s', async (_, res, name, expected) => {
    const refusal = await refusalOf(res, 'S3 GetObject');
    expect(refusal.name).toBe(name);
    expect(refusal.$metadata.httpStatusCode).toBe(res.status);
    expect(refusal.message).toMatch(new RegExp(`^S3 GetObject answered ${res.status}: `));
    expect(sdkError(refusal, 'storage', 'reading k').constructor).toBe(expected);
  });

  it('uses a body already read instead of reading it again', async () => {
    const res = new Response('ignored', { status: 500 });
    const refusal = await refusalOf(res, 'SQS SendMessage', '{"__type":"InternalError"}');
    expect(refusal.name).toBe('InternalError');
    expect(refusal.message).toBe('SQS SendMessage answered 500: {"__type":"InternalError"}');
  });
});
