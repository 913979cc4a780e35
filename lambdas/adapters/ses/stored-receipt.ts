/**
 * Receipt facts recovered from a stored raw message, for the reconciler: when SES's notification
 * is lost, what SES knew is still at the top of the object it stored. SES prepends, in this order
 * (https://docs.aws.amazon.com/ses/latest/dg/receiving-email-notifications-contents.html, the
 * `mail.headers` of the notification examples): Return-Path (MAIL FROM), Received (`... by
 * inbound-smtp.<region>.amazonaws.com with SMTP id <messageId> for <recipient>; <date>`, the `for`
 * clause only with one recipient), X-SES-Spam-Verdict, X-SES-Virus-Verdict, Received-SPF,
 * Authentication-Results (`amazonses.com; spf=...; dkim=...; dmarc=...`), X-SES-RECEIPT (encrypted)
 * and X-SES-DKIM-SIGNATURE. The local SES stand-in writes the same block.
 *
 * Trust: only that leading block counts. It ends at the first header that is not one of SES's or
 * repeats one already seen, so a sender's own `X-SES-Virus-Verdict: PASS` further down is never
 * read. The block must start with Return-Path and carry SES's Received naming this message id;
 * otherwise nothing in it is trusted and the verdicts are PROCESSING_FAILED (could not evaluate):
 * a virus FAIL is never turned into a PASS by recovery.
 */
import { isServedAddress } from '../../core/deployment-settings.ts';
import type { ReceiptInfo, VerdictStatus, Verdicts } from '../../core/message.ts';

/**
 * How much of the object is read: SES's block is well under 8 KiB; 64 KiB also covers the To/Cc
 * headers of a message with many recipients. Mail is hostile input, so never more.
 */
export const STORED_HEADER_READ_BYTES = 64 * 1024;

const SES_HEADERS = new Set([
  'return-path',
  'received',
  'x-ses-spam-verdict',
  'x-ses-virus-verdict',
  'received-spf',
  'authentication-results',
  'x-ses-receipt',
  'x-ses-dkim-signature',
]);
const VERDICTS = new Set<VerdictStatus>(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']);
const UNKNOWN: Verdicts = { spam: 'PROCESSING_FAILED', virus: 'PROCESSING_FAILED', spf: 'PROCESSING_FAILED', dkim: 'PROCESSING_FAILED', dmarc: 'PROCESSING_FAILED' };

export interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
  /** The first bytes of the object (at most {@link STORED_HEADER_READ_BYTES}). */
  readonly head: Buffer;
  /** Envelope recipients the storing side recorded beside the object (local stand-in), if any. */
  readonly recordedRecipients?: readonly string[];
}

export interface StoredReceiptOptions {
  /** The domains this deployment serves, for the To/Cc/Delivered-To fallback. */
  readonly domains: readonly string[];
  /** The authserv-id of the receiving side's Authentication-Results. @default 'amazonses.com' */
  readonly authServId?: string;
}

/**
 * The receipt facts of a stored SES object (transport `ses`, message id = key basename), as the
 * lost notification would have given them, with `receiptNote` saying what was recovered how.
 */
export function storedReceiptOf(o: StoredObject, options: StoredReceiptOptions): ReceiptInfo {
  const messageId = o.key.slice(o.key.lastIndexOf('/') + 1);
  const headers = headerBlock(o.head);
  const ses = sesBlock(headers, messageId);
  const notes = ['recovered by the reconciler from the stored message'];
  let recipients: string[];
  if (o.recordedRecipients?.length) recipients = o.recordedRecipients.map((r) => r.toLowerCase());
  else if (ses?.recipient) recipients = [ses.recipient];
  else {
    recipients = headerRecipients(headers, options.domains);
    notes.push('envelope recipients not recorded; read from To/Cc/Delivered-To');
  }
  if (!ses) notes.push('no SES receipt headers; verdicts unknown');
  return {
    transport: { kind: 'ses', messageId },
    receivedAt: ses?.receivedAt ?? o.lastModified.toISOString(),
    recipients,
    mailFrom: ses?.mailFrom ?? '',
    verdicts: ses ? verdictsOf(ses.fields, options.authServId ?? 'amazonses.com') : UNKNOWN,
    raw: { bucket: o.bucket, key: o.key, size: o.size },
    receiptNote: notes.join('; '),
  };
}

type Header = { readonly name: string; readonly value: string };

/** The unfolded header lines up to the first empty line (or the end of what was read). */
function headerBlock(head: Buffer): Header[] {
  const text = head.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const lines = (end >= 0 ? text.slice(0, end) : text).split(/\r?\n/);
  const out: { name: string; value: string }[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && out.length > 0) out[out.length - 1]!.value += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(':');
      if (colon <= 0) break;
      out.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() });
    }
  }
  return out;
}

