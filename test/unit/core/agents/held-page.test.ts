import { describe, expect, it } from 'vitest';
import { newStream, triableCandidates, type Candidate } from '../../../../lambdas/core/agents/candidates.ts';
import { heldPageKey, mayReuseHeldPage, pageSizeFor, pickInHeldPage, type HeldPage } from '../../../../lambdas/core/agents/held-page.ts';
import { ACD_LIMITS } from '../../../../lambdas/core/agents/limits.ts';

const c = (id: string, orderKey: number): Candidate => ({ id, queueId: 'q', orderKey });
const agent = { id: 'ann', queues: ['q'], skills: ['billing'], languages: ['en'] };
const T0 = 1_000_000;

/** A page of queue q read at T0 to its end, holding `candidates`. */
function heldPage(candidates: Candidate[], overrides: Partial<HeldPage> = {}): HeldPage {
  const stream = { ...newStream('q'), pending: candidates, lastKey: candidates.at(-1)?.orderKey ?? 0, done: true };
  return { agentKey: heldPageKey(agent), streams: [stream], readAtMs: T0, ...overrides };
}

describe('reusing a held candidate page', () => {
  it('is allowed for the same agent, under contention, while the page is young and has candidates', () => {
    const held = heldPage([c('a', 1), c('b', 2)]);
    expect(mayReuseHeldPage(held, heldPageKey(agent), 8, T0 + ACD_LIMITS.maxHeldPageAgeMs)).toBe(true);
  });

  it('is refused at window 1, so a caller that sees no contention reads afresh (strict order)', () => {
    expect(mayReuseHeldPage(heldPage([c('a', 1)]), heldPageKey(agent), 1, T0 + 1)).toBe(false);
  });

  it('is refused once the page is older than the limit, or from a clock that went back', () => {
    const held = heldPage([c('a', 1)]);
    expect(mayReuseHeldPage(held, heldPageKey(agent), 8, T0 + ACD_LIMITS.maxHeldPageAgeMs + 1)).toBe(false);
    expect(mayReuseHeldPage(held, heldPageKey(agent), 8, T0 - 1)).toBe(false);
  });

  it('is refused for another agent, or the same agent with other skills, languages or queues', () => {
    const held = heldPage([c('a', 1)]);
    for (const other of [{ ...agent, id: 'bo' }, { ...agent, skills: [] }, { ...agent, languages: ['de'] }, { ...agent, queues: ['q', 'r'] }]) {
      expect(mayReuseHeldPage(held, heldPageKey(other), 8, T0 + 1)).toBe(false);
    }
  });

  it('is refused when nothing is left to try, or when there is no held page', () => {
    expect(mayReuseHeldPage(heldPage([]), heldPageKey(agent), 8, T0 + 1)).toBe(false);
    expect(mayReuseHeldPage(undefined, heldPageKey(agent), 8, T0 + 1)).toBe(false);
  });
});

describe('page size of a fresh read', () => {
  it('is the quiet page at window 1, the window plus slack under contention, capped', () => {
    expect(pageSizeFor(1)).toBe(ACD_LIMITS.quietPageSize);
    expect(pageSizeFor(4)).toBe(4 + ACD_LIMITS.contentionPageSlack);
    expect(pageSizeFor(ACD_LIMITS.maxContentionWindow)).toBe(ACD_LIMITS.firstPageSize);
    expect(pageSizeFor(10_000)).toBe(ACD_LIMITS.firstPageSize);
  });
});

describe('picking in a held page', () => {
  const triable = triableCandidates(heldPage([c('a', 1), c('b', 2), c('c', 3), c('d', 4), c('e', 5)]).streams);
  const random = () => 99;

  it('continues right after the last claimed candidate while that is inside the window', () => {
    expect(pickInHeldPage(triable, c('b', 2), 4, random)).toBe(2);
    // the last claim was dropped from the page: the next one is the first with a later key
    expect(pickInHeldPage(triable.filter((x) => x.id !== 'b'), c('b', 2), 4, random)).toBe(1);
  });

  it('breaks equal order keys by id, as the merged order does', () => {
    const tied = [c('x1', 7), c('x2', 7), c('x3', 7)];
    expect(pickInHeldPage(tied, c('x1', 7), 8, random)).toBe(1);
  });

  it('falls back to the random pick without a last claim, past the window, at the page end, or at window 1', () => {
    expect(pickInHeldPage(triable, undefined, 4, random)).toBe(99);
    expect(pickInHeldPage(triable, c('d', 4), 4, random)).toBe(99); // 'e' is 5th, window 4
    expect(pickInHeldPage(triable, c('e', 5), 8, random)).toBe(99);
    expect(pickInHeldPage(triable, c('a', 1), 1, random)).toBe(99);
  });
});
