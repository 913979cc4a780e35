/**
 * The mail-loop guard: tells automatic mail (bounces, reports, auto-replies, list mail) from mail a
 * person wrote, so that Postroom never answers a machine and never opens an interaction for one.
 *
 * Ingest reads the verdict: a non-`none` message that threads onto an interaction attaches there;
 * one that matches no interaction is set aside with {@link LoopVerdict.setAsideReason}. Only `none`
 * mail from a person's address may be auto-acknowledged, at most once per sender per 24 hours
 * ({@link autoAckDecision}, {@link ackAllowed}). Header values come from the MIME adapter (lower-cased
 * names, first occurrence, bounded length), so every check here reads bounded strings.
 */
import type { AttachmentMeta, MailAddress } from '../message.ts';
import { isServedAddress } from '../deployment-settings.ts';

/**
 * - `bounce`: a delivery status notification (RFC 3464) or an MTA's failure notice
 * - `report`: a feedback (RFC 5965 ARF) or disposition (RFC 8098 read receipt) report
 * - `auto-reply`: RFC 3834 auto-submitted mail, vacation replies, mail from a null sender or a loop
 * - `list`: mailing-list or bulk mail (RFC 2369/2919 List-* headers, Precedence)
 * - `none`: nothing automatic was detected
 */
export type LoopKind = 'bounce' | 'report' | 'auto-reply' | 'list' | 'none';

export interface LoopVerdict {
  readonly kind: LoopKind;
  /** Every signal found, for the trail; empty for `none`. */
  readonly reasons: readonly string[];
  /** False for any automatic mail: answering a machine is how loops start (RFC 3834 section 2). */
  readonly mayAutoAcknowledge: boolean;
  /** Set for automatic mail: why it is set aside when it matches no interaction. */
  readonly setAsideReason?: Exclude<LoopKind, 'none'>;
}

/** The message facts the guard reads (from ReceiptInfo and ParsedMail). */
export interface LoopFacts {
  /** Envelope sender; `''` is the null sender `<>` of bounces and notifications. */
  readonly mailFrom: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly attachments: readonly Pick<AttachmentMeta, 'contentType'>[];
}

/** At most one auto-acknowledgement per sender per day: a loop that slips through stays slow. */
export const ACK_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** X-Auto-Response-Suppress values (MS-OXCMAIL 2.2.3.2.14); `None` asks for nothing. */
const SUPPRESS_VALUES = new Set(['all', 'dr', 'ndr', 'rn', 'nrn', 'oof', 'autoreply']);
const BULK_PRECEDENCE = new Set(['bulk', 'list', 'junk']);
const DSN_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const REPORT_TYPES = new Set(['message/feedback-report', 'message/disposition-notification', 'message/global-disposition-notification']);
/** Local parts of role and robot senders that must never get an automatic answer. */
const NO_REPLY_LOCAL = /^(?:mailer-daemon|postmaster|bounces?|daemon)(?:[-+_.].*)?$|no[-_.]?reply|do[-_.]?not[-_.]?reply/;

/**
 * Classifies one message. The strongest kind wins (bounce, report, auto-reply, list) and all
 * signals are listed. X-Auto-Response-Suppress counts as automatic: Exchange and ticket systems set
 * it on machine-made mail (out-of-office replies, notifications) to ask other machines not to
 * answer; Outlook does not set it on mail a person writes.
 * @param options.loopMarker our own X-Loop value; a message carrying it is our own mail come back
 */
