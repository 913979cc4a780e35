import { describe, expect, it } from 'vitest';
import { CONSOLE_PASSWORD_POLICY } from '../../../../contract/console.ts';
import { passwordPolicyProblems, temporaryPasswordExpiry } from '../../../../lambdas/core/access/password-policy.ts';
import { PASSWORD_LIMITS, temporaryPassword } from '../../../../lambdas/core/access/user-directory.ts';

describe('passwordPolicyProblems', () => {
  it('takes a password with every class at the minimum length, and every generated temporary password', () => {
    expect(passwordPolicyProblems('Abcdefghij1!')).toEqual([]);
    expect(passwordPolicyProblems('Abcdefghij1 x')).toEqual([]); // an inner space is Cognito's symbol
    for (let n = 0; n < 50; n++) expect(passwordPolicyProblems(temporaryPassword())).toEqual([]);
  });

  it('names each rule broken, in the policy\'s order', () => {
    expect(passwordPolicyProblems('')).toEqual(['too-short', 'no-lowercase', 'no-uppercase', 'no-digit', 'no-symbol']);
    expect(passwordPolicyProblems('abcdefghijkl')).toEqual(['no-uppercase', 'no-digit', 'no-symbol']);
    expect(passwordPolicyProblems(' Abcdefghij1 ')).toEqual(['no-symbol']); // leading and trailing spaces are not
    expect(passwordPolicyProblems('Ab1!'.repeat(65))).toEqual(['too-long']);
    // Length counts what was typed: 11 characters, one outside the BMP, is too short.
    expect(passwordPolicyProblems('Abcdefghi1😀')).toEqual(['too-short', 'no-symbol']);
  });

  it('shares the pool\'s numbers', () => {
    expect(PASSWORD_LIMITS.minChars).toBe(CONSOLE_PASSWORD_POLICY.minLength);
    const setAt = new Date('2026-11-27T06:00:00Z');
    expect(temporaryPasswordExpiry(setAt).getTime() - setAt.getTime()).toBe(CONSOLE_PASSWORD_POLICY.temporaryPasswordValidityDays * 86_400_000);
  });
});
