import { describe, expect, it } from 'vitest';
import { contentionWindow, newContention, pickCandidate, recordConflict } from '../../../../lambdas/core/agents/contention.ts';
import { ACD_LIMITS } from '../../../../lambdas/core/agents/limits.ts';

describe('contention window', () => {
  it('is 1 (strict score order) for a caller that has seen no conflict', () => {
    const c = newContention();
    expect(contentionWindow(c, 1_000_000)).toBe(1);
    expect(pickCandidate(10, 1, () => 0.99)).toBe(0);
  });

  it('doubles per conflict up to the limit, and decays back to 1 once conflicts stop', () => {
    // Prepare
    const c = newContention();
    const t0 = 10_000;

    // Act
    const windows = [1, 2, 3, 4, 5, 6].map(() => (recordConflict(c, t0), contentionWindow(c, t0)));
    const later = [1, 2, 10].map((h) => contentionWindow(c, t0 + h * ACD_LIMITS.contentionHalfLifeMs));

    // Assess
    expect(windows).toEqual([ACD_LIMITS.minContentionWindow, 8, 16, 32, 64, 64]);
    expect(ACD_LIMITS.maxContentionWindow).toBe(64);
    expect(later).toEqual([ACD_LIMITS.maxContentionWindow / 2, ACD_LIMITS.maxContentionWindow / 4, 1]);
  });

  it('picks uniformly among the first `window` candidates, never past the available ones', () => {
    expect(pickCandidate(10, 4, () => 0)).toBe(0);
    expect(pickCandidate(10, 4, () => 0.999)).toBe(3);
    expect(pickCandidate(2, 16, () => 0.999)).toBe(1);
    expect(pickCandidate(1, 16, () => 0.5)).toBe(0);
  });
});
