/**
 * At most `limit` store tasks in flight while the session goes on fetching: storing and enqueuing
 * one message (an S3 PUT and an SQS send) costs several times its fetch, so the pollers overlap
 * them. The first failure is kept and thrown by {@link TaskPool.add} and {@link TaskPool.drain},
 * so nothing after a failed store is flagged \Seen, deleted or passed by the cursor.
 */
export class TaskPool {
  private readonly running = new Set<Promise<void>>();
  private failure: { readonly error: unknown } | undefined;

  /** @param limit tasks in flight at most */
  constructor(private readonly limit: number) {}

  /** Starts `task` once fewer than `limit` run; throws the first failure of an earlier task. */
  async add(task: () => Promise<void>): Promise<void> {
    await this.start(task);
  }

  /**
   * Like {@link add}, and answers the task's own outcome (`settled`: fulfills when it did, rejects
   * with its failure), so a caller can wait for some of the tasks (one chunk's stores).
   */
  async start(task: () => Promise<void>): Promise<{ readonly settled: Promise<void> }> {
    while (this.running.size >= this.limit && !this.failure) await Promise.race(this.running);
    if (this.failure) throw this.failure.error;
    const settled = task();
    const run: Promise<void> = settled
      .catch((error: unknown) => void (this.failure ??= { error }))
      .finally(() => this.running.delete(run));
    this.running.add(run);
    return { settled };
  }

  /** Waits for every task; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure.error;
  }
}
