/**
 * The local sign-in's pure parts with a clock the test owns: the page's language choice, the
 * per-username throttle's window, codes that expire after 60 s and the PKCE S256 check (RFC 7636
 * 4.2), and generated temporary passwords.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PASSWORD_LIMITS, temporaryPassword } from '../../../../lambdas/core/access/user-directory.ts';
import { IssuerGrants, pkceMatches } from '../../../../lambdas/local/sign-in/grants.ts';
import { signInLanguage, signInPage } from '../../../../lambdas/local/sign-in/sign-in-page.ts';
import { SIGN_IN_THROTTLE, SignInThrottle } from '../../../../lambdas/local/sign-in/sign-in-throttle.ts';

describe('signInLanguage', () => {
  it('takes ui_locales first, then Accept-Language by weight, else English', () => {
    expect(signInLanguage('ja de', 'de')).toBe('ja');
    expect(signInLanguage(undefined, 'fr-FR, de;q=0.7, ja;q=0.9')).toBe('ja');
    expect(signInLanguage('', 'de-AT')).toBe('de');
    expect(signInLanguage(undefined, 'fr, es;q=0.5')).toBe('en');
    expect(signInLanguage(undefined, 'de;q=0')).toBe('en');
  });

  it('escapes what it is given', () => {
    const html = signInPage({ language: 'en', hidden: { state: '"><script>x</script>' }, username: '<b>' });
    expect(html).not.toContain('<script>x');
    expect(html).toContain('value="&#34;&#62;&#60;script&#62;x&#60;/script&#62;"');
  });
});

describe('SignInThrottle', () => {
  it('refuses a username after 5 failures until 15 minutes after the first, case-insensitively', () => {
    let now = 0;
    const throttle = new SignInThrottle(() => now);
    for (let n = 0; n < SIGN_IN_THROTTLE.maxFailures; n++) throttle.fail('Anna');
    expect(throttle.retryAfterMs('anna')).toBe(SIGN_IN_THROTTLE.windowMs);
    expect(throttle.retryAfterMs('bo')).toBe(0);
    now = SIGN_IN_THROTTLE.windowMs - 1;
    expect(throttle.retryAfterMs('ANNA')).toBe(1);
    now = SIGN_IN_THROTTLE.windowMs;
    expect(throttle.retryAfterMs('anna')).toBe(0);
  });

  it('forgets failures after a success', () => {
    const throttle = new SignInThrottle(() => 0);
    for (let n = 0; n < 4; n++) throttle.fail('anna');
    throttle.succeed('anna');
    throttle.fail('anna');
    expect(throttle.retryAfterMs('anna')).toBe(0);
  });
});

describe('IssuerGrants', () => {
  // RFC 7636 4.2: challenge = BASE64URL(SHA256(ASCII(verifier))), no padding.
  const verifier = 'dBjftJeZ4CVP-mJ92K1R3ObXHlWYQo6SYrIyQrspsYs';
  const challenge = createHash('sha256').update(verifier, 'ascii').digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

  it('checks S256, and refuses other and malformed verifiers', () => {
    expect(pkceMatches(verifier, challenge)).toBe(true);
    expect(pkceMatches(`${verifier.slice(0, -1)}t`, challenge)).toBe(false);
    expect(pkceMatches('short', challenge)).toBe(false);
  });

  it('expires codes after 60 s and keeps refresh tokens in a 0600 file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'postroom-grants-'));
    let now = 0;
    const grants = await IssuerGrants.open(join(dir, 'refresh.json'), () => now);
    const subject = { username: 'anna', clientId: 'postroom-console', redirectUri: 'http://127.0.0.1:1/console/', codeChallenge: challenge };
    const check = { clientId: subject.clientId, redirectUri: subject.redirectUri, codeVerifier: verifier };
    const late = grants.issueCode(subject);
    now = 60_000;
    expect(grants.redeemCode(late, check)).toBeUndefined();
    expect(grants.redeemCode(grants.issueCode(subject), check)).toEqual({ username: 'anna', clientId: 'postroom-console' });
    const refresh = await grants.issueRefresh({ username: 'anna', clientId: 'postroom-console' });
    expect((await stat(join(dir, 'refresh.json'))).mode & 0o777).toBe(0o600);
    const reopened = await IssuerGrants.open(join(dir, 'refresh.json'), () => now);
    expect((await reopened.rotateRefresh(refresh, 'postroom-console'))?.subject).toEqual({ username: 'anna', clientId: 'postroom-console' });
    await rm(dir, { recursive: true, force: true });
  });
});

describe('temporaryPassword', () => {
  it('has the length and every character class Cognito\'s default policy asks for', () => {
    for (let n = 0; n < 50; n++) {
      const password = temporaryPassword();
      expect(password).toHaveLength(PASSWORD_LIMITS.temporaryChars);
      for (const cls of [/[a-z]/, /[A-Z]/, /[0-9]/, /[-_.!+=]/]) expect(password).toMatch(cls);
    }
  });
});
