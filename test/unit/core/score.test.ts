import { describe, expect, it } from 'vitest';
import { orderKey, score } from '../../../lambdas/core/score.ts';
import { at } from '../../support/factories.ts';


describe('score order (ARCHITECTURE.md decision 6)', () => {
  it('serves priority 20 waiting 4 minutes (score 24) before priority 10 waiting 6 minutes (score 16)', () => {
    // Prepare: the documented example, read at 10:10
    const now = at(10);
    const high = { enqueuedAt: at(6), priority: 20 };
    const low = { enqueuedAt: at(4), priority: 10 };

    // Act
    const scores = [score(high.enqueuedAt, high.priority, now), score(low.enqueuedAt, low.priority, now)];
    const keys = [orderKey(high.enqueuedAt, high.priority), orderKey(low.enqueuedAt, low.priority)];

    // Assess
    expect(scores).toEqual([24, 16]);
    expect(keys[0]).toBeLessThan(keys[1]!);
  });

  it('keeps the same order at any later reading time', () => {
    const a = { enqueuedAt: at(0), priority: 3 };
    const b = { enqueuedAt: at(2), priority: 4 };
    for (const minute of [2, 5, 30, 59]) {
      const now = at(minute);
      const higher = score(a.enqueuedAt, a.priority, now) > score(b.enqueuedAt, b.priority, now);
      expect(higher).toBe(orderKey(a.enqueuedAt, a.priority) < orderKey(b.enqueuedAt, b.priority));
    }
  });
});
