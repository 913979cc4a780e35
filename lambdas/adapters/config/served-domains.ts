/**
 * The served domain names as routing and the receivers read them ({@link ServedDomains}): the
 * domain store's list, cached per container like the rest of the routing configuration
 * (routing-config-source.ts), so a domain added through the API receives mail without a redeploy.
 *
 * Why a refresh on a miss: the cache alone would let a just-added domain wait a whole
 * {@link CONFIG_CACHE_TTL_MS}; asking the store again when a name is not in the list serves it
 * within {@link MISSED_DOMAIN_REFRESH_MS}. Why that refresh is bounded: mail for a domain that is
 * not served (a flood of it, locally; a removed domain's stragglers in AWS) must cost one read per
 * interval, not one per message.
 *
 * Why a read failure is not "not served": the message would be disposed of because of an outage.
 * A failed reload keeps the last good list; with no list at all, or when only the store can say
 * whether a missed name was added meanwhile, the error is rethrown so the message is retried.
 */
import type { DomainStore, ServedDomains } from '../../core/domains/domain.ts';
import { CONFIG_CACHE_TTL_MS } from './routing-config-source.ts';

/**
 * After a miss, the list is read again only if the last good read is at least this old: a name
 * added through the API is served within seconds, while mail for unserved names costs at most one
 * read of the store per interval and container.
 */
export const MISSED_DOMAIN_REFRESH_MS = 5_000;

/** Options of {@link CachedServedDomains}; every one has a default. */
export interface CachedServedDomainsOptions {
  /** Milliseconds since the epoch. @default Date.now */
  readonly clock?: () => number;
  /** How long a read list is used before it is read again. @default CONFIG_CACHE_TTL_MS */
  readonly ttlMs?: number;
  /** The minimum age of the list before a miss reads it again. @default MISSED_DOMAIN_REFRESH_MS */
  readonly missRefreshMs?: number;
  /** Told every failed read that was answered from the last good list. @default a warning on stderr */
  readonly onStaleList?: (err: unknown) => void;
}

interface Snapshot {
  readonly names: ReadonlySet<string>;
  readonly list: readonly string[];
  /** When the read that produced it started. */
  readonly readAt: number;
}

/** {@link ServedDomains} over {@link DomainStore.list}, cached with a bounded refresh on a miss. */
export class CachedServedDomains implements ServedDomains {
  private snapshot?: Snapshot;
  /** The read in progress: concurrent callers share it, so a burst of mail is one read. */
  private reading?: Promise<Snapshot>;
  /**
   * The last failed read. For MISSED_DOMAIN_REFRESH_MS after it, its error is the answer without a
   * read: during an outage or throttling, each message must not send the store one more read.
   */
  private failure?: { readonly at: number; readonly err: unknown };
  /** The last error told to onStaleList. */
  private reported: unknown;
  private readonly clock: () => number;
  private readonly ttlMs: number;
  private readonly missRefreshMs: number;
  private readonly onStaleList: (err: unknown) => void;

  constructor(
    private readonly store: Pick<DomainStore, 'list'>,
    options: CachedServedDomainsOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.ttlMs = options.ttlMs ?? CONFIG_CACHE_TTL_MS;
    this.missRefreshMs = options.missRefreshMs ?? MISSED_DOMAIN_REFRESH_MS;
    this.onStaleList = options.onStaleList ?? warn;
  }

  /**
   * The served names, lower-case, read within the TTL.
   * @throws the store's error when no list was ever read
   */
  async list(): Promise<readonly string[]> {
    return (await this.current()).list;
  }

  /**
   * True when `name` (any case, a trailing dot ignored) is served. A miss reads the store again
   * when the list is at least {@link MISSED_DOMAIN_REFRESH_MS} old.
   * @throws the store's error when no list was ever read, or when a miss needed a read that failed
   */
  async has(name: string): Promise<boolean> {
    const wanted = name.toLowerCase().replace(/\.$/, '');
    const known = await this.current();
    if (known.names.has(wanted)) return true;
    if (this.clock() - known.readAt < this.missRefreshMs) return false;
    return (await this.read()).names.has(wanted);
  }

  /** The snapshot within its TTL, else a new one; a failed refresh falls back to the last good one. */
  private async current(): Promise<Snapshot> {
    const last = this.snapshot;
    if (last && this.clock() - last.readAt < this.ttlMs) return last;
    try {
      return await this.read();
    } catch (err) {
      if (!last) throw err;
      // Once per failed read: during the back-off the same error answers every caller.
      if (err !== this.reported) this.onStaleList(err);
      this.reported = err;
      return last;
    }
  }

  private read(): Promise<Snapshot> {
    const failure = this.failure;
    if (failure && this.clock() - failure.at < this.missRefreshMs) return Promise.reject(failure.err);
    this.reading ??= this.readOnce().finally(() => {
      // Must happen, success or not: the next caller starts a new read.
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readOnce(): Promise<Snapshot> {
    const readAt = this.clock();
    let list: string[];
    try {
      list = (await this.store.list()).map((d) => d.name.toLowerCase());
    } catch (err) {
      this.failure = { at: readAt, err };
      throw err;
    }
    this.failure = undefined;
    const snapshot = { names: new Set(list), list, readAt };
    this.snapshot = snapshot;
    return snapshot;
  }
}

/**
 * The served names straight from the store, uncached: for the API, where an admin who has just
 * added a domain adds an address on it next, and requests are few.
 */
export function storedServedDomains(store: Pick<DomainStore, 'list'>): ServedDomains {
  const names = async () => (await store.list()).map((d) => d.name.toLowerCase());
  return {
    list: names,
    has: async (name) => (await names()).includes(name.toLowerCase().replace(/\.$/, '')),
  };
}

function warn(err: unknown): void {
  const reason = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${JSON.stringify({ level: 'WARN', message: 'served domains: read failed, serving the last good list', reason })}\n`);
}
