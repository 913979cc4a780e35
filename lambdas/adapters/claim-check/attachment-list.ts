/**
 * The claim check of attachment lists (decisions 3 and 12): a mail with more attachments than an
 * item keeps (ITEM_LIMITS.maxAttachmentsOnItem) gets its full list written to S3 as
 * `parts/<interactionId>/attachments.json`, beside its decoded parts; the interaction keeps the
 * first entries, the count and this pointer. Why a decorator of the parser: the list exists only
 * after parsing, the parts prefix is the parser's, and the MIME adapter stays unaware of items.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ITEM_LIMITS } from '../../core/limits.ts';
import type { BlobRef, ParsedMail } from '../../core/message.ts';
import type { MessageParser } from '../../core/ports.ts';
import { sdkError } from '../aws/sdk-errors.ts';

/** The key of the full attachment list of the message whose parts live under `partsPrefix`. */
export function attachmentListKey(partsPrefix: string): string {
  return `${partsPrefix}attachments.json`;
}

/** A {@link MessageParser} that stores long attachment lists in S3 and points to them. */
export class AttachmentListClaimCheck implements MessageParser {
  /**
   * @param inner the parser that decodes the mail
   * @param s3 a client created once per container
   * @param partsBucket where the list is written (the parser's parts bucket)
   */
  constructor(
    private readonly inner: MessageParser,
    private readonly s3: S3Client,
    private readonly partsBucket: string,
  ) {}

  /**
   * Parses, then writes the list when it is long. The write is an idempotent put of the same
   * bytes under a key derived from the interaction, so a redelivered message rewrites it harmlessly.
   * @throws TransientError when S3 is unavailable (the queue retries)
   */
  async parse(raw: BlobRef, partsPrefix: string): Promise<ParsedMail> {
    const parsed = await this.inner.parse(raw, partsPrefix);
    if (parsed.attachments.length <= ITEM_LIMITS.maxAttachmentsOnItem) return parsed;
    const key = attachmentListKey(partsPrefix);
    const body = JSON.stringify(parsed.attachments);
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.partsBucket, Key: key, Body: body, ContentType: 'application/json' }));
    } catch (err) {
      throw sdkError(err, 'storage', `storing the attachment list ${key}`);
    }
    return { ...parsed, attachmentsBlob: { bucket: this.partsBucket, key, size: Buffer.byteLength(body) } };
  }
}
