/**
 * The top-level header fields of an outgoing message (RFC 5322 3.6), built from an outbox record
 * and nothing else: From, Reply-To, To, Cc, Subject, Date, Message-ID, In-Reply-To, References,
 * Auto-Submitted (RFC 3834: acknowledgements `auto-replied`, agentless notifications
 * `auto-generated`), MIME-Version. Bcc and the address route's
 * hidden Bcc never appear: they are envelope recipients only.
 *
 * Every value goes through one rule before it is written: addresses through address.ts (refused
 * when not exactly one address), names and the subject through header-text.ts (flattened and
 * encoded), Message-IDs through {@link wireMessageId} (dropped, or refused for the record's own).
 */
import { ERROR_REASONS as R } from '../error-reasons.ts';
import { PermanentError } from '../errors.ts';
import type { MailAddress } from '../message.ts';
import { parseNamedAddress } from './address.ts';
import { encodeDisplayName, encodeHeaderText } from './header-text.ts';
import { MAX_OUTGOING_REFERENCES } from './headers.ts';
import type { OutboxRecord } from './outbox.ts';

/** Limits of the threading headers we write. */
export const MESSAGE_HEADER_LIMITS = {
  /** A Message-ID longer than this is dropped: with `References: ` it must fit one 998-octet line. */
  maxMessageIdChars: 900,
} as const;

/** RFC 5322 3.6.4 msg-id as we write it: `<`, printable ASCII without spaces or brackets, one `@`, `>`. */
const WIRE_MESSAGE_ID = /^<[\u0021-\u003b\u003d\u003f-\u007e]+@[\u0021-\u003b\u003d\u003f-\u007e]+>$/;

/** The record fields the headers are built from. */
export type HeaderSource = Pick<
  OutboxRecord,
  'id' | 'purpose' | 'from' | 'replyTo' | 'to' | 'cc' | 'subject' | 'createdAt' | 'messageId' | 'inReplyTo' | 'references'
>;

/**
 * A Message-ID as it may be written in a header (`<left@right>`, brackets added when missing), or
 * undefined: anything with whitespace, a control character, non-ASCII, a bracket inside, no `@`,
 * or longer than {@link MESSAGE_HEADER_LIMITS.maxMessageIdChars}. Stricter than headers.ts's
 * `headerSafeMessageId`, which lets NEL and other non-ASCII through.
 */
export function wireMessageId(raw: string | undefined): string | undefined {
  const trimmed = raw?.trim();
  if (!trimmed) return undefined;
  const id = trimmed.startsWith('<') ? trimmed : `<${trimmed}>`;
  return id.length <= MESSAGE_HEADER_LIMITS.maxMessageIdChars && WIRE_MESSAGE_ID.test(id) ? id : undefined;
}

/**
 * The header fields of `record` as `Name: value` lines (folded, CRLF inside a field's folds, no
 * line ending after the last), content headers excluded (the MIME body adds them).
 * @throws PermanentError `outbound.address-invalid` when an address of From, Reply-To, To or Cc is
 *   not exactly one address (names are flattened and encoded, never refused), or there is no To/Cc recipient
 *   (the record was built wrong: retrying cannot help); `outbound.record-invalid` when the
 *   record's own Message-ID is not header-safe or its createdAt is no date
 */
export function outboundHeaderLines(record: HeaderSource): string[] {
  const from = addressOf(record.from, 'from');
  const to = record.to.map((a, i) => addressOf(a, `to[${i}]`));
  const cc = (record.cc ?? []).map((a, i) => addressOf(a, `cc[${i}]`));
  if (to.length + cc.length === 0) throw new PermanentError(R.outboundAddressInvalid, `outbox record ${record.id} has no To or Cc recipient`);
  const messageId = wireMessageId(record.messageId);
  if (!messageId) throw new PermanentError(R.outboundRecordInvalid, `outbox record ${record.id} has a Message-ID that is not header-safe`);
  const inReplyTo = wireMessageId(record.inReplyTo);
  const references = [...new Set(record.references.map(wireMessageId).filter((id): id is string => id !== undefined))].slice(-MAX_OUTGOING_REFERENCES);

  const lines = [`From: ${formatAddress(from)}`];
  if (record.replyTo) lines.push(`Reply-To: ${formatAddress(addressOf(record.replyTo, 'replyTo'))}`);
  if (to.length) lines.push(`To: ${to.map(formatAddress).join(',\r\n ')}`);
  if (cc.length) lines.push(`Cc: ${cc.map(formatAddress).join(',\r\n ')}`);
  const subject = encodeHeaderText(record.subject, 'Subject: '.length);
  // An empty subject is left out (RFC 5322 3.6.5: optional) rather than written as a header with no value.
  if (subject !== '') lines.push(`Subject: ${subject}`);
  lines.push(`Date: ${rfc5322Date(record.createdAt, record.id)}`);
  lines.push(`Message-ID: ${messageId}`);
  if (inReplyTo) lines.push(`In-Reply-To: ${inReplyTo}`);
  if (references.length) lines.push(`References: ${references.join('\r\n ')}`);
  // RFC 3834 5: mail sent automatically says so, so that the customer's auto-responder stays quiet.
  if (record.purpose === 'auto-acknowledgement') lines.push('Auto-Submitted: auto-replied');
  if (record.purpose === 'notification') lines.push('Auto-Submitted: auto-generated');
  lines.push('MIME-Version: 1.0');
  return lines;
}

/** `"Name" <address>`, `=?UTF-8?B?...?= <address>`, or the bare address. */
export function formatAddress(address: MailAddress): string {
  return address.name ? `${encodeDisplayName(address.name)} <${address.address}>` : address.address;
}

function addressOf(value: MailAddress | string, field: string): MailAddress {
  const parsed = parseNamedAddress(value);
  if (!parsed.ok) throw new PermanentError(R.outboundAddressInvalid, `${field}: ${parsed.problem}`);
  return parsed.value;
}

/** RFC 5322 3.3 date-time in UTC: `Thu, 26 Nov 2026 23:35:03 +0000`. */
function rfc5322Date(iso: string, id: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new PermanentError(R.outboundRecordInvalid, `outbox record ${id} has no valid createdAt`);
  return date.toUTCString().replace(/GMT$/, '+0000');
}
