/**
 * Talks to an OAuth2 token endpoint (RFC 6749 3.2) with node's fetch: the authorization-code
 * exchange with PKCE (4.1.3, RFC 7636), refresh (6), client credentials (4.4) and the JWT bearer
 * grant of a Google service account (RFC 7523 2.1, signed RS256 with node:crypto). The client
 * authenticates with client_secret_post, which Microsoft and Google both take.
 *
 * Failures become {@link MailConnectionError}: a refused grant or client (`invalid_grant`,
 * `invalid_client`, `unauthorized_client`, revoked consent) is `needs-reauth`, which only an admin
 * heals; an unreachable or failing endpoint is `dns`/`tcp`/`timeout`/`protocol`, which the next
 * poll retries. No message ever carries a token, a secret or a key.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { MailConnectionError } from '../../core/mailboxes/connection.ts';

/** A token endpoint that has not answered in 10 s is down for this poll; the next one retries. */
export const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

/** A token answer is a few KB (Microsoft's JWTs ~2-3 KB); 256 KiB is no token answer, so it is refused unparsed. */
export const MAX_TOKEN_RESPONSE_BYTES = 256 * 1024;

/** An access token's lifetime when the answer names none (RFC 6749 5.1 makes expires_in optional): one hour, what both presets issue. */
const DEFAULT_EXPIRES_IN_S = 3600;

/** A service account's assertion lives one hour, the most Google accepts. */
const ASSERTION_LIFETIME_S = 3600;

/** Provider descriptions are quoted to the admin, cut to this many characters (they carry trace ids, never tokens). */
const MAX_DESCRIPTION_CHARS = 300;

/** What a token endpoint issued. */
export interface TokenSet {
  readonly accessToken: string;
  /** ISO time the access token expires. */
  readonly expiresAt: string;
  /** Present when the provider issued (or rotated) one. */
  readonly refreshToken?: string;
}

/** The client that asks: its id, the token endpoint and, for confidential clients, its secret. */
export interface TokenClientIdentity {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret?: string;
}

export interface TokenClient {
  /** Authorization code + PKCE verifier -> tokens; the redirect URI must repeat the authorization request's. */
  exchangeCode(c: TokenClientIdentity & { code: string; codeVerifier: string; redirectUri: string }): Promise<TokenSet>;
  /** A new access token (and possibly a rotated refresh token) for `refreshToken`. */
  refresh(c: TokenClientIdentity & { refreshToken: string; scopes: readonly string[] }): Promise<TokenSet>;
  /** App-only token with the client's own secret (Microsoft 365 `.default`). */
  clientCredentials(c: TokenClientIdentity & { scopes: readonly string[] }): Promise<TokenSet>;
  /** Google service account with domain-wide delegation: a JWT signed with `privateKey` (PEM) for mailbox `subject`. */
  serviceAccount(c: TokenClientIdentity & { privateKey: string; subject: string; scopes: readonly string[] }): Promise<TokenSet>;
}

export interface TokenClientOptions {
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** @default {@link TOKEN_REQUEST_TIMEOUT_MS} */
  readonly timeoutMs?: number;
}

/** The token client over `fetch`. Defaults: global fetch, the system clock, a 10 s timeout per request. */
export function createTokenClient(options: TokenClientOptions = {}): TokenClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? TOKEN_REQUEST_TIMEOUT_MS;
  const post = (c: TokenClientIdentity, grant: Record<string, string>) =>
    requestToken(doFetch, now, timeoutMs, c.tokenUrl, { ...grant, client_id: c.clientId, ...(c.clientSecret !== undefined && { client_secret: c.clientSecret }) });
  return {
    exchangeCode: (c) => post(c, { grant_type: 'authorization_code', code: c.code, code_verifier: c.codeVerifier, redirect_uri: c.redirectUri }),
    refresh: (c) => post(c, { grant_type: 'refresh_token', refresh_token: c.refreshToken, ...(c.scopes.length > 0 && { scope: c.scopes.join(' ') }) }),
    clientCredentials: (c) => post(c, { grant_type: 'client_credentials', scope: c.scopes.join(' ') }),
    serviceAccount: (c) => {
      const assertion = serviceAccountAssertion(c, now());
      // RFC 7523 2.1: the assertion authenticates; Google wants no client_id/secret beside it.
      return requestToken(doFetch, now, timeoutMs, c.tokenUrl, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    },
  };
}

/**
 * The signed JWT of a service account (RFC 7523 3): iss = the client (service account e-mail),
 * sub = the mailbox it acts for (domain-wide delegation), aud = the token endpoint, one hour.
 */
