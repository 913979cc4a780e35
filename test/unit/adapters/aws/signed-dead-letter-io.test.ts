/**
 * The API's redrive adapters classify refused and failed signed calls by the shared rules
 * (aws/sdk-errors.ts), as the recorder's SDK-based adapters do.
 */
import { describe, expect, it } from 'vitest';
import { SignedDeadLetterBodies, SignedInboundRequeue } from '../../../../lambdas/adapters/aws/signed-dead-letter-io.ts';
import { SignedCallError, type SignedS3, type SignedSqs } from '../../../../lambdas/adapters/aws/signed-request.ts';
import { DeploymentError, PermanentError, TransientError } from '../../../../lambdas/core/errors.ts';

const s3Answering = (res: () => Promise<Response>) => ({ get: res, put: res }) as unknown as SignedS3;
const xml = (code: string) => `<Error><Code>${code}</Code></Error>`;
const refused = () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }));

describe('SignedDeadLetterBodies', () => {
  it.each([
    ['a denied read (was: transient)', async () => new Response(xml('AccessDenied'), { status: 403 }), DeploymentError, 'storage-misconfigured'],
    ['a throttled read', async () => new Response(xml('SlowDown'), { status: 503 }), TransientError, 'storage-unavailable'],
    ['a refused connection', refused, TransientError, 'storage-unavailable'],
    ['a missing body object', async () => new Response(xml('NoSuchKey'), { status: 404 }), PermanentError, 'storage-rejected'],
  ] as const)('classifies %s', async (_, answer, expected, code) => {
    const bodies = new SignedDeadLetterBodies(s3Answering(answer), 'mail');

    const read = await bodies.get('dead-letters/dl-1.json').catch((err: unknown) => err);
    const stored = await bodies.put('dl-1', '{}').catch((err: unknown) => err);

    for (const failure of [read, stored]) {
      expect((failure as Error).constructor).toBe(expected);
      expect((failure as PermanentError).code).toBe(code);
    }
    expect((read as Error).message).toMatch(/^reading dead-letter body dead-letters\/dl-1\.json failed: /);
    expect((stored as Error).message).toMatch(/^storing dead-letter body dead-letters\/dl-1\.json failed: /);
  });
});

describe('SignedInboundRequeue', () => {
  it.each([
    ['a missing queue (was: permanent queue-rejected)', new SignedCallError(400, 'SQS SendMessage answered 400', 'QueueDoesNotExist'), DeploymentError, 'queue-misconfigured'],
    ['a bare 403 (was: transient)', new SignedCallError(403, 'SQS SendMessage answered 403'), DeploymentError, 'queue-misconfigured'],
    ['throttling answered 400 (was: permanent)', new SignedCallError(400, 'SQS SendMessage answered 400', 'ThrottlingException'), TransientError, 'queue-unavailable'],
    ['a bad request', new SignedCallError(400, 'SQS SendMessage answered 400', 'InvalidParameterValue'), PermanentError, 'queue-rejected'],
  ] as const)('classifies %s', async (_, err, expected, code) => {
    const requeue = new SignedInboundRequeue({ call: () => Promise.reject(err) } as unknown as SignedSqs, 'http://q');

    const failure = await requeue.send('{}').catch((e: unknown) => e);

    expect((failure as Error).constructor).toBe(expected);
    expect((failure as PermanentError).code).toBe(code);
    expect((failure as PermanentError).cause).toBe(err);
  });
});
