/**
 * {@link RawMessageLister} on S3: ListObjectsV2 pages of the `inbound/` prefix, where SES's S3
 * action (and the local stand-in) store every received message, then of `polled/`, where the
 * mailbox pollers store theirs (decision 11 holds for both paths).
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Page } from '../../core/ports.ts';
import type { RawMessageLister, StoredRawMessage } from '../../core/reconcile/ports.ts';
import { POLLED_MAIL_PREFIX, RAW_MAIL_PREFIX } from '../../../contract/mail-bucket.ts';
import { sdkError } from '../aws/sdk-errors.ts';

/** S3's own maximum per ListObjectsV2 call; fewer calls per run. */
const LIST_PAGE_SIZE = 1000;

/** The prefixes listed, in order. */
const PREFIXES = [RAW_MAIL_PREFIX, POLLED_MAIL_PREFIX] as const;

/** Lists `inbound/` and then `polled/` of one bucket; the cursor is `<prefix index>:<S3's continuation token>`. */
export class S3RawMessageLister implements RawMessageLister {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefixes: readonly string[] = PREFIXES,
  ) {}

  /** One page of up to 1,000 objects. @throws TransientError when S3 is unavailable, DeploymentError when it denies access */
  async listPage(cursor?: string): Promise<Page<StoredRawMessage>> {
    const colon = cursor?.indexOf(':') ?? -1;
    const index = cursor !== undefined && colon > 0 ? Number(cursor.slice(0, colon)) : 0;
    const token = cursor !== undefined && colon > 0 ? cursor.slice(colon + 1) || undefined : cursor;
    const prefix = this.prefixes[index] ?? RAW_MAIL_PREFIX;
    let page;
    try {
      page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: LIST_PAGE_SIZE, ContinuationToken: token }),
      );
    } catch (err) {
      throw sdkError(err, 'storage', `listing ${prefix} of ${this.bucket}`);
    }
    const items = (page.Contents ?? []).flatMap((o) =>
      o.Key ? [{ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) }] : [],
    );
    if (page.IsTruncated && page.NextContinuationToken) return { items, cursor: `${index}:${page.NextContinuationToken}` };
    return index + 1 < this.prefixes.length ? { items, cursor: `${index + 1}:` } : { items };
  }
}
