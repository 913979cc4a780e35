import { describe, expect, it } from 'vitest';
import { ERROR_REASONS as R } from '../../../../lambdas/core/error-reasons.ts';
import { checkConsentState, consentServerId, consentUrl, newConsent, OAUTH2_CONSENT_TTL_MS } from '../../../../lambdas/core/mailboxes/oauth2-consent.ts';
import { endpointProblem, oauth2SettingsProblems, resolveOAuth2 } from '../../../../lambdas/core/mailboxes/oauth2-presets.ts';
import type { OAuth2Settings } from '../../../../lambdas/core/mailboxes/oauth2-settings.ts';
import { expiryEventDue, oauth2Warnings, refreshTokenIdle } from '../../../../lambdas/core/mailboxes/oauth2-warnings.ts';

const ms: OAuth2Settings = { provider: 'microsoft', flow: 'authorization-code', clientId: '00000000-0000-0000-0000-000000000001' };
const now = new Date('2026-11-26T12:00:00Z');

describe('presets', () => {
  it('Microsoft authorization code: the tenant endpoints and the delegated scope of each type with offline_access', () => {
    expect(resolveOAuth2({ ...ms, tenant: 'contoso.com' }, 'imap')).toEqual({
      authorizeUrl: 'https://login.microsoftonline.com/contoso.com/oauth2/v2.0/authorize',
      tokenUrl: 'https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token',
      scopes: ['https://outlook.office365.com/IMAP.AccessAsUser.All', 'offline_access'],
      authorizeParams: {},
    });
    expect(resolveOAuth2(ms, 'pop3').scopes[0]).toBe('https://outlook.office365.com/POP.AccessAsUser.All');
    expect(resolveOAuth2(ms, 'smtp').scopes[0]).toBe('https://outlook.office365.com/SMTP.Send');
    expect(resolveOAuth2(ms, 'smtp').tokenUrl).toContain('/organizations/');
  });

  it('Microsoft client credentials ask for .default and have no browser endpoint', () => {
    const r = resolveOAuth2({ ...ms, flow: 'client-credentials', tenant: 'contoso.com' }, 'smtp');
    expect(r).toEqual({ tokenUrl: 'https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token', scopes: ['https://outlook.office365.com/.default'], authorizeParams: {} });
  });

  it('Google: its endpoints, https://mail.google.com/ and offline access with a forced consent', () => {
    const r = resolveOAuth2({ provider: 'google', flow: 'authorization-code', clientId: 'x.apps.googleusercontent.com' }, 'imap');
    expect(r).toEqual({
      authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      scopes: ['https://mail.google.com/'],
      authorizeParams: { access_type: 'offline', prompt: 'consent' },
    });
  });
});

describe('oauth2SettingsProblems', () => {
  it('accepts valid presets and a custom provider on https', () => {
    expect(oauth2SettingsProblems(ms, 'imap')).toEqual({});
    expect(oauth2SettingsProblems({ provider: 'custom', flow: 'authorization-code', clientId: 'c', authorizeUrl: 'https://id.example/auth', tokenUrl: 'https://id.example/token' }, 'imap')).toEqual({});
  });

  it('names each broken field by its path', () => {
    const p = oauth2SettingsProblems(
      { provider: 'custom', flow: 'authorization-code', clientId: '', authorizeUrl: 'http://id.example/auth', scopes: ['a b'], clientSecretExpiresAt: 'next year' },
      'imap',
    );
    expect(Object.keys(p).sort()).toEqual(['oauth2.authorizeUrl', 'oauth2.clientId', 'oauth2.clientSecretExpiresAt', 'oauth2.scopes[0]', 'oauth2.tokenUrl']);
    expect(p['oauth2.tokenUrl']?.reason).toBe(R.mailServerOAuth2SettingRequired);
    expect(p['oauth2.authorizeUrl']?.reason).toBe(R.mailServerOAuth2SettingInvalid);
  });

  it('refuses a flow the provider does not offer, and client credentials without a tenant', () => {
    expect(oauth2SettingsProblems({ provider: 'google', flow: 'client-credentials', clientId: 'c' }, 'imap')['oauth2.flow']?.reason).toBe(R.mailServerOAuth2FlowNotForProvider);
    expect(oauth2SettingsProblems({ ...ms, flow: 'service-account' }, 'imap')['oauth2.flow']).toBeDefined();
    expect(oauth2SettingsProblems({ ...ms, flow: 'client-credentials' }, 'imap')['oauth2.tenant']?.reason).toBe(R.mailServerOAuth2SettingRequired);
    expect(oauth2SettingsProblems(undefined, 'imap').oauth2?.reason).toBe(R.mailServerOAuth2Required);
  });

  it('allows http only on loopback hosts', () => {
    expect(endpointProblem('http://127.0.0.1:8080/token')).toBeUndefined();
    expect(endpointProblem('http://localhost/token')).toBeUndefined();
    expect(endpointProblem('http://[::1]:9/token')).toBeUndefined();
    expect(endpointProblem('http://10.0.0.1/token')).toMatch(/https/);
    expect(endpointProblem('https://u:p@id.example/token')).toMatch(/user/);
  });
});

