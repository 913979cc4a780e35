import { describe, expect, it } from 'vitest';
import {
  MAX_SUBJECT_SCAN_CHARS,
  MAX_TOKENS_PER_SUBJECT,
  buildOutgoingMessageId,
  findTokenInMessageId,
  findTokensInMessageIds,
  findTokensInSubject,
  parseReferenceToken,
  referenceTokenFor,
  subjectWithToken,
} from '../../../../lambdas/core/routing/reference-token.ts';

const token = referenceTokenFor('i-abcdefghijklmnop');
const symbols = token.slice(3);

describe('referenceTokenFor', () => {
  it('derives the same PR- token of 8 Crockford symbols from the same interaction id', () => {
    expect(token).toMatch(/^PR-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
    expect(referenceTokenFor('i-abcdefghijklmnop')).toBe(token);
  });

  it('gives distinct interactions distinct tokens (no collision among 5,000 ids)', () => {
    const tokens = new Set(Array.from({ length: 5_000 }, (_, n) => referenceTokenFor(`i-${n}`)));
    expect(tokens.size).toBe(5_000);
  });
});

describe('parseReferenceToken', () => {
  it('accepts lower case and the look-alikes O, I and L', () => {
    const typed = symbols.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    expect(parseReferenceToken(typed)).toBe(token);
  });

  it('rejects every single-symbol typo through the check symbol', () => {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    let accepted = 0;
    for (let i = 0; i < symbols.length; i++) {
      for (const ch of alphabet) {
        if (ch === symbols[i]) continue;
        if (parseReferenceToken(symbols.slice(0, i) + ch + symbols.slice(i + 1))) accepted++;
      }
    }
    expect(accepted).toBe(0);
  });

  it('rejects wrong lengths and foreign symbols', () => {
    expect(parseReferenceToken(symbols.slice(0, 7))).toBeUndefined();
    expect(parseReferenceToken(`${symbols}0`)).toBeUndefined();
    expect(parseReferenceToken(`${symbols.slice(0, 7)}U`)).toBeUndefined();
  });
});

describe('findTokensInSubject', () => {
  it.each([
    `[${token}]`,
    `Re: AW: Fwd: Order missing [${token}]`,
    `RE: ${token.toLowerCase()} still broken`,
    `SV:VS: (${token})`,
    `Ticket PR ${symbols}`,
    `Ticket PR${symbols}!`,
  ])('finds the token in %j', (subject) => {
    expect(findTokensInSubject(subject)).toEqual([token]);
  });

  it('ignores tokens glued to other words and forged junk with a bad check symbol', () => {
    const bad = `${symbols.slice(0, 7)}${symbols[7] === 'Z' ? 'Y' : 'Z'}`;
    expect(findTokensInSubject(`XPR-${symbols} PR-${symbols}X PR-${bad} PR-${symbols.slice(0, 7)}`)).toEqual([]);
  });

  it('returns each token once and at most the limit', () => {
    const many = Array.from({ length: 10 }, (_, n) => referenceTokenFor(`i-${n}`));
    expect(findTokensInSubject(`[${token}] Re: [${token}]`)).toEqual([token]);
    expect(findTokensInSubject(many.map((t) => `[${t}]`).join(' '))).toEqual(many.slice(0, MAX_TOKENS_PER_SUBJECT));
  });

  it('reads only the first MAX_SUBJECT_SCAN_CHARS characters of a long subject', () => {
    expect(findTokensInSubject(`${'x '.repeat(MAX_SUBJECT_SCAN_CHARS)}[${token}]`)).toEqual([]);
    expect(findTokensInSubject(`[${token}]${'x'.repeat(100_000)}`)).toEqual([token]);
  });
});

describe('outgoing Message-IDs', () => {
  it('builds <pr.<token>.<unique>@<domain>> and finds the token in it again', () => {
    const id = buildOutgoingMessageId(token, 'A1B2c3', 'Mail.Example.test');
    expect(id).toBe(`<pr.${symbols.toLowerCase()}.a1b2c3@mail.example.test>`);
    expect(findTokenInMessageId(id)).toBe(token);
    expect(findTokenInMessageId(id.slice(1, -1).toUpperCase())).toBe(token);
  });

  it('finds no token in other ids, forged ids or over-long input', () => {
    expect(findTokenInMessageId('<CAKx1234@mail.gmail.com>')).toBeUndefined();
    expect(findTokenInMessageId(`<pr.${symbols.slice(0, 7)}q.x@a.test>`)).toBeUndefined();
    expect(findTokenInMessageId(`<pr.${symbols}.${'x'.repeat(2_000)}@a.test>`)).toBeUndefined();
  });

  it('finds tokens across In-Reply-To and References without repeats', () => {
    const other = referenceTokenFor('i-other');
    const ids = [buildOutgoingMessageId(token, 'a', 'x.test'), '<foo@bar>', buildOutgoingMessageId(token, 'b', 'x.test'), buildOutgoingMessageId(other, 'c', 'x.test')];
    expect(findTokensInMessageIds(ids)).toEqual([token, other]);
  });

  it('refuses a unique part or domain that would break the header', () => {
    expect(() => buildOutgoingMessageId(token, 'a b', 'x.test')).toThrow(RangeError);
    expect(() => buildOutgoingMessageId(token, 'a', 'x.test>\r\nBcc: y@z')).toThrow(RangeError);
    expect(() => buildOutgoingMessageId(token, 'x'.repeat(65), 'x.test')).toThrow(RangeError);
  });

  it('adds the token to a subject once', () => {
    expect(subjectWithToken('Order missing', token)).toBe(`Order missing [${token}]`);
    expect(subjectWithToken(`Re: Order missing [${token}]`, token)).toBe(`Re: Order missing [${token}]`);
  });
});
