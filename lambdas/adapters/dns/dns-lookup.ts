/**
 * DNS lookups for the domain check (SPEC DOM-5), over node:dns's `Resolver` (c-ares): the records
 * an admin published, read through the configured servers or the system's resolvers. Every answer
 * is one of found / none / error, so the check states "missing" only when DNS said so, and a
 * silent or failing server is reported as such, within a bounded time, never as a missing record.
 */
import { promises as dns } from 'node:dns';
import type { DnsAnswer, DnsLookupPort, DnsRecordType } from '../../core/domains/model.ts';

/**
 * One try waits this long for an answer. Why: an admin runs `domain check` interactively and the
 * scheduled check covers every domain in one Lambda run; a public resolver answers in well under
 * a second, so 2 s only cuts off servers that are not answering.
 */
export const DNS_LOOKUP_TIMEOUT_MS = 2_000;

/** Tries per lookup: UDP loses a datagram now and then; a second try tells loss from a dead server. */
export const DNS_LOOKUP_TRIES = 2;

/** c-ares codes that mean "this name has no such record" rather than "DNS failed". */
const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA']);

/** Plain-language reasons for the failure codes, shown to the admin beside the record. */
const FAILURE_TEXT: Readonly<Record<string, string>> = {
  ESERVFAIL: 'the DNS server failed to answer (SERVFAIL)',
  EREFUSED: 'the DNS server refused the query',
  ETIMEOUT: 'no answer from the DNS server',
  ECONNREFUSED: 'could not reach the DNS server (connection refused)',
  EBADRESP: 'the DNS server sent a malformed answer',
};

/** Where and how patiently {@link createDnsLookup} asks. */
export interface DnsLookupOptions {
  /**
   * DNS servers, `ip` or `ip:port` (`[ip6]:port`), exactly as `postroom dev --dns` takes them.
   * @default the system's resolvers
   */
  readonly servers?: readonly string[];
  /** @default {@link DNS_LOOKUP_TIMEOUT_MS} */
  readonly timeoutMs?: number;
  /** @default {@link DNS_LOOKUP_TRIES} */
  readonly tries?: number;
}

/**
 * Creates the DNS lookup port. TXT answers come back with each record's strings joined (RFC 7208
 * 3.3: an SPF record split into strings is one record); MX answers as `"<preference> <host>"`;
 * names lower-case without the trailing dot. A lookup never takes longer than `timeoutMs * tries`:
 * c-ares backs off between tries, so the deadline is enforced here as well. Throws (at creation)
 * when a server is not an IP address.
 */
export function createDnsLookup(options: DnsLookupOptions = {}): DnsLookupPort {
  const timeoutMs = options.timeoutMs ?? DNS_LOOKUP_TIMEOUT_MS;
  const tries = options.tries ?? DNS_LOOKUP_TRIES;
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries });
  if (options.servers?.length) resolver.setServers([...options.servers]);
  const where = options.servers?.length ? ` (${options.servers.join(', ')})` : '';
  const deadlineMs = timeoutMs * tries;
  return {
    async lookup(name: string, type: DnsRecordType): Promise<DnsAnswer> {
      try {
        const values = await withDeadline(query(resolver, name, type), deadlineMs);
        // A name that is a CNAME answers a question for another type with the CNAME alone when the
        // target lacks that type; c-ares then resolves to an empty list: no record of this type.
        return values.length > 0 ? { kind: 'found', values } : { kind: 'none' };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (NO_RECORD.has(code)) return { kind: 'none' };
        const reason = FAILURE_TEXT[code] || `the lookup failed (${code || (error as Error).message})`;
        const timing = code === 'ETIMEOUT' ? ` within ${deadlineMs / 1000} s` : '';
        return { kind: 'error', message: `${reason}${timing}${where} for ${type} ${name}` };
      }
    },
  };
}

/** One query of one type; values normalised to the shapes the record plan uses. */
async function query(resolver: dns.Resolver, name: string, type: DnsRecordType): Promise<string[]> {
  switch (type) {
    case 'TXT':
      return (await resolver.resolveTxt(name)).map((strings) => strings.join(''));
    case 'MX':
      return (await resolver.resolveMx(name)).map((mx) => `${mx.priority} ${host(mx.exchange)}`);
    case 'CNAME':
      return (await resolver.resolveCname(name)).map(host);
  }
}

const host = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/**
 * Rejects with ETIMEOUT when `work` has not settled within `ms`. The timer is cleared when the work
 * settles and unref'd, so it never keeps a CLI process alive on its own.
 */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('deadline passed'), { code: 'ETIMEOUT' })), ms);
    timer.unref();
  });
  // The query may still settle after the deadline; its outcome is no longer wanted.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
