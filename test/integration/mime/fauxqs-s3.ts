/**
 * A real S3 for the MIME adapter's integration tests: fauxqs on loopback, with one bucket for raw
 * mail and one for decoded parts.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startFauxqsService, type Fauxqs } from '../../../lambdas/local/services.ts';
import { bytesOf } from '../../support/bytes.ts';

export interface LocalS3 {
  readonly fauxqs: Fauxqs;
  readonly s3: S3Client;
  readonly rawBucket: string;
  readonly partsBucket: string;
  put(key: string, body: string | Buffer): Promise<void>;
  get(bucket: string, key: string): Promise<Buffer>;
  stop(): Promise<void>;
}

/** Starts fauxqs and creates the two buckets. */
export async function startLocalS3(): Promise<LocalS3> {
  const fauxqs = await startFauxqsService();
  const s3 = new S3Client({ endpoint: fauxqs.endpoint, forcePathStyle: true, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const rawBucket = 'postroom-raw';
  const partsBucket = 'postroom-parts';
  await s3.send(new CreateBucketCommand({ Bucket: rawBucket }));
  await s3.send(new CreateBucketCommand({ Bucket: partsBucket }));
  return {
    fauxqs,
    s3,
    rawBucket,
    partsBucket,
    put: async (key, body) => {
      await s3.send(new PutObjectCommand({ Bucket: rawBucket, Key: key, Body: body }));
    },
    get: async (bucket, key) => {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return bytesOf(out.Body);
    },
    stop: async () => {
      s3.destroy();
      await fauxqs.stop();
    },
  };
}
