/**
 * The browser's side of sign-in: OAuth 2.0 authorization code with PKCE S256 against
 * `config.auth` (Cognito's hosted UI deployed, the runtime's issuer locally). Tokens live in memory
 * and in sessionStorage (one tab's lifetime: closing the tab signs out; no token in localStorage);
 * the access token is refreshed shortly before it expires with the refresh token.
 */
import type { ConsoleConfig } from '../config.ts';
import { randomToken, s256Challenge } from './pkce.ts';

/** What the console keeps after signing in. */
export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

const SESSION_KEY = 'postroom.session';
const PENDING_KEY = 'postroom.pkce';
const SIGNED_OUT_KEY = 'postroom.signed-out';
/** Refresh a minute early: clock skew and a slow request must not meet an expired token. */
export const REFRESH_MARGIN_MS = 60_000;

let tokens: Tokens | undefined;
let refreshing: Promise<Tokens | undefined> | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
/** Set once a sign-in redirect began: several polls answered 401 at once must start one sign-in, not several. */
let leaving = false;

/** The console's own URL without query or hash: the redirect and logout URI registered for it. */
export function consoleUrl(): string {
  return `${location.origin}${location.pathname}`;
}

/** True after an explicit sign-out in this tab (the start screen then offers to sign in again). */
export function wasSignedOut(): boolean {
  return sessionStorage.getItem(SIGNED_OUT_KEY) === '1';
}

/** Starts a sign-in: remembers verifier and state for this tab and leaves for the authorize URL. */
export async function beginSignIn(config: ConsoleConfig): Promise<void> {
  if (leaving) return;
  leaving = true;
  const verifier = randomToken();
  const state = randomToken(16);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, hash: location.hash }));
  sessionStorage.removeItem(SIGNED_OUT_KEY);
  const url = new URL(config.auth.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.auth.clientId,
    redirect_uri: consoleUrl(),
    scope: config.auth.scopes.join(' '),
    state,
    code_challenge: await s256Challenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * Finishes a sign-in when the page was opened with `?code&state`: checks the state, exchanges the
 * code, keeps the tokens and strips the query (restoring the hash route the user started from).
 * Returns false when the URL carries no code; throws when the state or the exchange fails.
 */
export async function completeSignIn(config: ConsoleConfig): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return false;
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as
    | { verifier: string; state: string; hash: string }
    | null;
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', `${consoleUrl()}${pending?.hash ?? ''}`);
  if (error) throw new Error(`sign-in refused: ${error}`);
  if (!pending || params.get('state') !== pending.state) throw new Error('sign-in state does not match');
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: code!,
    redirect_uri: consoleUrl(),
    client_id: config.auth.clientId,
    code_verifier: pending.verifier,
  });
  keep(await tokenRequest(config, body, undefined));
  scheduleRefresh(config);
  return true;
}

/** Loads the tab's tokens from sessionStorage; returns whether a usable session exists. */
export function restoreSession(config: ConsoleConfig): boolean {
  const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Tokens | null;
  if (!saved?.accessToken) return false;
  tokens = saved;
  if (saved.expiresAt - Date.now() <= REFRESH_MARGIN_MS && !saved.refreshToken) return false;
  scheduleRefresh(config);
  return true;
}

/** The access token to send, refreshed first when it is about to expire; undefined when signed out. */
export async function accessToken(config: ConsoleConfig): Promise<string | undefined> {
  if (!tokens) return undefined;
  if (tokens.expiresAt - Date.now() > REFRESH_MARGIN_MS) return tokens.accessToken;
  return (await refresh(config))?.accessToken;
}

/** Forgets the tokens (after a 401 the console signs in again). */
export function dropSession(): void {
  tokens = undefined;
  sessionStorage.removeItem(SESSION_KEY);
  if (refreshTimer) clearTimeout(refreshTimer);
}

/** Signs out: forgets the tokens and ends the provider's session through its logout URL. */
export function signOut(config: ConsoleConfig): void {
  dropSession();
  sessionStorage.setItem(SIGNED_OUT_KEY, '1');
  const url = new URL(config.auth.logoutUrl);
  url.search = new URLSearchParams({ client_id: config.auth.clientId, logout_uri: consoleUrl() }).toString();
  location.assign(url.toString());
}

function refresh(config: ConsoleConfig): Promise<Tokens | undefined> {
  const refreshToken = tokens?.refreshToken;
  if (!refreshToken) return Promise.resolve(undefined);
  // One refresh at a time: concurrent calls share it (a rotated refresh token is single-use).
  refreshing ??= tokenRequest(
    config,
    new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: config.auth.clientId }),
    refreshToken,
  )
    .then((t) => {
      keep(t);
      scheduleRefresh(config);
      return t;
    })
    .catch(() => {
      dropSession();
      return undefined;
    })
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

function scheduleRefresh(config: ConsoleConfig): void {
  if (refreshTimer) clearTimeout(refreshTimer);
  if (!tokens?.refreshToken) return;
  const wait = Math.max(0, tokens.expiresAt - Date.now() - REFRESH_MARGIN_MS);
  refreshTimer = setTimeout(() => void refresh(config), wait);
}

function keep(next: Tokens): void {
  tokens = next;
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
}

async function tokenRequest(config: ConsoleConfig, body: URLSearchParams, oldRefresh: string | undefined): Promise<Tokens> {
  const res = await fetch(config.auth.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    // Under a page policy of no-referrer this POST would say `Origin: null` (see build.mjs).
    referrerPolicy: 'same-origin',
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  const json = (await res.json()) as { access_token?: string; refresh_token?: string; expires_in?: number };
  if (!json.access_token) throw new Error('token endpoint sent no access_token');
  // Cognito does not rotate refresh tokens: keep the old one when none comes back.
  const refreshToken = json.refresh_token ?? oldRefresh;
  return {
    accessToken: json.access_token,
    ...(refreshToken && { refreshToken }),
    expiresAt: Date.now() + (json.expires_in ?? 3600) * 1000,
  };
}
