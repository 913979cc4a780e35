/**
 * The claim check of large dead-letter bodies (decision 3): stored in the mail bucket under
 * `dead-letters/<id>.json`, so the dead-letter item stays small.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DeadLetterBodies } from '../../core/dead-letters.ts';
import { sdkError } from '../aws/sdk-errors.ts';
import { DEAD_LETTER_PREFIX } from '../../../contract/mail-bucket.ts';

/** {@link DeadLetterBodies} on S3. Why the id in the key: a redelivered DLQ message rewrites the same object. */
export class S3DeadLetterBodies implements DeadLetterBodies {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(id: string, body: string): Promise<string> {
    const key = `${DEAD_LETTER_PREFIX}${id}.json`;
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }));
    } catch (err) {
      throw sdkError(err, 'storage', `storing dead-letter body ${key}`);
    }
    return key;
  }

  async get(key: string): Promise<string> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await out.Body!.transformToString('utf8');
    } catch (err) {
      throw sdkError(err, 'storage', `reading dead-letter body ${key}`);
    }
  }
}
