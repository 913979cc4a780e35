/**
 * SPF, DKIM and DMARC verdicts for the local SES stand-in, computed with mailauth the way SES
 * computes them on receipt. DNS lookups are bounded: where DNS is unreachable a check ends in
 * PROCESSING_FAILED (SES's value for "could not evaluate"), never in a hang.
 */
import { promises as dns } from 'node:dns';
import type { Readable } from 'node:stream';
import { authenticate } from 'mailauth';
import type { VerdictStatus, Verdicts } from '../core/message.ts';

/** One DNS lookup may take this long; a local runtime must answer an SMTP client promptly. */
const DNS_TIMEOUT_MS = 2_000;

export interface AuthInput {
  /** The message; a stream is read once, to its end, and never gathered whole. */
  readonly raw: Buffer | Readable;
  readonly ip: string;
  readonly helo: string;
  readonly mailFrom: string;
  readonly mta: string;
}

export interface AuthResult {
  readonly verdicts: Verdicts;
  /** Received-SPF and Authentication-Results header lines to prepend, as SES does. */
  readonly headers: string;
}

export type MailAuthenticator = (input: AuthInput) => Promise<AuthResult>;

/**
 * Creates an authenticator that resolves through `dnsServers` (`ip` or `ip:port`), or through the
 * system's resolvers when none are given. Tests pass a DNS server on loopback.
 */
export function createMailAuthenticator(options: { dnsServers?: readonly string[]; timeoutMs?: number } = {}): MailAuthenticator {
  const resolver = new dns.Resolver({ timeout: options.timeoutMs ?? DNS_TIMEOUT_MS, tries: 1 });
  if (options.dnsServers?.length) resolver.setServers([...options.dnsServers]);
  const resolve = (name: string, rrtype: string): Promise<unknown> => resolver.resolve(name, rrtype as 'TXT');
  return (input) => authenticateMessage(input, resolve);
}

/**
 * Authenticates one message. Spam and virus scanning have no local engine, so those verdicts are
 * DISABLED (SES's value when scanning is off), stated plainly rather than faked as PASS.
 */
async function authenticateMessage(input: AuthInput, resolve: (name: string, rrtype: string) => Promise<unknown>): Promise<AuthResult> {
  try {
    const result = await authenticate(input.raw, {
      ip: input.ip,
      helo: input.helo,
      sender: input.mailFrom,
      mta: input.mta,
      resolver: resolve as never,
      disableArc: true,
      disableBimi: true,
    });
    return {
      verdicts: {
        spam: 'DISABLED',
        virus: 'DISABLED',
        spf: spfVerdict(result.spf ? result.spf.status?.result : undefined),
        dkim: dkimVerdict((result.dkim?.results ?? []).map((r: { status?: { result?: string } }) => r.status?.result)),
        dmarc: dmarcVerdict(result.dmarc ? result.dmarc.status?.result : undefined),
      },
      headers: result.headers ?? '',
    };
  } catch {
    return {
      verdicts: { spam: 'DISABLED', virus: 'DISABLED', spf: 'PROCESSING_FAILED', dkim: 'PROCESSING_FAILED', dmarc: 'PROCESSING_FAILED' },
      headers: '',
    };
  }
}

/** RFC 7208 results onto SES's verdicts. */
export function spfVerdict(result: string | undefined): VerdictStatus {
  switch (result) {
    case 'pass':
      return 'PASS';
    case 'fail':
    case 'softfail':
      return 'FAIL';
    case 'temperror':
      return 'PROCESSING_FAILED';
    default:
      return 'GRAY';
  }
}

/** Any passing signature passes, as in SES; no signature at all is GRAY. */
export function dkimVerdict(results: readonly (string | undefined)[]): VerdictStatus {
  if (results.includes('pass')) return 'PASS';
  if (results.some((r) => r === 'fail' || r === 'policy')) return 'FAIL';
  if (results.includes('temperror')) return 'PROCESSING_FAILED';
  return 'GRAY';
}

export function dmarcVerdict(result: string | undefined): VerdictStatus {
  switch (result) {
    case 'pass':
      return 'PASS';
    case 'fail':
      return 'FAIL';
    case 'temperror':
      return 'PROCESSING_FAILED';
    default:
      return 'GRAY';
  }
}
