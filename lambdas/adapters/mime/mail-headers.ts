/**
 * The header facts of {@link ParsedMail}, taken from what mailparser decoded for the root node.
 *
 * Header values are attacker-chosen: every value is cut to a bounded length, address and reference
 * lists are capped, and a malformed header degrades to "absent", never to an exception.
 */
import type { AddressObject, EmailAddress, HeaderLines, Headers } from 'mailparser';
import type { MailAddress, ParsedMail } from '../../core/message.ts';
import { stripControlChars } from './control-chars.ts';

/**
 * Longest header value kept. Authentication-Results of a big provider run to ~1,500 characters;
 * anything longer is not needed for routing and would bloat the interaction item (DynamoDB 400 KB).
 */
export const MAX_HEADER_VALUE_CHARS = 2_048;
/** Longest subject kept: RFC 5322 caps a line at 998 characters; folded subjects are rarely longer. */
export const MAX_SUBJECT_CHARS = 998;
/** RFC 5321 caps an address at 254 octets in practice (64 local + @ + 255 domain = 320 in theory). */
export const MAX_ADDRESS_CHARS = 320;
/** Display names beyond this are spam or abuse; the UI shows a few dozen characters anyway. */
export const MAX_DISPLAY_NAME_CHARS = 256;
/**
 * Addresses kept per header. An agent reply goes to at most 50 recipients (ARCHITECTURE.md), so
 * more than that cannot be replied to anyway; a 256 KB To: header could otherwise hold 10,000.
 */
export const MAX_ADDRESSES_PER_HEADER = 100;
/**
 * References kept for threading. RFC 5322 3.6.4: the first is the thread root and the last ones
 * are the closest ancestors; both ends are kept when the list is cut.
 */
export const MAX_REFERENCES = 50;

/**
 * Lower-cased names of the headers routing, spam and loop detection look at (RFC 3834
 * auto-submitted, RFC 2369/2919 list headers, SES verdicts, RFC 5965 feedback reports...).
 */
export const SELECTED_HEADERS: readonly string[] = [
  'auto-submitted', 'precedence', 'x-auto-response-suppress', 'x-autoreply', 'x-autorespond', 'x-loop',
  'list-id', 'list-unsubscribe', 'list-post', 'x-spam-flag', 'x-spam-status', 'x-spam-score',
  'return-path', 'content-language', 'importance', 'x-priority', 'priority', 'x-msmail-priority',
  'x-mailer', 'user-agent', 'content-type', 'authentication-results', 'received-spf',
  'x-ses-spam-verdict', 'x-ses-virus-verdict', 'x-ses-receipt', 'feedback-type', 'x-failed-recipients',
  'delivered-to', 'sender', 'organization',
];
const SELECTED = new Set(SELECTED_HEADERS);

/** The root header block as mailparser exposes it after the `headers` event. */
export interface RootHeaders {
  /** Decoded values keyed by lower-cased name (some names merged, see mailparser's docs). */
  readonly headers: Headers;
  /** Raw lines, in order, with folding; values are binary strings. */
  readonly headerLines: HeaderLines;
}

export type HeaderFacts = Pick<
  ParsedMail,
  'subject' | 'from' | 'to' | 'cc' | 'replyTo' | 'date' | 'messageId' | 'inReplyTo' | 'references' | 'headers'
>;

/**
 * Extracts the header facts of one message from its root header block.
 *
 * Why raw lines for `date` and the selected headers: mailparser replaces an invalid Date with "now"
 * (we want no date instead), merges the priority headers into one and turns List-* and Return-Path
 * into objects. For every other selected header its decoded string is used. When a header repeats,
 * the first (topmost) occurrence wins: it was added by the server closest to us, so a sender cannot
 * forge it by adding its own copy lower in the block.
 */
export function extractMailHeaders(root: RootHeaders): HeaderFacts {
  const raw = firstRawValues(root.headerLines);
  const decoded = root.headers;
  const messageId = firstMessageId(stringOf(decoded.get('message-id')));
  const inReplyTo = firstMessageId(stringOf(decoded.get('in-reply-to')));
  const date = isoDate(raw.get('date'));
  const from = addressesOf(decoded.get('from'))[0];
  return {
    subject: cut(stripControlChars(stringOf(decoded.get('subject')) ?? ''), MAX_SUBJECT_CHARS),
    to: addressesOf(decoded.get('to')),
    cc: addressesOf(decoded.get('cc')),
    replyTo: addressesOf(decoded.get('reply-to')),
    references: referencesOf(decoded.get('references')),
    headers: selectedHeaders(raw, decoded),
    ...(from && { from }),
    ...(date && { date }),
    ...(messageId && { messageId }),
    ...(inReplyTo && { inReplyTo }),
  };
}

/** Unfolded raw value of the first occurrence of every header, as UTF-8. */
function firstRawValues(lines: HeaderLines): Map<string, string> {
  const values = new Map<string, string>();
  for (const { key, line } of lines) {
    if (values.has(key) || !(SELECTED.has(key) || key === 'date')) continue;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const value = line.slice(colon + 1, colon + 1 + MAX_HEADER_VALUE_CHARS * 2).replace(/\r?\n[ \t]*/g, ' ');
    // Raw lines are binary strings; only 8-bit values (RFC 6532 UTF-8 headers) need re-decoding.
    values.set(key, (/[^\x00-\x7f]/.test(value) ? Buffer.from(value, 'binary').toString('utf8') : value).trim());
  }
  return values;
}

function selectedHeaders(raw: Map<string, string>, decoded: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, rawValue] of raw) {
    if (!SELECTED.has(name)) continue;
    const value = decoded.get(name);
    const text = typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : rawValue;
    out[name] = cut(text.replace(/[\r\n]+/g, ' ').trim(), MAX_HEADER_VALUE_CHARS);
  }
  return out;
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** The first `<id>` of a Message-ID style header; mailparser wraps bare ids in brackets. */
function firstMessageId(value: string | undefined): string | undefined {
  const match = value?.match(/<[^<>\s]{1,994}>/);
  return match?.[0];
}

function referencesOf(value: unknown): string[] {
  const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  const ids = list.filter((id) => /^<[^<>\s]{1,994}>$/.test(id));
  if (ids.length <= MAX_REFERENCES) return ids;
  return [ids[0]!, ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
}

/** An ISO timestamp for a parsable Date header; none for junk or years a mail client cannot mean. */
function isoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value.replace(/\([^)]*\)/g, ' ').trim());
  if (Number.isNaN(time)) return undefined;
  const year = new Date(time).getUTCFullYear();
  return year >= 1970 && year <= 9999 ? new Date(time).toISOString() : undefined;
}

/** Flattens groups, drops entries without an address, caps the list and the strings in it. */
function addressesOf(value: unknown): MailAddress[] {
  const out: MailAddress[] = [];
  const objects = (Array.isArray(value) ? value : [value]) as (AddressObject | undefined)[];
  const visit = (entry: EmailAddress): void => {
    if (out.length >= MAX_ADDRESSES_PER_HEADER) return;
    if (entry.group) {
      entry.group.forEach(visit);
      return;
    }
    const address = (entry.address ?? '').trim();
    if (!address || address.length > MAX_ADDRESS_CHARS) return;
    const name = cut(stripControlChars(entry.name ?? '').trim(), MAX_DISPLAY_NAME_CHARS);
    out.push(name ? { address, name } : { address });
  };
  for (const object of objects) {
    if (object && Array.isArray(object.value)) object.value.forEach(visit);
  }
  return out;
}

function cut(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}
