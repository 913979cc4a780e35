/**
 * Properties of token extraction over arbitrary (hostile) text: it never throws, and a valid token
 * embedded between separators is always found.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildOutgoingMessageId,
  findTokenInMessageId,
  findTokensInSubject,
  referenceTokenFor,
} from '../../../../lambdas/core/routing/reference-token.ts';

const separator = fc.constantFrom(' ', '[', ']', '(', ')', ': ', '\t', '/', '"', '·', '—');

describe('reference token extraction (property)', () => {
  it('never throws on arbitrary subjects and Message-IDs', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3_000, unit: 'binary' }), (text) => {
        expect(Array.isArray(findTokensInSubject(text))).toBe(true);
        findTokenInMessageId(text);
      }),
      { numRuns: 500 },
    );
  });

  it('finds an embedded token in any surrounding text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), separator, separator, (id, before, after, left, right) => {
        const token = referenceTokenFor(id);
        const subject = `${before}${left}${token}${right}${after}`.slice(0, 998);
        fc.pre(subject.includes(token));
        expect(findTokensInSubject(subject)).toContain(token);
      }),
      { numRuns: 500 },
    );
  });

  it('finds the token of any outgoing Message-ID it built', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.stringMatching(/^[0-9a-z-]{1,64}$/), (id, unique) => {
        const token = referenceTokenFor(id);
        expect(findTokenInMessageId(buildOutgoingMessageId(token, unique, 'mail.example.test'))).toBe(token);
      }),
      { numRuns: 300 },
    );
  });
});
