/**
 * What a search query asks for (core/search.ts): a sender address, a reference token as people
 * type it, or subject words; and which states each filter keeps.
 */
import { describe, expect, it } from 'vitest';
import { referenceTokenFor } from '../../../lambdas/core/routing/reference-token.ts';
import { SEARCH_LIMITS, matchesState, normalizeSubject, parseSearchQuery } from '../../../lambdas/core/search.ts';

describe('parseSearchQuery', () => {
  it('reads an address as a sender, lower-cased', () => {
    expect(parseSearchQuery('  Ada@Customer.Example ')).toEqual({ by: 'sender', address: 'ada@customer.example' });
  });

  it('reads a reference token anywhere in the text, in any case', () => {
    const token = referenceTokenFor('i-1');
    expect(parseSearchQuery(`re: [${token.toLowerCase()}]`)).toEqual({ by: 'token', tokens: [token] });
  });

  it('reads anything else as distinct subject words, at most the limit', () => {
    expect(parseSearchQuery('Order  ORDER 4711')).toEqual({ by: 'subject', words: ['order', '4711'] });
    const many = Array.from({ length: 20 }, (_, n) => `w${n}`).join(' ');
    const parsed = parseSearchQuery(many);
    expect(parsed.by === 'subject' && parsed.words.length).toBe(SEARCH_LIMITS.maxQueryWords);
    expect(parseSearchQuery('not@an address')).toMatchObject({ by: 'subject' });
  });

  it('normalizes subjects as entries store them', () => {
    expect(normalizeSubject(' Ｒｅｃｈｎｕｎｇ\t\nFÜR  Mai ')).toBe('rechnung für mai');
    expect(normalizeSubject('x'.repeat(1000))).toHaveLength(SEARCH_LIMITS.maxEntrySubjectChars);
  });
});

describe('matchesState', () => {
  it('open keeps waiting and claimed, closed keeps closed, all keeps everything', () => {
    const states = ['waiting', 'claimed', 'closed', 'quarantined', 'disconnected', 'set-aside'] as const;
    expect(states.filter((s) => matchesState(s, 'open'))).toEqual(['waiting', 'claimed']);
    expect(states.filter((s) => matchesState(s, 'closed'))).toEqual(['closed']);
    expect(states.filter((s) => matchesState(s, 'all'))).toEqual([...states]);
  });
});