interface SesBlock {
  readonly fields: ReadonlyMap<string, string>;
  readonly mailFrom: string;
  readonly recipient?: string;
  readonly receivedAt?: string;
}

/** SES's leading block, or undefined when the object does not start with one for `messageId`. */
function sesBlock(headers: readonly Header[], messageId: string): SesBlock | undefined {
  const fields = new Map<string, string>();
  for (const h of headers) {
    if (!SES_HEADERS.has(h.name) || fields.has(h.name)) break;
    fields.set(h.name, h.value);
  }
  const returnPath = headers[0]?.name === 'return-path' ? fields.get('return-path') : undefined;
  const received = fields.get('received');
  if (returnPath === undefined || !received) return undefined;
  const id = /\bwith E?SMTPS?A? id ([A-Za-z0-9._-]+)/i.exec(received)?.[1];
  if (id !== messageId) return undefined;
  const recipient = /\bid [A-Za-z0-9._-]+\s+for <?([^\s<>;]+@[^\s<>;]+)>?\s*;/i.exec(received)?.[1]?.toLowerCase();
  const date = new Date(received.slice(received.lastIndexOf(';') + 1).trim());
  return {
    fields,
    mailFrom: /^<?([^<>]*)>?$/.exec(returnPath)?.[1]?.trim() ?? '',
    ...(recipient && { recipient }),
    ...(!Number.isNaN(date.getTime()) && { receivedAt: date.toISOString() }),
  };
}

function verdictsOf(fields: ReadonlyMap<string, string>, authServId: string): Verdicts {
  const scan = (name: string): VerdictStatus => {
    const v = fields.get(name)?.toUpperCase() as VerdictStatus | undefined;
    // SES omits the scan headers when scanning is off: DISABLED, as in the notification.
    return v === undefined ? 'DISABLED' : VERDICTS.has(v) ? v : 'PROCESSING_FAILED';
  };
  const results = authResults(fields.get('authentication-results'), authServId);
  if (!results) return { spam: scan('x-ses-spam-verdict'), virus: scan('x-ses-virus-verdict'), spf: 'PROCESSING_FAILED', dkim: 'PROCESSING_FAILED', dmarc: 'PROCESSING_FAILED' };
  return {
    spam: scan('x-ses-spam-verdict'),
    virus: scan('x-ses-virus-verdict'),
    spf: spfOf(results.get('spf')?.[0]),
    dkim: dkimOf(results.get('dkim') ?? []),
    dmarc: dmarcOf(results.get('dmarc')?.[0]),
  };
}

/** RFC 8601 `authserv-id; method=result ...; ...` with comments removed; undefined for another authserv-id. */
function authResults(value: string | undefined, authServId: string): Map<string, string[]> | undefined {
  if (!value) return undefined;
  const [id, ...rest] = stripComments(value).split(';');
  if (id?.trim().toLowerCase() !== authServId.toLowerCase()) return undefined;
  const out = new Map<string, string[]>();
  for (const part of rest) {
    const m = /^\s*([a-z0-9-]+)\s*=\s*([a-z]+)/i.exec(part);
    if (!m) continue;
    const method = m[1]!.toLowerCase();
    out.set(method, [...(out.get(method) ?? []), m[2]!.toLowerCase()]);
  }
  return out;
}

function stripComments(value: string): string {
  let depth = 0;
  let out = '';
  for (const ch of value) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

/** The same mappings SES (and the local stand-in, lambdas/local/mail-auth.ts) use on receipt. */
function spfOf(r: string | undefined): VerdictStatus {
  if (r === 'pass') return 'PASS';
  if (r === 'fail' || r === 'softfail') return 'FAIL';
  if (r === 'temperror') return 'PROCESSING_FAILED';
  return 'GRAY';
}

function dkimOf(rs: readonly string[]): VerdictStatus {
  if (rs.includes('pass')) return 'PASS';
  if (rs.some((r) => r === 'fail' || r === 'policy')) return 'FAIL';
  if (rs.includes('temperror')) return 'PROCESSING_FAILED';
  return 'GRAY';
}

function dmarcOf(r: string | undefined): VerdictStatus {
  if (r === 'pass') return 'PASS';
  if (r === 'fail') return 'FAIL';
  if (r === 'temperror') return 'PROCESSING_FAILED';
  return 'GRAY';
}

/** Addresses in To, Cc and Delivered-To on a served domain, lower-cased, each once. */
function headerRecipients(headers: readonly Header[], domains: readonly string[]): string[] {
  const found = new Set<string>();
  for (const h of headers) {
    if (h.name !== 'to' && h.name !== 'cc' && h.name !== 'delivered-to') continue;
    for (const m of h.value.matchAll(/[^\s<>,;:"()[\]]+@[^\s<>,;:"()[\]]+/g)) {
      const address = m[0].toLowerCase();
      if (isServedAddress(address, domains)) found.add(address);
    }
  }
  return [...found];
}