describe('consent state', () => {
  it('names its server, is accepted once within 10 minutes, and a forged one is refused', () => {
    const c = newConsent('srv-ü 1', 'http://127.0.0.1/oauth2/callback', now);
    expect(consentServerId(c.state)).toBe('srv-ü 1');
    expect(checkConsentState(c.pending, c.state, now)).toBe('ok');
    expect(checkConsentState(c.pending, c.state, new Date(now.getTime() + OAUTH2_CONSENT_TTL_MS))).toBe('expired');
    const forged = `${c.state.split('.')[0]}.${'A'.repeat(43)}`;
    expect(checkConsentState(c.pending, forged, now)).toBe('unknown');
    expect(checkConsentState(undefined, c.state, now)).toBe('unknown');
    expect(consentServerId('not a state')).toBeUndefined();
    expect(JSON.stringify(c.pending)).not.toContain(c.state);
  });

  it('builds the consent URL with PKCE S256, the login hint and the preset parameters', () => {
    const c = newConsent('srv-1', 'https://api.example/oauth2/callback', now);
    const url = new URL(consentUrl(resolveOAuth2({ provider: 'google', flow: 'authorization-code', clientId: 'cid' }, 'imap'), 'cid', { ...c, redirectUri: 'https://api.example/oauth2/callback', loginHint: 'support@example.com' }));
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code', client_id: 'cid', scope: 'https://mail.google.com/', state: c.state, code_challenge: c.codeChallenge,
      code_challenge_method: 'S256', login_hint: 'support@example.com', access_type: 'offline', prompt: 'consent',
    });
  });
});

describe('warnings', () => {
  const server = (at?: string) => ({ authType: 'oauth2' as const, oauth2: { ...ms, ...(at && { clientSecretExpiresAt: at }) } });

  it('warns 14 days ahead and once expired, not before', () => {
    expect(oauth2Warnings(server('2026-12-11'), now)).toEqual([]);
    expect(oauth2Warnings(server('2026-12-10'), now)).toMatchObject([{ kind: 'client-secret-expiring', message: expect.stringContaining('in 14 days') }]);
    expect(oauth2Warnings(server('2026-11-26T11:00:00Z'), now)).toMatchObject([{ kind: 'client-secret-expired' }]);
    expect(oauth2Warnings(server(), now)).toEqual([]);
    expect(oauth2Warnings({ authType: 'basic', oauth2: server('2026-11-01').oauth2 }, now)).toEqual([]);
  });

  it('an expiry event is due once a day; a refresh token idles after 60 days', () => {
    expect(expiryEventDue({}, now)).toBe(true);
    expect(expiryEventDue({ oauth2: { expiryWarnedAt: '2026-11-26T00:00:00Z' } }, now)).toBe(false);
    expect(expiryEventDue({ oauth2: { expiryWarnedAt: '2026-11-25T11:59:00Z' } }, now)).toBe(true);
    expect(refreshTokenIdle({ oauth2: { refreshToken: 'r', refreshTokenUsedAt: '2026-09-28T12:00:00Z' } }, now)).toBe(false);
    expect(refreshTokenIdle({ oauth2: { refreshToken: 'r', refreshTokenUsedAt: '2026-09-27T12:00:00Z' } }, now)).toBe(true);
    expect(refreshTokenIdle({ oauth2: {} }, now)).toBe(false);
  });
});
