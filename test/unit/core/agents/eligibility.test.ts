import { describe, expect, it } from 'vitest';
import { isEligible, unmetRequirements } from '../../../../lambdas/core/agents/eligibility.ts';

const anna = { skills: ['billing', 'Refunds'], languages: ['en', 'de'] };

describe('eligibility: all required skills, and the language when set', () => {
  it('takes an interaction without requirements', () => {
    expect(isEligible(anna, {})).toBe(true);
    expect(isEligible({ skills: [], languages: [] }, { skills: [] })).toBe(true);
  });

  it('needs every required skill, compared case-insensitively', () => {
    expect(isEligible(anna, { skills: ['billing'] })).toBe(true);
    expect(isEligible(anna, { skills: ['BILLING', 'refunds'] })).toBe(true);
    expect(isEligible(anna, { skills: ['billing', 'vip'] })).toBe(false);
  });

  it('needs the language when the interaction has one', () => {
    expect(isEligible(anna, { language: 'de' })).toBe(true);
    expect(isEligible(anna, { language: 'ja' })).toBe(false);
    expect(isEligible(anna, { skills: ['billing'], language: 'ja' })).toBe(false);
  });

  it('says what is missing', () => {
    expect(unmetRequirements(anna, { skills: ['billing', 'vip', 'legal'], language: 'ja' })).toEqual([
      'lacks skill vip, legal',
      'does not speak ja',
    ]);
    expect(unmetRequirements(anna, { skills: ['billing'], language: 'en' })).toEqual([]);
  });
});
