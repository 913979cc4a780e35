/**
 * Strict IPv4 / IPv6 / CIDR parsing for SPF `ip4:` and `ip6:` mechanisms (RFC 7208 5.6), and the
 * SPF mechanism for one sending server. Seed 000's own sender lists hold malformed values such as
 * `69169235170` (a dotted address with its dots lost): a lax parser would publish them and SPF
 * would fail for every receiver (RFC 7208 4.6: a syntax error is a permerror), so every value is
 * checked against the RFC grammar and a bad one is refused with a message that names it.
 */
import { DOMAIN_NAME } from '../../../contract/recipient-domains.ts';

/** A parsed `ip4`/`ip6` network: `key` is canonical, so `1.2.3.4/32` and `1.2.3.4` are one network. */
export interface IpNetwork {
  readonly version: 4 | 6;
  /** `ip4:<address>[/<prefix>]` or `ip6:…`, as it is published (the input's spelling, lower-case). */
  readonly mechanism: string;
  /** The same network, spelled canonically (IPv6 fully expanded, a full-length prefix dropped). */
  readonly key: string;
}

/**
 * RFC 7208 `qnum`: 0-255 without leading zeros. `010` is refused rather than read as 10 or as
 * octal 8, since receivers disagree on which.
 */
const QNUM = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${QNUM}(?:\\.${QNUM}){3}$`);
/** RFC 7208 `ip4-cidr-length` / `ip6-cidr-length`: decimal without leading zeros. */
const CIDR_LENGTH = /^(?:0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/;
/** Address length in bits: the longest CIDR prefix of each version. */
const PREFIX_BITS = { 4: 32, 6: 128 } as const;

/** The four octets of a dotted-quad IPv4 address, or undefined when it is not one. */
export function parseIpv4(text: string): number[] | undefined {
  return IPV4.test(text) ? text.split('.').map(Number) : undefined;
}

/**
 * The eight 16-bit groups of an IPv6 address (RFC 4291 2.2: hex groups, one `::`, an embedded
 * dotted quad last), or undefined when it is not one. Zone ids (`%eth0`) are refused: they mean
 * nothing outside the host.
 */
export function parseIpv6(text: string): number[] | undefined {
  const lower = text.toLowerCase();
  const halves = lower.split('::');
  if (halves.length > 2) return undefined;
  const [head, tail] = [groupsOf(halves[0]!, halves.length === 1), halves.length === 2 ? groupsOf(halves[1]!, true) : []];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  // `::` stands for at least one zero group.
  if (head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

function groupsOf(part: string, mayEndInIpv4: boolean): number[] | undefined {
  if (part === '') return [];
  const groups = part.split(':');
  const out: number[] = [];
  for (const [i, group] of groups.entries()) {
    if (mayEndInIpv4 && i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIpv4(group);
      if (!v4) return undefined;
      out.push(v4[0]! * 256 + v4[1]!, v4[2]! * 256 + v4[3]!);
    } else if (HEX_GROUP.test(group)) out.push(Number.parseInt(group, 16));
    else return undefined;
  }
  return out;
}

/**
 * Parses `address[/prefix]` as an IPv`version` network. `shown` is the value a message names
 * (@default `text`), for callers that stripped a prefix such as `ip4:`.
 * @returns the network, or a message that names the bad value and says what is wrong
 */
export function parseIpNetwork(text: string, version: 4 | 6, shown: string = text): IpNetwork | string {
  const value = text.toLowerCase();
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  const length = slash < 0 ? undefined : value.slice(slash + 1);
  const groups = version === 4 ? parseIpv4(address) : parseIpv6(address);
  if (!groups) return `not a valid IPv${version} address: ${quoted(shown)}`;
  const max = PREFIX_BITS[version];
  if (length !== undefined && (!CIDR_LENGTH.test(length) || Number(length) > max)) {
    return `not a valid IPv${version} CIDR: ${quoted(shown)} (the prefix length is 0-${max})`;
  }
  const canonical = version === 4 ? groups.join('.') : groups.map((g) => g.toString(16)).join(':');
  const prefix = length === undefined || Number(length) === max ? '' : `/${Number(length)}`;
  return { version, mechanism: `ip${version}:${value}`, key: `ip${version}:${canonical}${prefix}` };
}

/** An SPF mechanism for one sending server, with the key it is deduplicated by. */
export interface SenderMechanism {
  readonly mechanism: string;
  readonly key: string;
}

/**
 * The SPF mechanism that authorizes one SMTP server that sends for the domain: an IPv4 or IPv6
 * address with an optional CIDR prefix (`ip4:` / `ip6:`), or a host name (`a:host`, which costs
 * one DNS lookup). Explicit `ip4:`, `ip6:` and `a:` prefixes are accepted too. A value of digits
 * and dots is always read as IPv4, so `69169235170` is refused as an address rather than taken
 * for a host.
 * @returns the mechanism, or a message that names the bad value
 */
export function senderMechanism(sender: string): SenderMechanism | string {
  const value = sender.trim().toLowerCase();
  // `a:` without a further colon: `a:b::1` is an IPv6 address, not the host `b::1`.
  const explicit = /^(ip4|ip6):(.*)$/.exec(value) ?? /^(a):([^:]*)$/.exec(value);
  const kind = explicit?.[1] ?? (value.includes(':') ? 'ip6' : /^[0-9./]+$/.test(value) ? 'ip4' : 'a');
  const body = explicit?.[2] ?? value;
  if (kind === 'ip4' || kind === 'ip6') {
    const network = parseIpNetwork(body, kind === 'ip4' ? 4 : 6, sender);
    if (typeof network === 'string') return network;
    return { mechanism: network.mechanism, key: network.key };
  }
  const host = body.endsWith('.') ? body.slice(0, -1) : body;
  if (!DOMAIN_NAME.test(host)) return `not a valid IP address, CIDR or host name: ${quoted(sender)}`;
  return { mechanism: `a:${host}`, key: `a:${host}` };
}

/** Longer values are cut in messages: a message repeats admin input, it must not become the input. */
const QUOTED_CHARS = 80;

/** `value` as a JSON string literal (control characters escaped), cut to a readable length. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > QUOTED_CHARS ? `${value.slice(0, QUOTED_CHARS)}…` : value);
}
