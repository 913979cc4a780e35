/**
 * The OAuth2 providers Postroom knows (issue 10 item 3) and the rules an admin's OAuth2 settings
 * keep. A preset turns {@link OAuth2Settings} into endpoints and scopes; `custom` takes them as
 * given. Sources: Microsoft identity platform ("Authenticate an IMAP, POP or SMTP connection using
 * OAuth"), Google ("OAuth 2.0 for Web Server Applications", "Using OAuth 2.0 for Server to Server
 * Applications", Gmail IMAP/SMTP XOAUTH2).
 */
import { ERROR_REASONS as R } from '../error-reasons.ts';
import { problem, type FieldProblems } from '../field-problems.ts';
import type { OAuth2Flow, OAuth2Provider, OAuth2Settings } from './oauth2-settings.ts';
import type { MailServerType } from './server.ts';
import { MAIL_SERVER_OPTION_LIMITS } from './server-option-rules.ts';
import { charCount, hasControlCharacters } from './server-text.ts';

/** Exchange Online's resource; every Outlook mail scope hangs off it. */
const OUTLOOK = 'https://outlook.office365.com';

/** Microsoft 365 delegated scopes per server type; `offline_access` is what yields a refresh token. */
export const MICROSOFT_DELEGATED_SCOPES: Readonly<Record<MailServerType, readonly string[]>> = {
  imap: [`${OUTLOOK}/IMAP.AccessAsUser.All`, 'offline_access'],
  pop3: [`${OUTLOOK}/POP.AccessAsUser.All`, 'offline_access'],
  smtp: [`${OUTLOOK}/SMTP.Send`, 'offline_access'],
};

/**
 * Microsoft 365 client credentials ask for `.default`; the application permission the tenant admin
 * grants decides what the token may do (printed by the CLI so the admin knows what to grant).
 */
export const MICROSOFT_APP_SCOPE = `${OUTLOOK}/.default`;

/** The Exchange Online application permission each server type needs with client credentials. */
export const MICROSOFT_APP_PERMISSIONS: Readonly<Record<MailServerType, string>> = {
  imap: 'IMAP.AccessAsApp',
  pop3: 'POP.AccessAsApp',
  smtp: 'SMTP.SendAsApp',
};

/** Gmail's one scope for IMAP, POP3 and SMTP with XOAUTH2. */
export const GOOGLE_MAIL_SCOPE = 'https://mail.google.com/';

export const GOOGLE_ENDPOINTS = {
  authorize: 'https://accounts.google.com/o/oauth2/v2/auth',
  token: 'https://oauth2.googleapis.com/token',
} as const;

/** The tenant of a Microsoft authorization-code consent when none is named: any work or school account. */
export const MICROSOFT_DEFAULT_TENANT = 'organizations';

/** Which flows each provider offers. Custom providers: any; the admin knows their server. */
export const OAUTH2_FLOWS: Readonly<Record<OAuth2Provider, readonly OAuth2Flow[]>> = {
  microsoft: ['authorization-code', 'client-credentials'],
  google: ['authorization-code', 'service-account'],
  custom: ['authorization-code', 'client-credentials', 'service-account'],
};

/** Limits of the OAuth2 settings' text fields. */
export const OAUTH2_SETTINGS_LIMITS = {
  /** A tenant is a GUID or a domain name (at most 253 characters). */
  maxTenantChars: 253,
  /** Endpoint URLs: 2,000 characters is what every browser and proxy passes. */
  maxUrlChars: 2000,
  /** Scopes of one request: a handful in practice; 20 bounds the record (decision 12). */
  maxScopes: 20,
  /** One scope: Microsoft's longest are URLs of about 60 characters; 255 leaves room for any provider's. */
  maxScopeChars: 255,
} as const;

/** Endpoints, scopes and extra authorize parameters of one server's settings. */
export interface ResolvedOAuth2 {
  /** Absent for the app-only flows, which need no browser. */
  readonly authorizeUrl?: string;
  readonly tokenUrl: string;
  readonly scopes: readonly string[];
  /** Added to the consent URL: Google needs `access_type=offline` and `prompt=consent` for a refresh token. */
  readonly authorizeParams: Readonly<Record<string, string>>;
}

/**
 * The endpoints and scopes of `settings` for a server of `type`. Scopes: the settings' own when
 * given, else the preset's (Microsoft: delegated per type + offline_access, or `.default` for
 * client credentials; Google: https://mail.google.com/). Microsoft's tenant @default 'organizations'.
 * Call it with settings that passed {@link oauth2SettingsProblems}.
 */
export function resolveOAuth2(settings: OAuth2Settings, type: MailServerType): ResolvedOAuth2 {
  const own = settings.scopes && settings.scopes.length > 0 ? settings.scopes : undefined;
  const browser = settings.flow === 'authorization-code';
  if (settings.provider === 'microsoft') {
    const base = `https://login.microsoftonline.com/${encodeURIComponent(settings.tenant ?? MICROSOFT_DEFAULT_TENANT)}/oauth2/v2.0`;
    const scopes = own ?? (browser ? MICROSOFT_DELEGATED_SCOPES[type] : [MICROSOFT_APP_SCOPE]);
    return { ...(browser && { authorizeUrl: `${base}/authorize` }), tokenUrl: `${base}/token`, scopes, authorizeParams: {} };
  }
  if (settings.provider === 'google') {
    return {
      ...(browser && { authorizeUrl: GOOGLE_ENDPOINTS.authorize }),
      tokenUrl: GOOGLE_ENDPOINTS.token,
      scopes: own ?? [GOOGLE_MAIL_SCOPE],
      authorizeParams: browser ? { access_type: 'offline', prompt: 'consent' } : {},
    };
  }
  return {
    ...(browser && settings.authorizeUrl !== undefined && { authorizeUrl: settings.authorizeUrl }),
    tokenUrl: settings.tokenUrl ?? '',
    scopes: own ?? [],
    authorizeParams: {},
  };
}

