/**
 * At most `limit` store tasks in flight while the session goes on fetching: storing one message (an
 * S3 PUT) costs several times its fetch, and from a Lambda it is a network round trip, so the
 * pollers overlap them. The first failure is kept and thrown by {@link TaskPool.add} and
 * {@link TaskPool.drain}, so nothing after a failed store is flagged \Seen, deleted or passed by the
 * cursor.
 *
 * A task may also carry a weight (the bytes of mail it holds): with `maxWeight`, tasks start only
 * while the weights in flight stay within it, so many small messages may be stored at once while
 * a few large ones bound the memory the same way. A single task heavier than `maxWeight` still
 * runs, alone.
 */
export class TaskPool {
  private readonly running = new Map<Promise<void>, number>();
  private weight = 0;
  private failure: { readonly error: unknown } | undefined;

  /**
   * @param limit tasks in flight at most
   * @param maxWeight the sum of the weights in flight at most (@default no bound)
   */
  constructor(
    private readonly limit: number,
    private readonly maxWeight = Number.POSITIVE_INFINITY,
  ) {}

  /** Starts `task` once there is room for it; throws the first failure of an earlier task. */
  async add(task: () => Promise<void>, weight = 0): Promise<void> {
    await this.start(task, weight);
  }

  /**
   * Like {@link add}, and answers the task's own outcome (`settled`: fulfills when it did, rejects
   * with its failure), so a caller can wait for some of the tasks (one chunk's stores).
   */
  async start(task: () => Promise<void>, weight = 0): Promise<{ readonly settled: Promise<void> }> {
    while (!this.failure && this.running.size > 0 && (this.running.size >= this.limit || this.weight + weight > this.maxWeight)) {
      await Promise.race(this.running.keys());
    }
    if (this.failure) throw this.failure.error;
    const settled = task();
    const run: Promise<void> = settled
      .catch((error: unknown) => void (this.failure ??= { error }))
      .finally(() => {
        this.running.delete(run);
        this.weight -= weight;
      });
    this.running.set(run, weight);
    this.weight += weight;
    return { settled };
  }

  /**
   * Records the failure of work a task left running past its slot (a store's enqueue): it stops
   * the pool as a failed task does, so no store starts after it.
   */
  fail(error: unknown): void {
    this.failure ??= { error };
  }

  /** Waits for every task; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.running.keys());
    if (this.failure) throw this.failure.error;
  }
}
