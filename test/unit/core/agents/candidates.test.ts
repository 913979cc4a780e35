import { describe, expect, it } from 'vitest';
import { dropCandidate, knownUpTo, newStream, streamToRead, triableCandidates } from '../../../../lambdas/core/agents/candidates.ts';

const c = (id: string, queueId: string, orderKey: number) => ({ id, queueId, orderKey });

describe('merging queue pages into one score order', () => {
  it('tries nothing before every queue has been read once', () => {
    const a = { ...newStream('a'), pending: [c('a1', 'a', 1)], lastKey: 1, done: true };
    const b = newStream('b');
    expect(triableCandidates([a, b])).toEqual([]);
    expect(streamToRead([a, b])).toBe(b);
  });

  it('offers only candidates no unread item can precede, then asks for the lagging queue', () => {
    // Prepare: queue a read up to key 5 with more pages; queue b read to its end
    const a = { ...newStream('a'), pending: [c('a1', 'a', 2), c('a2', 'a', 5)], lastKey: 5, done: false };
    const b = { ...newStream('b'), pending: [c('b1', 'b', 1), c('b2', 'b', 7)], lastKey: 7, done: true };

    // Act
    const triable = triableCandidates([a, b]);

    // Assess: b2 (key 7) waits until a's next page is known
    expect(knownUpTo([a, b])).toBe(5);
    expect(triable.map((x) => x.id)).toEqual(['b1', 'a1', 'a2']);
    expect(streamToRead([a, b])).toBe(a);
  });

  it('drops a tried candidate from its stream', () => {
    const a = { ...newStream('a'), pending: [c('a1', 'a', 2)], lastKey: 2, done: true };
    dropCandidate([a], a.pending[0]!);
    expect(triableCandidates([a])).toEqual([]);
    expect(streamToRead([a])).toBeUndefined();
  });
});
