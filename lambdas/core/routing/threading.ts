/**
 * Threading: a customer's reply joins its existing interaction instead of opening a new one.
 *
 * Core decides, the thread index (an adapter) looks up. Ingest calls {@link threadKeys} for what to
 * look up, asks the index, and passes both to {@link decideThread}. Evidence is taken in order of
 * strength: In-Reply-To, then References (closest ancestor first), then the reference token. A
 * Message-ID match is exact (our outgoing ids carry an unguessable part); a token is short and
 * typed by people, so it is trusted only inside the window and from the conversation's customer.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_THREAD_WINDOW_DAYS, MAX_THREAD_WINDOW_DAYS, MIN_THREAD_WINDOW_DAYS } from '../../../contract/routing-settings.ts';
import { ValidationError } from '../errors.ts';
import { ERROR_REASONS } from '../error-reasons.ts';
import type { AttachmentMeta, MailAddress } from '../message.ts';
import { findTokensInMessageIds, findTokensInSubject, type ReferenceToken } from './reference-token.ts';
import type { MessageIdClaim, MessageIdMatch, TokenMatch } from './thread-ports.ts';

/**
 * Message-IDs looked up per message: In-Reply-To plus the newest References. A deep thread's
 * References list runs to hundreds of ids (the MIME adapter keeps 50); the closest ancestors are at
 * its end and are the ones we sent or received lately. 20 keeps one BatchGetItem (limit 100) small.
 */
export const MAX_THREAD_LOOKUP_IDS = 20;
/** Ids longer than RFC 5322's line limit are not real Message-IDs and are not indexed. */
export const MAX_MESSAGE_ID_CHARS = 998;
/** Text hashed for probable duplicates: enough to tell two messages apart, bounded CPU per message. */
export const CONTENT_HASH_TEXT_CHARS = 16 * 1024;

const MS_PER_DAY = 86_400_000;

/**
 * The thread window in milliseconds for a configured number of days (default 30).
 * @throws ValidationError (field `threadWindowDays`) unless an integer from 1 to 30
 */
export function threadWindowMs(days: number = DEFAULT_THREAD_WINDOW_DAYS): number {
  if (!Number.isInteger(days) || days < MIN_THREAD_WINDOW_DAYS || days > MAX_THREAD_WINDOW_DAYS) {
    throw new ValidationError(
      { threadWindowDays: `must be a whole number of days from ${MIN_THREAD_WINDOW_DAYS} to ${MAX_THREAD_WINDOW_DAYS}` },
      {},
      { threadWindowDays: ERROR_REASONS.valueOutOfRange },
    );
  }
  return days * MS_PER_DAY;
}

/**
 * The index form of a Message-ID: without angle brackets and surrounding space, lower-cased.
 * Why lower-case: some gateways change the case of ids they relay, and two distinct ids differing
 * only by case are far rarer than that. Undefined for empty, spaced or over-long values.
 */
export function normalizeMessageId(raw: string | undefined): string | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_MESSAGE_ID_CHARS + 4) return undefined;
  const id = raw.trim().replace(/^<+/, '').replace(/>+$/, '').trim().toLowerCase();
  if (id === '' || id.length > MAX_MESSAGE_ID_CHARS || /[\s<>]/.test(id)) return undefined;
  return id;
}

/** The message facts threading reads (a subset of ParsedMail). */
export interface ThreadFacts {
  readonly messageId?: string;
  readonly inReplyTo?: string;
  readonly references: readonly string[];
  readonly subject: string;
  readonly from?: MailAddress;
}

/** What ingest asks the thread index for. */
export interface ThreadKeys {
  /** Normalized, In-Reply-To first, then References newest first; at most {@link MAX_THREAD_LOOKUP_IDS}. */
  readonly messageIds: readonly string[];
  /** Tokens in the subject, then tokens embedded in the ids above. */
  readonly tokens: readonly ReferenceToken[];
}

/** The ids and tokens to look up for one message, bounded, without repeats or the message's own id. */
export function threadKeys(mail: ThreadFacts): ThreadKeys {
  const own = normalizeMessageId(mail.messageId);
  const ids: string[] = [];
  const candidates = [mail.inReplyTo, ...[...mail.references].reverse()];
  for (const candidate of candidates) {
    if (ids.length >= MAX_THREAD_LOOKUP_IDS) break;
    const id = normalizeMessageId(candidate);
    if (id === undefined || id === own || ids.includes(id)) continue;
    ids.push(id);
  }
  const tokens = [...findTokensInSubject(mail.subject)];
  for (const token of findTokensInMessageIds(ids)) if (!tokens.includes(token)) tokens.push(token);
  return { messageIds: ids, tokens };
}

/** What the thread index returned for {@link threadKeys}. */
export interface ThreadLookups {
  readonly messageIds: readonly MessageIdMatch[];
  readonly tokens: readonly TokenMatch[];
}

/** Which evidence joined a message to its interaction, strongest first. */
export type ThreadEvidence = 'in-reply-to' | 'references' | 'token';

/** Join an interaction (with the evidence) or open a new one; `explanation` goes to the trail. */
export type ThreadDecision =
  | { readonly join: string; readonly by: ThreadEvidence; readonly explanation: string }
  | { readonly new: true; readonly explanation: string };

/**
 * Decides whether a message joins an existing interaction. A match older than the window (TTL
 * deletion lags by up to two days, so age is checked here), a token nobody issued, and a token
 * used by a sender other than the conversation's customer are ignored, each with its reason in the
 * explanation. Why the sender check: a token is short and visible, so it must not let a stranger
 * write into someone else's conversation; Message-ID matches need no such check.
 * @param options.windowDays validated with {@link threadWindowMs}; default 30
 */
