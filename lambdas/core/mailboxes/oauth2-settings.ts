/**
 * A mail server's OAuth2 settings (issue 10 item 3): which provider, which flow, which client. The
 * client secret, the service account's private key and the tokens are secrets: they live in the
 * {@link MailServerSecret} (Secrets Manager), never here.
 */

/** Presets fill the endpoints and scopes; `custom` names them. */
export type OAuth2Provider = 'microsoft' | 'google' | 'custom';

/**
 * `authorization-code`: an admin consents once in the browser, Postroom keeps the refresh token.
 * `client-credentials`: Microsoft 365 app-only (IMAP.AccessAsApp, POP.AccessAsApp, SMTP.SendAsApp).
 * `service-account`: Google service account with domain-wide delegation (a signed JWT, RFC 7523).
 */
export type OAuth2Flow = 'authorization-code' | 'client-credentials' | 'service-account';

export interface OAuth2Settings {
  readonly provider: OAuth2Provider;
  readonly flow: OAuth2Flow;
  /** The application (client) id; for a Google service account its client_email. */
  readonly clientId: string;
  /** Microsoft: the directory (tenant) id or domain; @default 'organizations' for authorization-code. */
  readonly tenant?: string;
  /** Custom provider: the authorization endpoint (https). */
  readonly authorizeUrl?: string;
  /** Custom provider: the token endpoint (https; http only for a loopback host). */
  readonly tokenUrl?: string;
  /** Scopes; presets fill them per type when absent. */
  readonly scopes?: readonly string[];
  /** When the client secret expires (ISO date, entered by the admin); Postroom warns 14 days ahead. */
  readonly clientSecretExpiresAt?: string;
  /** Seed step 7: saving the server drops its refresh token and asks for a new consent. @default false */
  readonly reauthenticateOnSave?: boolean;
}

/** What the secret store holds for one server, as JSON; every field optional. */
export interface MailServerSecret {
  /** Basic authentication. */
  readonly password?: string;
  readonly oauth2?: {
    readonly clientSecret?: string;
    /** Google service account: the PEM private key of its JSON key file. */
    readonly privateKey?: string;
    readonly refreshToken?: string;
    readonly accessToken?: string;
    /** ISO time the access token expires. */
    readonly accessTokenExpiresAt?: string;
    /** ISO time the refresh token was issued or last used (Microsoft expires idle ones after 90 days). */
    readonly refreshTokenUsedAt?: string;
    /** An authorization-code consent under way (oauth2-consent.ts): single use, 10 minutes. */
    readonly pendingConsent?: PendingConsent;
    /** ISO time the last `Mail Server Secret Expiring` event was emitted (at most one a day). */
    readonly expiryWarnedAt?: string;
  };
}

/**
 * A consent started by `postroom server auth`: only the SHA-256 of its `state` is kept (the state
 * itself travels through the browser), with the PKCE verifier the code exchange must present.
 */
export interface PendingConsent {
  /** Hex SHA-256 of the state handed to the provider. */
  readonly stateHash: string;
  /** RFC 7636 code verifier (a secret until the exchange). */
  readonly codeVerifier: string;
  /** The redirect URI of the authorization request; the exchange must repeat it (RFC 6749 4.1.3). */
  readonly redirectUri: string;
  /** ISO time after which the state is refused. */
  readonly expiresAt: string;
}

/** Parses a stored secret; a bare string (older format) is a password. */
export function parseMailServerSecret(value: string | undefined): MailServerSecret {
  if (value === undefined || value === '') return {};
  try {
    const json = JSON.parse(value) as unknown;
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) return json as MailServerSecret;
  } catch {
    // not JSON: a password stored as text
  }
  return { password: value };
}

export function serializeMailServerSecret(secret: MailServerSecret): string {
  return JSON.stringify(secret);
}
