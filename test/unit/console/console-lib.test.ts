/**
 * The console's pure library parts run in Node: PKCE's S256 challenge (RFC 7636 appendix B's
 * example), the verifier's length, the language choice and placeholder filling.
 */
import { describe, expect, it } from 'vitest';
import { base64Url, randomToken, s256Challenge } from '../../../console/src/lib/auth/pkce.ts';
import { chooseLocale, fill } from '../../../console/src/lib/i18n/locale.ts';

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes 43-character URL-safe verifiers, different each time', () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(a);
    expect(base64Url(new Uint8Array([251, 255]))).toBe('-_8');
  });
});

describe('language', () => {
  it('takes the stored choice, else the first supported browser language, else English', () => {
    expect(chooseLocale(['fr-FR', 'ja-JP', 'de'], null)).toBe('ja');
    expect(chooseLocale(['de-AT'], 'ja')).toBe('ja');
    expect(chooseLocale(['de-AT'], 'xx')).toBe('de');
    expect(chooseLocale(['fr', 'es'])).toBe('en');
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(fill('{count} von {max} {x}', { count: 3, max: 50 })).toBe('3 von 50 {x}');
  });
});
