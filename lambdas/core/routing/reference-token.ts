/**
 * The reference token: a short, human-safe handle of an interaction (`PR-7K3QX9AB`) that outbound
 * places in subjects (`[PR-7K3QX9AB]`) and in Message-IDs (`<pr.7k3qx9ab.<unique>@<domain>>`), so a
 * customer's reply finds its interaction even when a mail client drops In-Reply-To and References.
 *
 * Subjects and Message-IDs are attacker-chosen text: every scan is bounded by a named length and
 * count, uses only linear regular expressions, and a checksum symbol rejects most forged or
 * mistyped tokens before anything is looked up.
 */
import { createHash } from 'node:crypto';

/** The fixed prefix people see; short, and unlikely in ordinary subject text followed by 8 symbols. */
export const REFERENCE_TOKEN_PREFIX = 'PR';
/**
 * Symbols of a token: 7 data symbols (35 bits of a hash of the interaction id) and 1 check symbol.
 * 35 bits keep an accidental collision unlikely among the interactions of one 30-day thread window
 * (birthday bound ~185,000), and threading never trusts a token alone (see threading.ts).
 */
export const REFERENCE_TOKEN_DATA_CHARS = 7;
/** Symbols after `PR-`: the data symbols and the check symbol. */
export const REFERENCE_TOKEN_CHARS = REFERENCE_TOKEN_DATA_CHARS + 1;
/** Crockford's base32: no I, L, O or U, so a token read aloud or retyped survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Odd weights are invertible mod 32: every single-symbol typo changes the check symbol. */
const CHECK_WEIGHTS = [1, 3, 5, 7, 9, 11, 13] as const;
/** Subjects are cut at 998 characters by the MIME adapter; scanning more is never needed. */
export const MAX_SUBJECT_SCAN_CHARS = 998;
/** Message-IDs from the MIME adapter are at most 996 characters; longer input is not one of ours. */
export const MAX_MESSAGE_ID_SCAN_CHARS = 996;
/** The unique part of an outgoing Message-ID: enough for 128 bits of randomness in base32/hex. */
export const MAX_UNIQUE_PART_CHARS = 64;
/** Tokens kept per subject: a real reply carries one or two; more is junk or abuse. */
export const MAX_TOKENS_PER_SUBJECT = 4;

const SUBJECT_TOKEN = /(?:^|[^0-9A-Za-z])PR[-_ ]?([0-9A-Za-z]{8})(?![0-9A-Za-z])/gi;
const MESSAGE_ID_TOKEN = /^<?pr\.([0-9a-z]{8})\.[^\s<>@]{1,64}@[^\s<>@]{1,255}>?$/i;
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** A token in its canonical form, `PR-` and 8 upper-case symbols with a valid check symbol. */
export type ReferenceToken = string & { readonly __brand: 'ReferenceToken' };

/**
 * The reference token of an interaction: 35 bits of sha256 of its id plus a check symbol. Why
 * derived and not random: every writer (ingest, outbound, a retry of either) computes the same
 * token without a read, so the token index can be written idempotently.
 */
