/**
 * {@link RawMessageLister} on S3: ListObjectsV2 pages of the `inbound/` prefix, where SES's S3
 * action (and the local stand-in) store every received message.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Page } from '../../core/ports.ts';
import type { RawMessageLister, StoredRawMessage } from '../../core/reconcile/ports.ts';
import { RAW_MAIL_PREFIX } from '../../../contract/mail-bucket.ts';
import { sdkError } from '../aws/sdk-errors.ts';

/** S3's own maximum per ListObjectsV2 call; fewer calls per run. */
const LIST_PAGE_SIZE = 1000;

/** Lists `inbound/` of one bucket; the cursor is S3's continuation token. */
export class S3RawMessageLister implements RawMessageLister {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** One page of up to 1,000 objects. @throws TransientError when S3 is unavailable, DeploymentError when it denies access */
  async listPage(cursor?: string): Promise<Page<StoredRawMessage>> {
    let page;
    try {
      page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: RAW_MAIL_PREFIX, MaxKeys: LIST_PAGE_SIZE, ContinuationToken: cursor }),
      );
    } catch (err) {
      throw sdkError(err, 'storage', `listing ${RAW_MAIL_PREFIX} of ${this.bucket}`);
    }
    const items = (page.Contents ?? []).flatMap((o) =>
      o.Key ? [{ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) }] : [],
    );
    return page.IsTruncated && page.NextContinuationToken ? { items, cursor: page.NextContinuationToken } : { items };
  }
}
