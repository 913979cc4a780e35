/**
 * The message facts an interaction keeps of the mail it was opened with: the receipt, the parsed
 * headers and a text preview; bodies and attachments stay in S3 (decision 3).
 */
import type { InteractionMessage } from './interaction.ts';
import { MAIL_LIMITS } from './limits.ts';
import type { ParsedMail, ReceiptInfo } from './message.ts';

/**
 * Builds the kept facts; `parsed` is missing when the mail could not be parsed (quarantine), or
 * partial when only its header block could be read.
 */
export function interactionMessageOf(receipt: ReceiptInfo, parsed: Partial<ParsedMail> | undefined): InteractionMessage {
  return {
    transport: receipt.transport,
    receivedAt: receipt.receivedAt,
    mailFrom: receipt.mailFrom,
    recipients: receipt.recipients,
    verdicts: receipt.verdicts,
    raw: receipt.raw,
    subject: parsed?.subject ?? '',
    references: parsed?.references ?? [],
    to: parsed?.to ?? [],
    cc: parsed?.cc ?? [],
    textPreview: (parsed?.text ?? '').slice(0, MAIL_LIMITS.maxPreviewChars),
    attachments: parsed?.attachments ?? [],
    ...(parsed?.messageId !== undefined && { messageId: parsed.messageId }),
    ...(parsed?.inReplyTo !== undefined && { inReplyTo: parsed.inReplyTo }),
    ...(parsed?.from !== undefined && { from: parsed.from }),
    ...(parsed?.date !== undefined && { date: parsed.date }),
    ...(parsed?.html !== undefined && { html: parsed.html }),
    ...(parsed?.textBlob !== undefined && { textBlob: parsed.textBlob }),
    ...(parsed?.htmlBlob !== undefined && { htmlBlob: parsed.htmlBlob }),
  };
}

