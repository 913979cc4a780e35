import { describe, expect, it } from 'vitest';
import { TaskPool } from '../../../../lambdas/core/mailboxes/task-pool.ts';

/** A task that runs until `finish` is called; `started` tells whether the pool began it. */
function gate() {
  let finish!: () => void;
  let fail!: (err: unknown) => void;
  const done = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
  const state = { started: false };
  return { state, finish, fail, task: async () => ((state.started = true), await done) };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('TaskPool', () => {
  it('runs at most `limit` tasks at once and starts the next when one ends', async () => {
    const pool = new TaskPool(2);
    const [a, b, c] = [gate(), gate(), gate()];
    await pool.add(a.task);
    await pool.add(b.task);
    const third = pool.add(c.task);
    await tick();
    expect(c.state.started).toBe(false);
    a.finish();
    await third;
    expect(c.state.started).toBe(true);
    b.finish(), c.finish();
    await pool.drain();
  });

  it('keeps the weights in flight within maxWeight, and lets one heavier task run alone', async () => {
    const pool = new TaskPool(64, 10);
    const [small1, small2, heavy, after] = [gate(), gate(), gate(), gate()];
    await pool.add(small1.task, 4);
    await pool.add(small2.task, 4);
    const third = pool.add(heavy.task, 12); // heavier than the bound: waits for an empty pool
    await tick();
    expect(heavy.state.started).toBe(false);
    small1.finish();
    await tick();
    expect(heavy.state.started).toBe(false);
    small2.finish();
    await third;
    expect(heavy.state.started).toBe(true);
    const fourth = pool.add(after.task, 1);
    await tick();
    expect(after.state.started).toBe(false);
    heavy.finish();
    await fourth;
    expect(after.state.started).toBe(true);
    after.finish();
    await pool.drain();
  });

  it('throws the first failure from the next add and from drain, and starts nothing after it', async () => {
    const pool = new TaskPool(1);
    const a = gate();
    const b = gate();
    await pool.add(a.task);
    const next = pool.add(b.task);
    a.fail(new Error('S3 down'));
    await expect(next).rejects.toThrow('S3 down');
    expect(b.state.started).toBe(false);
    await expect(pool.drain()).rejects.toThrow('S3 down');
  });

  it('answers each task its own outcome through `settled`', async () => {
    const pool = new TaskPool(4);
    const ok = await pool.start(async () => {});
    const bad = await pool.start(async () => Promise.reject(new Error('no')));
    await expect(ok.settled).resolves.toBeUndefined();
    await expect(bad.settled).rejects.toThrow('no');
  });
});

describe('TaskPool.fail', () => {
  it('stops the pool as a failed task does (work that outlived its slot)', async () => {
    const pool = new TaskPool(4);
    await pool.add(async () => {});
    pool.fail(new Error('queue refused'));
    let started = false;
    await expect(pool.add(async () => void (started = true))).rejects.toThrow('queue refused');
    expect(started).toBe(false);
    await expect(pool.drain()).rejects.toThrow('queue refused');
  });
});