export function serviceAccountAssertion(c: TokenClientIdentity & { privateKey: string; subject: string; scopes: readonly string[] }, now: Date): string {
  const iat = Math.floor(now.getTime() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: c.clientId, sub: c.subject, scope: c.scopes.join(' '), aud: c.tokenUrl, iat, exp: iat + ASSERTION_LIFETIME_S })}`;
  let key;
  try {
    key = createPrivateKey(c.privateKey);
  } catch {
    throw new MailConnectionError('needs-reauth', 'the service account private key is not a valid PEM key: store the key of the JSON key file again');
  }
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

async function requestToken(doFetch: typeof fetch, now: () => Date, timeoutMs: number, tokenUrl: string, form: Record<string, string>): Promise<TokenSet> {
  const host = hostOf(tokenUrl);
  let res: Response;
  let text: string;
  try {
    res = await doFetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    throw networkError(err, host, timeoutMs);
  }
  if (text.length > MAX_TOKEN_RESPONSE_BYTES) throw new MailConnectionError('protocol', `the OAuth2 token endpoint ${host} answered more than ${MAX_TOKEN_RESPONSE_BYTES} bytes`);
  const body = parseJson(text);
  if (res.ok) return tokenSetOf(body, now(), host);
  throw tokenError(res.status, body, host);
}

function tokenSetOf(body: Record<string, unknown> | undefined, now: Date, host: string): TokenSet {
  const accessToken = body?.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') throw new MailConnectionError('protocol', `the OAuth2 token endpoint ${host} answered without an access token`);
  const expiresIn = Number(body?.expires_in ?? DEFAULT_EXPIRES_IN_S);
  const seconds = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN_S;
  const refreshToken = typeof body?.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : undefined;
  return { accessToken, expiresAt: new Date(now.getTime() + seconds * 1000).toISOString(), ...(refreshToken && { refreshToken }) };
}

/** OAuth2 error codes that only an admin heals: a new consent, a new secret, a permission granted. */
const REAUTH_ERRORS: ReadonlySet<string> = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client', 'consent_required', 'interaction_required', 'access_denied']);

/**
 * Azure AD codes of a revoked or missing consent, a disabled app or a removed client, in case the
 * provider sends them under another `error`: AADSTS65001 (no consent), 70000 (grant invalid or
 * revoked), 700082 (refresh token idle 90 days), 50173 (grant revoked by a password change),
 * 700016 (application not found), 7000222 (client secret expired).
 */
const AAD_REAUTH = /AADSTS(65001|70000|700082|50173|700016|7000222|7000215)\b/;

/** The error of an OAuth2 error answer (RFC 6749 5.2), quoting the provider's description. */
function tokenError(status: number, body: Record<string, unknown> | undefined, host: string): MailConnectionError {
  const code = typeof body?.error === 'string' ? body.error : undefined;
  const description = typeof body?.error_description === 'string' ? cleanDescription(body.error_description) : '';
  const said = code ? `${code}${description ? `: ${description}` : ''}` : `HTTP ${status}`;
  if ((code && REAUTH_ERRORS.has(code)) || AAD_REAUTH.test(description)) {
    return new MailConnectionError('needs-reauth', `the OAuth2 provider refused the grant (${said}); the admin must consent again (postroom server auth) or fix the client`);
  }
  if (status >= 500 || status === 429 || !code) return new MailConnectionError('protocol', `the OAuth2 token endpoint ${host} failed (${said}); retrying at the next poll`);
  return new MailConnectionError('authentication', `the OAuth2 token endpoint ${host} refused the request (${said})`);
}

/** Connection failures by node's error codes (fetch wraps them in `cause`). */
function networkError(err: unknown, host: string, timeoutMs: number): MailConnectionError {
  const name = (err as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new MailConnectionError('timeout', `the OAuth2 token endpoint ${host} did not answer within ${timeoutMs / 1000} s`);
  const code = String((err as { cause?: { code?: unknown } } | undefined)?.cause?.code ?? '');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new MailConnectionError('dns', `the OAuth2 token endpoint ${host} is not in DNS`);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return new MailConnectionError('tls-certificate', `the OAuth2 token endpoint ${host} presented a certificate that is not trusted (${code})`);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new MailConnectionError('timeout', `the OAuth2 token endpoint ${host} did not accept a connection`);
  return new MailConnectionError('tcp', `the OAuth2 token endpoint ${host} could not be reached${code ? ` (${code})` : ''}`);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** One line of printable text, bounded: a description is shown to the admin and stored as the last error. */
function cleanDescription(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > MAX_DESCRIPTION_CHARS ? `${line.slice(0, MAX_DESCRIPTION_CHARS)}…` : line;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'of the settings';
  }
}
