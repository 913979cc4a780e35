import { describe, expect, it } from 'vitest';
import { ISO_639_1_CODES, isLanguageCode } from '../../../lambdas/core/languages.ts';

describe('ISO 639-1 language codes', () => {
  it('accepts real codes and refuses two letters that are not one', () => {
    expect(['ja', 'de', 'en'].map(isLanguageCode)).toEqual([true, true, true]);
    expect(['zz', 'xx', 'EN', 'eng', 'iw', ''].map(isLanguageCode)).toEqual([false, false, false, false, false, false]);
  });

  it('lists the 183 current codes, each two lower-case letters, once', () => {
    expect(ISO_639_1_CODES).toHaveLength(183);
    expect(new Set(ISO_639_1_CODES).size).toBe(183);
    expect(ISO_639_1_CODES.every((c) => /^[a-z]{2}$/.test(c))).toBe(true);
  });
});