export function decideThread(
  mail: ThreadFacts,
  lookups: ThreadLookups,
  options: { readonly now: Date; readonly windowDays?: number },
): ThreadDecision {
  const windowMs = threadWindowMs(options.windowDays);
  const windowText = `${windowMs / MS_PER_DAY}-day window`;
  const fresh = (iso: string) => options.now.getTime() - Date.parse(iso) <= windowMs;
  const ignored: string[] = [];
  const byId = new Map(lookups.messageIds.map((m) => [m.messageId, m]));
  const keys = threadKeys(mail);
  const inReplyTo = normalizeMessageId(mail.inReplyTo);

  for (const id of keys.messageIds) {
    const match = byId.get(id);
    if (!match) continue;
    const by: ThreadEvidence = id === inReplyTo ? 'in-reply-to' : 'references';
    const what = `${by === 'in-reply-to' ? 'In-Reply-To' : 'References'} <${id}> (${match.direction === 'out' ? 'sent by us' : 'received'} ${match.at})`;
    if (!fresh(match.at)) {
      ignored.push(`${what} is older than the ${windowText}`);
      continue;
    }
    return { join: match.interactionId, by, explanation: withIgnored(`${what} belongs to ${match.interactionId}`, ignored) };
  }

  const sender = mail.from?.address.toLowerCase();
  const byToken = new Map(lookups.tokens.map((t) => [t.token, t]));
  for (const token of keys.tokens) {
    const match = byToken.get(token);
    if (!match) {
      ignored.push(`token ${token} belongs to no known interaction`);
      continue;
    }
    if (!fresh(match.lastAt)) {
      ignored.push(`token ${token} of ${match.interactionId} was last active ${match.lastAt}, outside the ${windowText}`);
      continue;
    }
    if (match.customer !== undefined && match.customer !== sender) {
      ignored.push(`token ${token} of ${match.interactionId} is used by ${sender ?? 'an unknown sender'}, not by its customer`);
      continue;
    }
    return { join: match.interactionId, by: 'token', explanation: withIgnored(`reference token ${token} belongs to ${match.interactionId}`, ignored) };
  }

  const looked = keys.messageIds.length + keys.tokens.length;
  const base = looked === 0 ? 'no In-Reply-To, References or reference token' : 'no known Message-ID or token';
  return { new: true, explanation: withIgnored(`new interaction: ${base}`, ignored) };
}

/** The facts the probable-duplicate hash covers (a subset of ParsedMail). */
export interface ContentFacts {
  readonly from?: MailAddress;
  readonly date?: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly attachments: readonly Pick<AttachmentMeta, 'size' | 'checksum'>[];
}

/**
 * The content hash of a message for probable duplicates (decision 4): sha256 hex over the sender
 * address, the Date, the subject (whitespace folded), the first {@link CONTENT_HASH_TEXT_CHARS} of
 * the text body (of the HTML body when there is no text) and the attachments' sizes and checksums.
 * Why only these: the same mail reaching two of our addresses (a forwarded copy and MX delivery)
 * differs in Received, Delivered-To, X-Original-To, Return-Path and DKIM/ARC/Authentication-Results,
 * never in what the author wrote.
 */
export function contentHash(mail: ContentFacts): string {
  const body = mail.text.trim() !== '' ? mail.text : (mail.html ?? '');
  const facts = [
    (mail.from?.address ?? '').trim().toLowerCase(),
    mail.date ?? '',
    mail.subject.normalize('NFC').replace(/\s+/g, ' ').trim(),
    body.slice(0, CONTENT_HASH_TEXT_CHARS).normalize('NFC').replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').trimEnd(),
    mail.attachments.map((a) => `${a.size}:${a.checksum ?? ''}`).sort(),
  ];
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex');
}

/** What ingest does with a Message-ID claim: attach to `duplicateOf`, or go on; with the reason. */
export interface DuplicateDecision {
  readonly duplicateOf?: string;
  /** ISO time the first copy claimed the Message-ID (a probable duplicate only). */
  readonly duplicateAt?: string;
  readonly explanation: string;
}

/**
 * Reads a {@link MessageIdClaim}. The same Message-ID with the same content hash is the same mail
 * delivered twice (To and CC, forwarded copy and MX) and joins the first interaction; our own
 * outgoing message coming back also attaches there and never opens a loop; the same Message-ID
 * with different content is a different message (a broken mailer reusing ids, or forgery), so it
 * goes on as new mail.
 */
export function duplicateDecision(claim: MessageIdClaim, messageId: string): DuplicateDecision {
  if (claim === 'new') return { explanation: `Message-ID <${messageId}> seen for the first time` };
  if ('existing' in claim) {
    return {
      duplicateOf: claim.existing,
      ...(claim.at !== undefined && { duplicateAt: claim.at }),
      explanation: `probable duplicate: Message-ID <${messageId}> with the same content already joined ${claim.existing}`,
    };
  }
  if ('ours' in claim) {
    return { duplicateOf: claim.ours, explanation: `Message-ID <${messageId}> is one we sent for ${claim.ours}; our own message came back` };
  }
  return {
    explanation: `not a duplicate: Message-ID <${messageId}> was used by ${claim.differs} for different content (sender, date, subject or body differ)`,
  };
}

function withIgnored(decision: string, ignored: readonly string[]): string {
  return ignored.length === 0 ? decision : `${decision}; ignored: ${ignored.join('; ')}`;
}
