/**
 * Decision 6 as properties: the fixed order key sorts waiting interactions exactly as their live
 * scores do, at any later reading time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderKey, score } from '../../../../lambdas/core/score.ts';

const T0 = Date.UTC(2026, 10, 23, 9, 0);
/** Whole seconds within a week; priorities over the documented range of small integers. */
const waitingOne = fc.record({ offsetS: fc.integer({ min: 0, max: 7 * 24 * 3600 }), priority: fc.integer({ min: -100, max: 100 }) });

describe('score order (property)', () => {
  it('sorting by order key ascending equals sorting by score(now) descending, for any later now', () => {
    fc.assert(
      fc.property(fc.array(waitingOne, { minLength: 2, maxLength: 40 }), fc.integer({ min: 0, max: 30 * 24 * 3600 }), (items, laterS) => {
        const enq = items.map((i) => ({ at: new Date(T0 + i.offsetS * 1000), priority: i.priority }));
        const latest = Math.max(...items.map((i) => i.offsetS));
        const now = new Date(T0 + (latest + laterS) * 1000);
        const byKey = [...enq].sort((a, b) => orderKey(a.at, a.priority) - orderKey(b.at, b.priority));
        const scores = byKey.map((i) => score(i.at, i.priority, now));
        for (let n = 1; n < scores.length; n += 1) {
          const [prev, cur] = [byKey[n - 1]!, byKey[n]!];
          const keysDiffer = orderKey(prev.at, prev.priority) !== orderKey(cur.at, cur.priority);
          // non-increasing scores; strictly decreasing whenever the keys differ
          expect(keysDiffer ? scores[n - 1]! > scores[n]! : scores[n - 1] === scores[n]).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the documented example: priority 20 waiting 4 min (score 24) before priority 10 waiting 6 min (score 16)', () => {
    const now = new Date(T0 + 10 * 60_000);
    const high = { at: new Date(T0 + 6 * 60_000), priority: 20 };
    const low = { at: new Date(T0 + 4 * 60_000), priority: 10 };
    expect([score(high.at, high.priority, now), score(low.at, low.priority, now)]).toEqual([24, 16]);
    expect(orderKey(high.at, high.priority)).toBeLessThan(orderKey(low.at, low.priority));
  });
});