/**
 * The broken rules of a server's OAuth2 settings, keyed `oauth2.<field>`: a known provider and a
 * flow it offers ({@link OAUTH2_FLOWS}); a client id; Microsoft client credentials need a tenant
 * (app-only tokens are per tenant, never `organizations`); custom providers need a token endpoint
 * (and an authorization endpoint for the consent flow), https, or http only on a loopback host;
 * a client secret expiry that is a date. `settings` undefined: `oauth2` is required.
 */
export function oauth2SettingsProblems(settings: OAuth2Settings | undefined, _type: MailServerType): FieldProblems {
  if (settings === undefined) return { oauth2: problem(R.mailServerOAuth2Required, 'required with OAuth2 authentication: provider, flow and client id') };
  const L = OAUTH2_SETTINGS_LIMITS;
  const fields: FieldProblems = {};
  const provider = settings.provider;
  if (!(provider in OAUTH2_FLOWS)) {
    fields['oauth2.provider'] = problem(R.mailServerOAuth2FlowNotForProvider, 'must be microsoft, google or custom');
    return fields;
  }
  if (!OAUTH2_FLOWS[provider].includes(settings.flow)) {
    fields['oauth2.flow'] = problem(R.mailServerOAuth2FlowNotForProvider, `must be ${OAUTH2_FLOWS[provider].join(' or ')} with ${provider}`);
  }
  const id = textProblem(settings.clientId, MAIL_SERVER_OPTION_LIMITS.maxClientIdChars);
  if (id) fields['oauth2.clientId'] = id;
  if (settings.tenant !== undefined) {
    if (!/^[A-Za-z0-9.-]{1,253}$/.test(settings.tenant)) fields['oauth2.tenant'] = problem(R.mailServerOAuth2SettingInvalid, 'must be a directory (tenant) id or a domain name');
  } else if (provider === 'microsoft' && settings.flow === 'client-credentials') {
    fields['oauth2.tenant'] = problem(R.mailServerOAuth2SettingRequired, 'required with client credentials: app-only tokens are issued by one tenant');
  }
  const needsAuthorize = provider === 'custom' && settings.flow === 'authorization-code';
  for (const [key, url, required] of [
    ['authorizeUrl', settings.authorizeUrl, needsAuthorize],
    ['tokenUrl', settings.tokenUrl, provider === 'custom'],
  ] as const) {
    if (url === undefined) {
      if (required) fields[`oauth2.${key}`] = problem(R.mailServerOAuth2SettingRequired, 'required with a custom provider');
    } else if (provider !== 'custom') {
      fields[`oauth2.${key}`] = problem(R.mailServerOptionNotForType, `only for a custom provider; ${provider} has its own`);
    } else {
      const p = endpointProblem(url);
      if (p) fields[`oauth2.${key}`] = problem(R.mailServerOAuth2SettingInvalid, p);
    }
  }
  const scopes = settings.scopes ?? [];
  if (scopes.length > L.maxScopes) fields['oauth2.scopes'] = problem(R.valueOutOfRange, `at most ${L.maxScopes} scopes`);
  scopes.forEach((scope, i) => {
    if (!/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope) || scope.length > L.maxScopeChars) {
      fields[`oauth2.scopes[${i}]`] = problem(R.mailServerOAuth2SettingInvalid, `must be 1-${L.maxScopeChars} printable characters without spaces, quotes or backslashes (RFC 6749 3.3)`);
    }
  });
  if (settings.clientSecretExpiresAt !== undefined && !isIsoDate(settings.clientSecretExpiresAt)) {
    fields['oauth2.clientSecretExpiresAt'] = problem(R.mailServerOAuth2SettingInvalid, 'must be a date (2027-03-31) or an ISO time');
  }
  return fields;
}

/** Why `url` cannot be an OAuth2 endpoint, or undefined: https, or http on a loopback host only (tests, a local provider). */
export function endpointProblem(url: string): string | undefined {
  if (url.length > OAUTH2_SETTINGS_LIMITS.maxUrlChars) return `must be at most ${OAUTH2_SETTINGS_LIMITS.maxUrlChars} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL';
  }
  if (parsed.username || parsed.password) return 'must not carry a user or password';
  if (parsed.hash) return 'must not have a #fragment (RFC 6749 3.1)';
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return undefined;
  return 'must be https (http only for localhost, 127.0.0.1 or [::1])';
}

/** True for localhost, 127.0.0.0/8 and [::1]: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function textProblem(value: string, max: number) {
  if (hasControlCharacters(value)) return problem(R.mailServerTextInvalid, 'must not hold control characters or line breaks');
  const n = charCount(value.trim());
  return n === 0 || n > max ? problem(R.valueOutOfRange, `must be 1-${max} characters`) : undefined;
}

/** `YYYY-MM-DD` or a full ISO time that is a real date. */
function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) && !Number.isNaN(Date.parse(value));
}
