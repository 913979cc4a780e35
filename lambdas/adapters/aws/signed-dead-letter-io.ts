/**
 * Dead-letter bodies and the inbound queue over SigV4-signed calls (signed-request.ts), for the
 * API Lambda's redrive: the same contracts as the SDK-based adapters the recorder uses
 * (s3/dead-letter-bodies.ts, sqs/inbound-queue.ts), without S3 or SQS clients in the API bundle.
 */
import type { DeadLetterBodies, InboundRequeue } from '../../core/dead-letters.ts';
import { PermanentError, TransientError } from '../../core/errors.ts';
import { DEAD_LETTER_PREFIX } from '../s3/dead-letter-prefix.ts';
import { SignedCallError, type SignedS3, type SignedSqs } from './signed-request.ts';

/** A refused or failed call as a Postroom error: 403, 408, 429, 5xx and network errors retry. */
function callError(status: number | undefined, code: string, message: string, cause?: unknown): Error {
  if (status === undefined || status === 403 || status === 408 || status === 429 || status >= 500) {
    return new TransientError(`${code}-unavailable`, message, { cause });
  }
  return new PermanentError(`${code}-rejected`, message, { cause });
}

/** {@link DeadLetterBodies} in `bucket` under `dead-letters/`. */
export class SignedDeadLetterBodies implements DeadLetterBodies {
  constructor(
    private readonly s3: SignedS3,
    private readonly bucket: string,
  ) {}

  async put(id: string, body: string): Promise<string> {
    const key = `${DEAD_LETTER_PREFIX}${id}.json`;
    const res = await this.s3.put(this.bucket, key, body, 'application/json').catch((err: Error) => {
      throw callError(undefined, 'storage', `storing dead-letter body ${key} failed: ${err.message}`, err);
    });
    if (!res.ok) throw callError(res.status, 'storage', `storing dead-letter body ${key} failed: ${res.status}`);
    return key;
  }

  async get(key: string): Promise<string> {
    const res = await this.s3.get(this.bucket, key).catch((err: Error) => {
      throw callError(undefined, 'storage', `reading dead-letter body ${key} failed: ${err.message}`, err);
    });
    if (!res.ok) throw callError(res.status, 'storage', `reading dead-letter body ${key} failed: ${res.status}`);
    return res.text();
  }
}

/** {@link InboundRequeue}: one SendMessage to the inbound queue. */
export class SignedInboundRequeue implements InboundRequeue {
  constructor(
    private readonly sqs: SignedSqs,
    private readonly queueUrl: string,
  ) {}

  async send(body: string): Promise<void> {
    try {
      await this.sqs.call(this.queueUrl, 'SendMessage', { MessageBody: body });
    } catch (err) {
      const status = err instanceof SignedCallError ? err.status : undefined;
      throw callError(status, 'queue', `SQS SendMessage failed: ${(err as Error).message}`, err);
    }
  }
}
