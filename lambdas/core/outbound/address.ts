/**
 * One e-mail address as Postroom sends to it (issue 11 item 6): parsed and normalized before the
 * route decision and before it can reach a header. Local part kept as written (RFC 5321 2.4: only
 * the receiving host may interpret its case), domain lower-case with IDN labels as punycode, and
 * anything that is not exactly one bare address refused: a CR, LF, NUL or other control character,
 * a Unicode line separator, a second address, a display name, a comment.
 *
 * Why so strict: an address ends up in a header (To, Cc, Reply-To, From) and in an SMTP command
 * (RCPT TO); a refusal here is the one place where a hostile value from an admin field, an agent
 * or an inbound mail is stopped before anything is composed.
 */
import { domainToASCII } from 'node:url';
import type { MailAddress } from '../message.ts';
import { displayNameProblem, flattenHeaderText } from './header-text.ts';

/** Limits of one address (RFC 5321 4.5.3.1). */
export const ADDRESS_PARTS_LIMITS = {
  /** RFC 5321 caps a forward path at 256 octets with its brackets, so an address at 254. */
  maxAddressChars: 254,
  /** RFC 5321 4.5.3.1.1: a local part of at most 64 octets. */
  maxLocalPartChars: 64,
  /** RFC 1035 2.3.4: a label of at most 63 octets. */
  maxLabelChars: 63,
} as const;

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** RFC 5322 3.2.3 atext: the characters of a dot-atom local part (no quoted local parts: rare, and a hiding place). */
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** A letter-digit-hyphen label of a host name (RFC 5890 2.3.1), after IDN conversion. */
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
/** What separates or wraps addresses in a header: a second address or a display name. */
const LIST_SYNTAX = /[\s,;<>()"[\]\\:]/;

/** A parsed address, or why it is refused (a field-level message). */
export type AddressParse = { readonly ok: true; readonly address: string } | { readonly ok: false; readonly problem: string };

/**
 * Parses one bare address (`Help.Desk@Bücher.Example` -> `Help.Desk@xn--bcher-kva.example`).
 * Leading and trailing spaces are trimmed; nothing else is repaired.
 * @returns the normalized address, or a message saying what is wrong, for a field-level error
 */
export function parseMailAddress(raw: string): AddressParse {
  const value = raw.trim();
  if (value === '') return refuse('must be an e-mail address');
  if (CONTROL.test(value)) return refuse('must not contain line breaks or control characters');
  if (LIST_SYNTAX.test(value)) return refuse('must be one bare e-mail address (no name, brackets, spaces, commas or semicolons)');
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1 || value.indexOf('@') !== at) return refuse('must be one e-mail address: local-part@domain');
  const local = value.slice(0, at);
  if (local.length > ADDRESS_PARTS_LIMITS.maxLocalPartChars || !DOT_ATOM.test(local)) {
    return refuse(`must have a local part of at most ${ADDRESS_PARTS_LIMITS.maxLocalPartChars} ASCII letters, digits and . ! # $ % & ' * + / = ? ^ _ \` { | } ~ -`);
  }
  const domain = hostName(value.slice(at + 1));
  if (domain === undefined) return refuse('must have a domain name such as example.com (IDN allowed)');
  const address = `${local}@${domain}`;
  if (address.length > ADDRESS_PARTS_LIMITS.maxAddressChars) return refuse(`must be at most ${ADDRESS_PARTS_LIMITS.maxAddressChars} characters`);
  return { ok: true, address };
}

/**
 * The normalized address, or undefined when `raw` is not exactly one valid address.
 * @see parseMailAddress for the rules
 */
export function normalizeMailAddress(raw: string): string | undefined {
  const parsed = parseMailAddress(raw);
  return parsed.ok ? parsed.address : undefined;
}

/** A named address as the composer uses it: the address normalized, the name flattened. */
export type NamedAddressParse = { readonly ok: true; readonly value: MailAddress } | { readonly ok: false; readonly problem: string };

/**
 * Normalizes `{ name, address }` as the composer writes it (a recipient, a From, a Reply-To): the
 * address must be exactly one address; the name is flattened to one line (header-text.ts) and
 * dropped when blank. Why a name is not refused here: at the last line a name may come from an
 * inbound mail (`"kunde@example.org" <kunde@example.org>` is common), and the composer encodes it
 * so that it stays a name; edges refuse bad names with {@link displayNameProblem}. Legacy records
 * store a bare string; it counts as an address without a name.
 * @returns the normalized value, or the problem (`address ...`)
 */
export function parseNamedAddress(value: MailAddress | string): NamedAddressParse {
  const raw = typeof value === 'string' ? { address: value } : value;
  const address = parseMailAddress(raw.address);
  if (!address.ok) return { ok: false, problem: `address ${address.problem}` };
  const name = raw.name === undefined ? '' : flattenHeaderText(raw.name);
  return { ok: true, value: name === '' ? { address: address.address } : { name, address: address.address } };
}

/**
 * {@link parseNamedAddress} for an edge (an agent's recipients, an admin's from name), where a
 * name that breaks {@link displayNameProblem} is refused rather than flattened.
 * @returns the normalized value, or the first problem (`name ...` / `address ...`)
 */
export function parseNamedAddressStrict(value: MailAddress): NamedAddressParse {
  const nameProblem = value.name === undefined ? undefined : displayNameProblem(value.name.trim());
  if (nameProblem) return { ok: false, problem: `name ${nameProblem}` };
  return parseNamedAddress(value);
}

/** The domain as a lower-case ASCII host name (IDN labels as punycode, RFC 5891), or undefined. */
function hostName(raw: string): string | undefined {
  if (raw.endsWith('.')) return undefined;
  // domainToASCII applies UTS #46 (case folding, width mapping, punycode); '' means it is no domain.
  const ascii = domainToASCII(raw);
  if (ascii === '' || ascii.length > ADDRESS_PARTS_LIMITS.maxAddressChars) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2) return undefined;
  if (!labels.every((l) => l.length <= ADDRESS_PARTS_LIMITS.maxLabelChars && LDH_LABEL.test(l))) return undefined;
  // A top-level domain is never all digits (RFC 3696 2); this keeps IPv4-like hosts out.
  return /^[0-9]+$/.test(labels.at(-1)!) ? undefined : ascii;
}

function refuse(problem: string): AddressParse {
  return { ok: false, problem };
}
