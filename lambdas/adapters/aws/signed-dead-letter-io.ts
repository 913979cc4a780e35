/**
 * Dead-letter bodies and the inbound queue over SigV4-signed calls (signed-request.ts), for the
 * API Lambda's redrive: the same contracts as the SDK-based adapters the recorder uses
 * (s3/dead-letter-bodies.ts), without S3 or SQS clients in the API bundle.
 * Failures are classified by the shared rules of sdk-errors.ts, as the SDK-based adapters' are.
 */
import type { DeadLetterBodies, InboundRequeue } from '../../core/dead-letters.ts';
import { DEAD_LETTER_PREFIX } from '../../../contract/mail-bucket.ts';
import { sdkError } from './sdk-errors.ts';
import { refusalOf, type SignedS3, type SignedSqs } from './signed-request.ts';

/** {@link DeadLetterBodies} in `bucket` under `dead-letters/`. */
export class SignedDeadLetterBodies implements DeadLetterBodies {
  constructor(
    private readonly s3: SignedS3,
    private readonly bucket: string,
  ) {}

  async put(id: string, body: string): Promise<string> {
    const key = `${DEAD_LETTER_PREFIX}${id}.json`;
    const doing = `storing dead-letter body ${key}`;
    const res = await this.s3.put(this.bucket, key, body, 'application/json').catch((err: unknown) => {
      throw sdkError(err, 'storage', doing);
    });
    if (!res.ok) throw sdkError(await refusalOf(res, 'S3 PutObject'), 'storage', doing);
    return key;
  }

  async get(key: string): Promise<string> {
    const doing = `reading dead-letter body ${key}`;
    const res = await this.s3.get(this.bucket, key).catch((err: unknown) => {
      throw sdkError(err, 'storage', doing);
    });
    if (!res.ok) throw sdkError(await refusalOf(res, 'S3 GetObject'), 'storage', doing);
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
      throw sdkError(err, 'queue', 'SQS SendMessage');
    }
  }
}
