/**
 * The checks of a composed send (issue 11 item 1, SPEC OUT-1): the recipient limit and the encoded
 * size limit, and a refusal as field-level issues the API answers (never thrown).
 */
import { ERROR_REASONS, type ErrorReason } from '../error-reasons.ts';
import { MAIL_LIMITS } from '../limits.ts';
import { envelopeRecipients, type NewOutboxRecord } from './outbox.ts';

/** Limits of one send request. */
export const SEND_REQUEST_LIMITS = {
  /** An agent's e-mail has at most 50 recipients, the address's fixed BCC included (SPEC OUT-1, seed 001). */
  maxRecipients: 50,
  /** SES takes at most 40 MB per message, encoded (ARCHITECTURE.md limits); counted before enqueueing. */
  maxEncodedBytes: MAIL_LIMITS.maxMessageBytes,
} as const;

/** One refused field: `field` is the request's field path, `reason` a code of core/error-reasons.ts. */
export interface SendIssue {
  readonly field: string;
  readonly reason: ErrorReason;
  readonly message: string;
}

/** A composed record, or why it may not be sent. */
export type ComposedSend = { readonly kind: 'ok'; readonly record: NewOutboxRecord } | { readonly kind: 'refused'; readonly issues: readonly SendIssue[] };

/**
 * The size a part takes in the message: base64 (4 bytes per 3) plus CRLF after every 76
 * characters. Bodies may go quoted-printable instead, which is smaller for text, so this bounds it.
 */
export function encodedSize(bytes: number): number {
  const base64 = Math.ceil(bytes / 3) * 4;
  return base64 + 2 * Math.ceil(base64 / 76);
}

/** The encoded size of a record's bodies and attachments (headers are small beside the 40 MB); a forwarded message goes unencoded. */
export function encodedSizeOf(record: Pick<NewOutboxRecord, 'text' | 'html' | 'attachments'>): number {
  const body = (s: string | undefined) => (s === undefined ? 0 : encodedSize(utf8Bytes(s)));
  return body(record.text) + body(record.html) + (record.attachments ?? []).reduce((sum, a) => sum + (a.contentType === 'message/rfc822' ? a.size : encodedSize(a.size)), 0);
}

/** `record` if it keeps the recipient limit and the size limit, else each broken one as a field issue. */
export function checkedSend(record: NewOutboxRecord): ComposedSend {
  const issues: SendIssue[] = [];
  const count = envelopeRecipients(record).length;
  if (count > SEND_REQUEST_LIMITS.maxRecipients) {
    const hidden = record.hiddenBcc?.length ?? 0;
    const field = record.bcc?.length ? 'bcc' : record.cc?.length ? 'cc' : 'to';
    const why = hidden > 0 ? `, the address's ${hidden} fixed BCC recipient(s) included` : '';
    issues.push({ field, reason: ERROR_REASONS.outboundTooManyRecipients, message: `${count} recipients${why}: at most ${SEND_REQUEST_LIMITS.maxRecipients}` });
  }
  const size = encodedSizeOf(record);
  if (size > SEND_REQUEST_LIMITS.maxEncodedBytes) {
    const field = record.attachments?.length ? 'attachments' : record.html !== undefined ? 'html' : 'text';
    issues.push({ field, reason: ERROR_REASONS.outboundMessageTooLarge, message: `${size} bytes encoded: at most ${SEND_REQUEST_LIMITS.maxEncodedBytes}` });
  }
  return issues.length ? { kind: 'refused', issues } : { kind: 'ok', record };
}

/** A refusal of one field, `reason` with its message. */
export function refusedSend(field: string, reason: ErrorReason, message: string): ComposedSend {
  return { kind: 'refused', issues: [{ field, reason, message }] };
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}
