/**
 * How a mail server's free text is measured and read: lengths in characters, hosts as names or
 * IP addresses. Kept apart from the rules so the pollers' adapters can read a stored host the same
 * way the rules accepted it.
 */
import { parseIpv4, parseIpv6 } from '../domains/spf-address.ts';

/**
 * The length of `text` in characters as the seed's limits mean them: Unicode code points, so an
 * emoji or a CJK extension character counts once, not as the two UTF-16 units JavaScript's
 * `length` gives. Why not grapheme clusters: their segmentation changes with the Unicode version
 * of the runtime, and a stored value must not become too long after an upgrade; JSON Schema's
 * `maxLength` counts code points too.
 */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/**
 * Characters no setting may hold: control characters and the Unicode line and paragraph separators
 * (a line break in a name forges a log line or a CLI row, and U+2028 breaks a header where a name
 * reaches one, issue 11 item 6) and lone surrogates (not encodable as UTF-8, so DynamoDB and the
 * protocols cannot carry them).
 */
const CONTROL_OR_LONE_SURROGATE = /[\p{Cc}\p{Cs}\u2028\u2029]/u;

/** True when `text` holds a control character or a lone surrogate. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL_OR_LONE_SURROGATE.test(text);
}

/**
 * What a password may not hold: NUL separates the fields of SASL PLAIN (RFC 4616 2) and CR LF ends
 * a command line of IMAP, POP3 and SMTP, so no server could receive it; a lone surrogate has no
 * UTF-8 form. Everything else (spaces, tabs, any script) is part of the password.
 */
const PASSWORD_FORBIDDEN = /[\0\r\n\p{Cs}]/u;

/** True when `password` can be sent by every protocol and mechanism Postroom logs in with. */
export function isSendablePassword(password: string): boolean {
  return !PASSWORD_FORBIDDEN.test(password);
}

/** A host as the rules read it. */
export type HostKind = 'name' | 'ipv4' | 'ipv6';

/**
 * One DNS label in its Unicode form (IDNA U-label) or ASCII: letters, digits and combining marks of
 * any script and inner hyphens, at most 63 characters. The adapters convert to ASCII (punycode)
 * when they connect; a label too long in that form fails the connection test with its reason.
 */
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}-]{0,61}[\p{L}\p{N}\p{M}])?$/u;
/** RFC 3696 2: a top-level label is never all digits, so `mail.123` is no host name. */
const ALL_DIGITS = /^[0-9]+$/;
/** Dots that IDNA (UTS 46) maps to `.`: a Japanese input method types `。` between labels. */
const IDEOGRAPHIC_DOTS = /[\u3002\uff0e\uff61]/g;

/**
 * A host as it is stored and compared: trimmed, NFC, lower-case, ideographic dots as `.`, without a
 * trailing root dot, and an IPv6 address without its URL brackets (`[::1]` is `::1`).
 */
export function normalizeHost(host: string): string {
  let value = host.trim().toLowerCase().normalize('NFC').replace(IDEOGRAPHIC_DOTS, '.');
  // One root dot after a label; `a..` and `a .` stay as they are (invalid), so normalizing twice changes nothing more.
  value = value.replace(/(?<=[^.\s])\.$/u, '');
  // Only a valid address loses its brackets, for the same reason.
  if (value.startsWith('[') && value.endsWith(']') && parseIpv6(value.slice(1, -1))) value = value.slice(1, -1);
  return value;
}

/**
 * What a normalized host is: an IPv4 address (dotted quad), an IPv6 address (RFC 4291 text, no
 * zone id), a host name (one or more labels; a single label such as `localhost` or a container
 * name is a host name too), or undefined when it is none of them. A value of digits and dots is
 * always read as IPv4, so `69169235170` (an address that lost its dots) is refused, not looked up.
 */
export function hostKind(host: string): HostKind | undefined {
  if (host.includes(':')) return parseIpv6(host) ? 'ipv6' : undefined;
  if (/^[0-9.]+$/.test(host)) return parseIpv4(host) ? 'ipv4' : undefined;
  return isHostName(host) ? 'name' : undefined;
}

/** True for a normalized host name of one or more {@link LABEL}s whose last label is not all digits. */
export function isHostName(host: string): boolean {
  const labels = host.split('.');
  return labels.every((l) => LABEL.test(l)) && !ALL_DIGITS.test(labels[labels.length - 1]!);
}
