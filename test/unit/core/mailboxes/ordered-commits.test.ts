/**
 * OrderedCommits: the order and bounds the IMAP poll's overlap relies on (a chunk committed only
 * after its own stores and every earlier chunk, ready chunks as one group, nothing after a failure
 * or a refused commit, at most `limit` uncommitted).
 */
import { describe, expect, it } from 'vitest';
import { OrderedCommits } from '../../../../lambdas/core/mailboxes/ordered-commits.ts';

function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('OrderedCommits', () => {
  it('commits a chunk only after every earlier one, even when its own stores settled first; ready chunks as one group', async () => {
    const groups: number[][] = [];
    const commits = new OrderedCommits<number>(10, async (g) => (groups.push([...g]), true));
    const [a, b, c] = [deferred(), deferred(), deferred()];
    await commits.add(1, a.promise);
    await commits.add(2, b.promise);
    await commits.add(3, c.promise);
    (c.resolve(), b.resolve());
    await tick();
    expect(groups).toEqual([]);
    a.resolve();
    await commits.drain();
    expect(groups).toEqual([[1, 2, 3]]);
  });

  it('commits nothing after a failed store and throws it; the failed chunk is never committed', async () => {
    const groups: number[][] = [];
    const commits = new OrderedCommits<number>(10, async (g) => (groups.push([...g]), true));
    await commits.add(1, Promise.resolve());
    await commits.drain();
    await commits.add(2, Promise.reject(new Error('store failed')));
    await commits.add(3, Promise.resolve()).catch(() => {});
    await expect(commits.drain()).rejects.toThrow('store failed');
    expect(groups).toEqual([[1]]);
  });

  it('stops after a refused commit and waits while `limit` chunks are uncommitted', async () => {
    const gate = deferred();
    const groups: number[][] = [];
    const commits = new OrderedCommits<number>(2, async (g) => (groups.push([...g]), await gate.promise, g[0] !== 1));
    await commits.add(1, Promise.resolve());
    let added = false;
    const second = commits.add(2, Promise.resolve()).then(() => (added = true));
    await tick();
    expect(added).toBe(false);
    gate.resolve();
    await second;
    await commits.drain();
    expect(commits.stopped).toBe(true);
    expect(groups).toEqual([[1]]);
  });
});