export function classifyLoop(facts: LoopFacts, options: { readonly loopMarker?: string } = {}): LoopVerdict {
  const h = facts.headers;
  const found: { kind: Exclude<LoopKind, 'none'>; reason: string }[] = [];
  const add = (kind: Exclude<LoopKind, 'none'>, reason: string) => found.push({ kind, reason });
  const parts = new Set(facts.attachments.map((a) => mediaType(a.contentType)));
  const rootType = mediaType(h['content-type'] ?? '');
  const reportType = rootType === 'multipart/report' ? parameter(h['content-type'] ?? '', 'report-type') : undefined;

  if (reportType === 'delivery-status' || reportType === 'global-delivery-status') add('bounce', `multipart/report; report-type=${reportType}`);
  for (const type of DSN_TYPES) if (parts.has(type)) add('bounce', `${type} part`);
  if (h['x-failed-recipients'] !== undefined) add('bounce', 'X-Failed-Recipients header');
  if (reportType === 'feedback-report' || reportType === 'disposition-notification') add('report', `multipart/report; report-type=${reportType}`);
  for (const type of REPORT_TYPES) if (parts.has(type)) add('report', `${type} part`);
  if (h['feedback-type'] !== undefined) add('report', `Feedback-Type: ${short(h['feedback-type'])}`);

  const autoSubmitted = token(h['auto-submitted']);
  if (autoSubmitted !== undefined && autoSubmitted !== 'no') add('auto-reply', `Auto-Submitted: ${short(h['auto-submitted'])}`);
  const suppress = (h['x-auto-response-suppress'] ?? '').toLowerCase().split(/[\s,;]+/).filter((v) => SUPPRESS_VALUES.has(v));
  if (suppress.length > 0) add('auto-reply', `X-Auto-Response-Suppress: ${short(h['x-auto-response-suppress'])}`);
  if (h['x-autoreply'] !== undefined || h['x-autorespond'] !== undefined) add('auto-reply', 'X-Autoreply/X-Autorespond header');
  const xLoop = h['x-loop'];
  if (xLoop !== undefined) {
    const ours = options.loopMarker !== undefined && xLoop.trim().toLowerCase() === options.loopMarker.trim().toLowerCase();
    add('auto-reply', ours ? `X-Loop carries our own marker ${short(xLoop)}` : `X-Loop: ${short(xLoop)}`);
  }
  if (facts.mailFrom.trim() === '' || facts.mailFrom.trim() === '<>') add('auto-reply', 'null envelope sender <>');

  const precedence = token(h['precedence']);
  if (precedence !== undefined && BULK_PRECEDENCE.has(precedence)) add('list', `Precedence: ${precedence}`);
  if (h['list-id'] !== undefined) add('list', `List-Id: ${short(h['list-id'])}`);
  if (h['list-unsubscribe'] !== undefined) add('list', 'List-Unsubscribe header');
  if (h['list-post'] !== undefined) add('list', 'List-Post header');

  const order: Exclude<LoopKind, 'none'>[] = ['bounce', 'report', 'auto-reply', 'list'];
  const kind = order.find((k) => found.some((f) => f.kind === k));
  if (kind === undefined) return { kind: 'none', reasons: [], mayAutoAcknowledge: true };
  return { kind, reasons: found.map((f) => f.reason), mayAutoAcknowledge: false, setAsideReason: kind };
}

/** Whether to send an auto-acknowledgement, before the per-sender limiter is asked, and why. */
export interface AckDecision {
  readonly allowed: boolean;
  readonly reason: string;
}

/**
 * Whether a message may be auto-acknowledged at all: only mail the guard found to be `none`, to a
 * reply address that is not one of ours (on `ourDomains`) and not a robot or role address
 * (MAILER-DAEMON, postmaster, noreply, no-reply, do-not-reply, bounces). The limiter
 * ({@link ackAllowed}) still has the last word.
 */
export function autoAckDecision(loop: LoopVerdict, recipient: string | undefined, ourDomains: readonly string[]): AckDecision {
  if (!loop.mayAutoAcknowledge) return { allowed: false, reason: `automatic mail (${loop.kind}): ${loop.reasons.join('; ')}` };
  if (recipient === undefined || !recipient.includes('@')) return { allowed: false, reason: 'no address to acknowledge to' };
  const address = recipient.trim().toLowerCase();
  if (isServedAddress(address, ourDomains)) return { allowed: false, reason: `${address} is one of our own addresses` };
  const local = address.slice(0, address.lastIndexOf('@'));
  if (NO_REPLY_LOCAL.test(local)) return { allowed: false, reason: `${address} is a no-reply or system address` };
  return { allowed: true, reason: `${address} may be acknowledged once per 24 hours` };
}

/** The address an acknowledgement goes to: the first Reply-To, else From; lower-cased. */
export function ackRecipient(mail: { readonly from?: MailAddress; readonly replyTo: readonly MailAddress[] }): string | undefined {
  return (mail.replyTo[0] ?? mail.from)?.address.trim().toLowerCase() || undefined;
}

/**
 * The limiter's rule: a sender may be acknowledged at `at` when it never was, or when the last
 * acknowledgement is at least {@link ACK_INTERVAL_MS} old.
 */
export function ackAllowed(lastAckAt: Date | undefined, at: Date): boolean {
  return lastAckAt === undefined || at.getTime() - lastAckAt.getTime() >= ACK_INTERVAL_MS;
}

/** The media type of a Content-Type value, lower-cased, without parameters. */
function mediaType(value: string): string {
  return (value.split(';', 1)[0] ?? '').trim().toLowerCase();
}

/** One parameter of a header value, unquoted and lower-cased (`report-type=delivery-status`). */
function parameter(value: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*"?([^";\\s]+)"?`, 'i').exec(value);
  return match?.[1]?.toLowerCase();
}

/** The first token of a header value (`auto-generated (failure)` -> `auto-generated`). */
function token(value: string | undefined): string | undefined {
  const first = value?.trim().toLowerCase().split(/[\s;(]/, 1)[0];
  return first === undefined || first === '' ? undefined : first;
}

/** Header values are bounded by the MIME adapter; the trail needs only their start. */
function short(value: string | undefined): string {
  const v = (value ?? '').trim();
  return v.length > 80 ? `${v.slice(0, 80)}...` : v;
}
