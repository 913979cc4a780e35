/**
 * The message facts an interaction keeps of the mail it was opened with: the receipt, the parsed
 * headers and a text preview; bodies and attachments stay in S3 (decision 3).
 */
import type { InteractionMessage } from './interaction.ts';
import { boundAddress, boundAddresses, boundAttachments, boundHeader, boundReferences } from './item-bounds.ts';
import { ITEM_LIMITS, MAIL_LIMITS } from './limits.ts';
import type { ParsedMail, ReceiptInfo } from './message.ts';

/**
 * Builds the kept facts; `parsed` is missing when the mail could not be parsed (quarantine), or
 * partial when only its header block could be read. Every list and header value is capped by
 * ITEM_LIMITS (item-bounds.ts), so the item fits DynamoDB whatever the mail holds; the raw mail in
 * S3 keeps everything.
 */
export function interactionMessageOf(receipt: ReceiptInfo, parsed: Partial<ParsedMail> | undefined): InteractionMessage {
  const { attachments, attachmentCount } = boundAttachments(parsed?.attachments ?? []);
  return {
    transport: receipt.transport,
    receivedAt: receipt.receivedAt,
    mailFrom: receipt.mailFrom,
    recipients: receipt.recipients.slice(0, ITEM_LIMITS.maxAddressesOnItem).map(boundHeader),
    verdicts: receipt.verdicts,
    raw: receipt.raw,
    subject: boundHeader(parsed?.subject ?? ''),
    references: boundReferences(parsed?.references ?? []),
    to: boundAddresses(parsed?.to ?? []),
    cc: boundAddresses(parsed?.cc ?? []),
    textPreview: (parsed?.text ?? '').slice(0, MAIL_LIMITS.maxPreviewChars),
    attachments,
    ...(attachmentCount !== undefined && { attachmentCount }),
    ...(parsed?.attachmentsBlob !== undefined && { attachmentsBlob: parsed.attachmentsBlob }),
    ...(parsed?.messageId !== undefined && { messageId: boundHeader(parsed.messageId) }),
    ...(parsed?.inReplyTo !== undefined && { inReplyTo: boundHeader(parsed.inReplyTo) }),
    ...(parsed?.from !== undefined && { from: boundAddress(parsed.from) }),
    ...(parsed?.date !== undefined && { date: boundHeader(parsed.date) }),
    ...(parsed?.html !== undefined && { html: parsed.html }),
    ...(parsed?.textBlob !== undefined && { textBlob: parsed.textBlob }),
    ...(parsed?.htmlBlob !== undefined && { htmlBlob: parsed.htmlBlob }),
  };
}

