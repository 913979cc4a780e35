/**
 * Commits of a poll's chunks in their order, off the fetch's path (issue 10 item 8): the poll goes
 * on fetching the next chunks while an earlier chunk waits for its stores and then for its commit
 * (IMAP: \Seen, then the cursor). A chunk is committed only once its own stores fulfilled and every
 * earlier chunk is committed; chunks found ready together are committed as one group (one \Seen,
 * one cursor write), so a commit that lags behind the fetch catches up instead of queueing.
 */

/** A chunk waiting for its stores (`settled`); `ok` once they all fulfilled. */
interface Entry<C> {
  readonly chunk: C;
  readonly settled: Promise<unknown>;
  ok: boolean;
}

/**
 * At most `limit` chunks uncommitted (the fetch waits beyond, which bounds what a crash fetches
 * again); `commit` gets each group in order and answers false when the commit was refused (another
 * poll moved the cursor): nothing is committed after it. The first failure (a store of a queued
 * chunk, or `commit` itself) stops every later commit and is thrown by {@link add} and {@link drain}.
 */
export class OrderedCommits<C> {
  private readonly queue: Entry<C>[] = [];
  private uncommitted = 0;
  private loop: Promise<void> | undefined;
  private waiters: Array<() => void> = [];
  private failure: { readonly error: unknown } | undefined;
  private refused = false;

  /**
   * @param limit chunks queued or being committed at most
   * @param commit commits one group of ready chunks, in order; false: refused
   */
  constructor(
    private readonly limit: number,
    private readonly commit: (group: readonly C[]) => Promise<boolean>,
  ) {}

  /** True once a commit was refused: the caller stops fetching. */
  get stopped(): boolean {
    return this.refused;
  }

  /** Queues `chunk`, committed once `settled` fulfills; waits while `limit` chunks are uncommitted. */
  async add(chunk: C, settled: Promise<unknown>): Promise<void> {
    this.check();
    if (this.refused) return;
    const entry: Entry<C> = { chunk, settled, ok: false };
    settled.then(() => void (entry.ok = true), () => {});
    this.queue.push(entry);
    this.uncommitted++;
    this.loop ??= this.run();
    while (this.uncommitted >= this.limit && !this.failure && !this.refused) await new Promise<void>((wake) => this.waiters.push(wake));
    this.check();
  }

  /** Waits until every queued chunk is committed (or the commits stopped); throws the first failure. */
  async drain(): Promise<void> {
    while (this.loop) await this.loop;
    this.check();
  }

  /** Commits nothing more (the poll failed elsewhere); waits for a commit under way. */
  async abandon(): Promise<void> {
    this.refused = true;
    while (this.loop) await this.loop;
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.refused) {
        await this.queue[0]!.settled;
        if (this.refused) break;
        let n = 1;
        while (n < this.queue.length && this.queue[n]!.ok) n++;
        const group = this.queue.splice(0, n);
        if (!(await this.commit(group.map((e) => e.chunk)))) this.refused = true;
        this.uncommitted -= n;
        this.wake();
      }
    } catch (error) {
      this.failure ??= { error };
    } finally {
      this.loop = undefined;
      this.wake();
    }
  }

  private check(): void {
    if (this.failure) throw this.failure.error;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
