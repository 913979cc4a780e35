/**
 * The adapters of the SMTP path's bounce hook (core/outbound/verp-bounce.ts) for ingest's wiring
 * (ingest-deps.ts): the DSN part read bounded from the mail bucket, where the MIME parser streamed it.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BlobRef } from '../../core/message.ts';
import type { VerpBounceDeps } from '../../core/outbound/verp-bounce.ts';
import { sdkError } from '../aws/sdk-errors.ts';

/** Reads at most `maxBytes` of a stored part as UTF-8 (a ranged GET: a forged huge part is never read whole). */
export function s3PartReader(s3: S3Client): VerpBounceDeps['readPart'] {
  return async (blob: BlobRef, maxBytes: number) => {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: blob.bucket, Key: blob.key, Range: `bytes=0-${Math.max(0, maxBytes - 1)}` }));
      return (await object.Body?.transformToString('utf-8')) ?? '';
    } catch (err) {
      throw sdkError(err, 'storage', `S3 GetObject ${blob.key}`);
    }
  };
}

/**
 * The hook's deps: bounces to `bounces+<outboxId>@<returnPathDomain>` record their events on the
 * outbox (the sender's store) and suppress hard bounces (the suppression store).
 */
export function verpBounceDeps(s3: S3Client, parts: Omit<VerpBounceDeps, 'readPart'>): VerpBounceDeps {
  return { ...parts, readPart: s3PartReader(s3) };
}