export function referenceTokenFor(interactionId: string): ReferenceToken {
  const digest = createHash('sha256').update(`postroom-reference-token\n${interactionId}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte);
  const data: number[] = [];
  for (let i = REFERENCE_TOKEN_DATA_CHARS - 1; i >= 0; i--) data.push(Number((bits >> BigInt(i * 5 + 5)) & 31n));
  return `${REFERENCE_TOKEN_PREFIX}-${encode([...data, checkOf(data)])}` as ReferenceToken;
}

/**
 * The canonical token for 8 symbols as someone may have typed them (any case; O for 0, I or L for
 * 1 as Crockford allows), or undefined when they are not a token: wrong length, a foreign symbol
 * or a failing check symbol. Why accept look-alikes: people retype tokens from printed mail.
 */
export function parseReferenceToken(symbols: string): ReferenceToken | undefined {
  if (symbols.length !== REFERENCE_TOKEN_CHARS) return undefined;
  const values: number[] = [];
  for (const ch of symbols.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1')) {
    const value = ALPHABET.indexOf(ch);
    if (value < 0) return undefined;
    values.push(value);
  }
  const data = values.slice(0, REFERENCE_TOKEN_DATA_CHARS);
  if (checkOf(data) !== values[REFERENCE_TOKEN_DATA_CHARS]) return undefined;
  return `${REFERENCE_TOKEN_PREFIX}-${encode(values)}` as ReferenceToken;
}

/**
 * The valid tokens in a subject, in order of appearance, without repeats: `[PR-7K3QX9AB]`,
 * `Re: AW: Fwd: pr-7k3qx9ab`, `PR 7K3QX9AB`. Only the first {@link MAX_SUBJECT_SCAN_CHARS}
 * characters are read and at most {@link MAX_TOKENS_PER_SUBJECT} tokens returned. Never throws.
 */
export function findTokensInSubject(subject: string): ReferenceToken[] {
  const text = typeof subject === 'string' ? subject.slice(0, MAX_SUBJECT_SCAN_CHARS) : '';
  const found: ReferenceToken[] = [];
  for (const match of text.matchAll(SUBJECT_TOKEN)) {
    const token = parseReferenceToken(match[1] ?? '');
    if (token && !found.includes(token)) found.push(token);
    if (found.length >= MAX_TOKENS_PER_SUBJECT) break;
  }
  return found;
}

/**
 * The token embedded in one Message-ID we built (`<pr.<token>.<unique>@<domain>>`), or undefined
 * for any other id. Bounded: ids longer than {@link MAX_MESSAGE_ID_SCAN_CHARS} are not read.
 */
export function findTokenInMessageId(messageId: string): ReferenceToken | undefined {
  if (typeof messageId !== 'string' || messageId.length > MAX_MESSAGE_ID_SCAN_CHARS) return undefined;
  const match = MESSAGE_ID_TOKEN.exec(messageId.trim());
  return match ? parseReferenceToken(match[1] ?? '') : undefined;
}

/**
 * The tokens embedded in a list of Message-IDs (In-Reply-To first, then References newest first,
 * as threading reads them), without repeats; at most `max` ids are read.
 */
export function findTokensInMessageIds(messageIds: readonly string[], max = MAX_TOKENS_PER_SUBJECT): ReferenceToken[] {
  const found: ReferenceToken[] = [];
  for (const id of messageIds) {
    if (found.length >= max) break;
    const token = findTokenInMessageId(id);
    if (token && !found.includes(token)) found.push(token);
  }
  return found;
}

/**
 * An outgoing Message-ID carrying the token: `<pr.<token>.<unique>@<domain>>`. `unique` makes the
 * id unguessable and distinct per message; outbound passes random bytes, or a value derived from
 * the outbox record id so that a retry sends the very same id (decision 8).
 * @throws RangeError when `unique` is not 1-64 letters, digits or `-`, or `domain` is not a host name
 */
export function buildOutgoingMessageId(token: ReferenceToken, unique: string, domain: string): string {
  if (!/^[0-9A-Za-z-]+$/.test(unique) || unique.length > MAX_UNIQUE_PART_CHARS) {
    throw new RangeError(`the unique part of a Message-ID must be 1-${MAX_UNIQUE_PART_CHARS} letters, digits or '-'`);
  }
  if (domain.length > 253 || !DOMAIN.test(domain)) throw new RangeError(`'${domain.slice(0, 80)}' is not a host name`);
  const symbols = token.slice(REFERENCE_TOKEN_PREFIX.length + 1).toLowerCase();
  return `<pr.${symbols}.${unique.toLowerCase()}@${domain.toLowerCase()}>`;
}

/** The subject outbound sends: the token in brackets once, after the original subject. */
export function subjectWithToken(subject: string, token: ReferenceToken): string {
  return findTokensInSubject(subject).includes(token) ? subject : `${subject} [${token}]`.trim();
}

function checkOf(data: readonly number[]): number {
  let sum = 0;
  data.forEach((value, i) => (sum += value * (CHECK_WEIGHTS[i] ?? 1)));
  return sum % 32;
}

function encode(values: readonly number[]): string {
  return values.map((v) => ALPHABET[v]).join('');
}
