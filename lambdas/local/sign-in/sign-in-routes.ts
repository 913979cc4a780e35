/**
 * The local issuer's endpoints (contract/console.ts LOCAL_AUTH_PATHS), served on the runtime's API
 * origin: OAuth 2.0 authorization code with PKCE S256 (RFC 6749, RFC 7636) for the console, a public
 * client. `GET /auth/authorize` shows the sign-in form; its POST checks the password and redirects to
 * the console with a single-use code, or, for a temporary password, shows the new-password step
 * whose POST to `/auth/new-password` sets the user's own password and then redirects with the code;
 * `POST /auth/token` exchanges the code (with its verifier) or a refresh token; `GET /auth/jwks.json` lists the public key; `GET /auth/logout` returns to the
 * console. Tokens have Cognito's shape, so the API verifies them as it verifies Cognito's.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ACCESS_TOKEN_TTL_SECONDS, LOCAL_AUTH_PATHS, LOCAL_CONSOLE_CLIENT_ID, LOCAL_CONSOLE_PATH } from '../../../contract/console.ts';
import { passwordPolicyProblems } from '../../core/access/password-policy.ts';
import { PASSWORD_LIMITS, type User } from '../../core/access/user-directory.ts';
import type { PasswordOutcome } from '../../adapters/users/local-user-directory.ts';
import type { IssuerGrants } from './grants.ts';
import { mintAccessToken, type IssuerKeys } from './issuer-keys.ts';
import { newPasswordPage, type NewPasswordError } from './new-password-page.ts';
import { NewPasswordSessions } from './new-password-step.ts';
import { signInLanguage, signInPage, type SignInPageInput } from './sign-in-page.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

/** Form posts here are a username and a password plus the request's parameters: a few KiB at most. */
const AUTH_BODY_LIMIT_BYTES = 16 * 1024;
/** Bounds of the request parameters carried through the form (a state or challenge is far shorter). */
const MAX_PARAM_CHARS = 1024;

/**
 * The users the sign-in checks: a password check (and what a right one leads to), the new password
 * replacing a temporary one, and a re-read at each refresh (a disabled user gets no new token).
 */
export interface SignInUsers {
  authenticate(username: string, password: string): Promise<{ user: User; outcome: PasswordOutcome } | undefined>;
  /** The confirmed user; `same-as-temporary`; undefined when the user has no valid temporary password any more. */
  completeNewPassword(username: string, password: string): Promise<User | 'same-as-temporary' | undefined>;
  get(username: string): Promise<User | undefined>;
}

/** What the endpoints need. */
export interface SignInDeps {
  readonly keys: IssuerKeys;
  readonly grants: IssuerGrants;
  readonly users: SignInUsers;
  readonly throttle: SignInThrottle;
  /** The tokens' `iss`: the runtime's `<origin>/auth`, known once the server listens. */
  readonly issuer: () => string;
  /** The origins the console is served on (`http://127.0.0.1:<port>` and the other loopback names). */
  readonly consoleOrigins: () => ReadonlySet<string>;
  readonly log?: (line: string) => void;
}

/**
 * Headers of every page and answer here: nothing cached, framed, sniffed or leaked by Referer to
 * another origin. Why `same-origin` and not `no-referrer`: under `no-referrer` a browser sends the
 * sign-in form's POST with `Origin: null`, which the local API server refuses as a foreign page
 * (api-server.ts); `same-origin` keeps the Referer off every other origin and the Origin on ours.
 */
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  // same-origin, not no-referrer: under no-referrer a browser posts the sign-in form with
  // `Origin: null`, which the local API server refuses as a foreign origin; no Referer leaves either way.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

interface AuthorizeRequest {
  readonly client_id: string;
  readonly redirect_uri: string;
  readonly code_challenge: string;
  readonly state: string;
  readonly scope: string;
}

/** The Hono routes of the local issuer; mount them at the origin's root. */
export function signInRoutes(deps: SignInDeps): Hono {
  const log = deps.log ?? (() => undefined);
  const routes = new Hono();
  const sessions = new NewPasswordSessions<AuthorizeRequest>();
  routes.use(`${LOCAL_AUTH_PATHS.issuer}/*`, bodyLimit({ maxSize: AUTH_BODY_LIMIT_BYTES, onError: (c) => c.text('request too large', 413) }));

  const consoleUrl = (value: string | undefined) => {
    if (value === undefined) return false;
    try {
      const url = new URL(value);
      return deps.consoleOrigins().has(url.origin) && url.pathname === LOCAL_CONSOLE_PATH && url.search === '' && url.hash === '' && value === url.href;
    } catch {
      return false;
    }
  };

  /** The authorization request's parameters when they are valid for the console; undefined otherwise. */
  const authorizeRequest = (p: Record<string, string | undefined>): AuthorizeRequest | undefined => {
    if (Object.values(p).some((v) => typeof v === 'string' && v.length > MAX_PARAM_CHARS)) return undefined;
    if (p.response_type !== 'code' || p.client_id !== LOCAL_CONSOLE_CLIENT_ID || !consoleUrl(p.redirect_uri)) return undefined;
    if (p.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(p.code_challenge ?? '')) return undefined;
    return { client_id: p.client_id, redirect_uri: p.redirect_uri!, code_challenge: p.code_challenge!, state: p.state ?? '', scope: p.scope ?? 'openid' };
  };

  const page = (c: Context, status: 200 | 400 | 401 | 429, input: Omit<SignInPageInput, 'language'>, uiLocales?: string) =>
    c.html(signInPage({ ...input, language: signInLanguage(uiLocales, c.req.header('accept-language')) }), status, PAGE_HEADERS);

  const hiddenOf = (r: AuthorizeRequest, uiLocales?: string) => ({
    response_type: 'code',
    client_id: r.client_id,
    redirect_uri: r.redirect_uri,
    code_challenge: r.code_challenge,
    code_challenge_method: 'S256',
    state: r.state,
    scope: r.scope,
    ...(uiLocales && { ui_locales: uiLocales }),
  });

  routes.get(LOCAL_AUTH_PATHS.authorize, (c) => {
    const query = c.req.query();
    const request = authorizeRequest(query);
    // A bad client or redirect URI is never redirected to (RFC 6749 4.1.2.1): the page says so.
    if (!request) return page(c, 400, { hidden: {}, notice: 'invalid-request', formless: true }, query.ui_locales);
    return page(c, 200, { hidden: hiddenOf(request, query.ui_locales) }, query.ui_locales);
  });

  routes.post(LOCAL_AUTH_PATHS.authorize, async (c) => {
    const form = await formOf(c);
    const request = authorizeRequest(form);
    if (!request) return page(c, 400, { hidden: {}, notice: 'invalid-request', formless: true }, form.ui_locales);
    const username = (form.username ?? '').trim().slice(0, MAX_PARAM_CHARS);
    const hidden = hiddenOf(request, form.ui_locales);
    const waitMs = deps.throttle.retryAfterMs(username);
    if (waitMs > 0) {
      log(`sign-in: ${username} refused, too many failed sign-ins`);
      return page(c, 429, { hidden, username, notice: 'rate-limited', retryMinutes: Math.ceil(waitMs / 60_000) }, form.ui_locales);
    }
    const checked = await deps.users.authenticate(username, form.password ?? '');
    if (!checked) {
      deps.throttle.fail(username);
      log(`sign-in: ${username} failed`);
      return page(c, 401, { hidden, username, notice: 'invalid-credentials' }, form.ui_locales);
    }
    const { user, outcome } = checked;
    // The right password (expired or not) ends the run of failures, as Cognito's does.
    deps.throttle.succeed(username);
    if (outcome === 'temporary-expired') {
      log(`sign-in: ${user.username} refused, temporary password expired`);
      return page(c, 401, { hidden, username, notice: 'temporary-expired' }, form.ui_locales);
    }
    if (outcome === 'new-password-required') {
      log(`sign-in: ${user.username} must choose a new password`);
      return newPasswordStep(c, 200, user.username, sessions.start(user.username, request), form.ui_locales);
    }
    return signedIn(c, user, request);
  });

  const newPasswordStep = (c: Context, status: 200 | 400, username: string, session: string, uiLocales?: string, errors?: readonly NewPasswordError[]) =>
    c.html(
      newPasswordPage({ language: signInLanguage(uiLocales, c.req.header('accept-language')), username, hidden: { session, ...(uiLocales && { ui_locales: uiLocales }) }, maxChars: PASSWORD_LIMITS.maxChars, ...(errors && { errors }) }),
      status,
      PAGE_HEADERS,
    );

  /** Issues the code for `user` and redirects to the console with it and the state. */
  const signedIn = (c: Context, user: User, request: AuthorizeRequest) => {
    log(`sign-in: ${user.username} signed in (${user.role})`);
    const code = deps.grants.issueCode({ username: user.username, clientId: request.client_id, redirectUri: request.redirect_uri, codeChallenge: request.code_challenge });
    const target = new URL(request.redirect_uri);
    target.searchParams.set('code', code);
    if (request.state) target.searchParams.set('state', request.state);
    return c.redirect(target.href, 303);
  };

  routes.post(LOCAL_AUTH_PATHS.newPassword, async (c) => {
    const form = await formOf(c);
    const session = (form.session ?? '').slice(0, MAX_PARAM_CHARS);
    const found = sessions.find(session);
    if (!found) return page(c, 400, { hidden: {}, notice: 'session-expired', formless: true }, form.ui_locales);
    const { username, request } = found;
    // The lockout holds here too: while a username is locked, its new password is not taken either.
    const waitMs = deps.throttle.retryAfterMs(username);
    if (waitMs > 0) {
      log(`sign-in: ${username} refused, too many failed sign-ins`);
      return page(c, 429, { hidden: {}, notice: 'rate-limited', retryMinutes: Math.ceil(waitMs / 60_000), formless: true }, form.ui_locales);
    }
    const password = form.new_password ?? '';
    const errors: NewPasswordError[] = passwordPolicyProblems(password);
    if (password !== (form.confirm_password ?? '')) errors.push('mismatch');
    const done = errors.length ? undefined : await deps.users.completeNewPassword(username, password);
    if (done === 'same-as-temporary' || errors.length) {
      if (done === 'same-as-temporary') errors.push(done);
      sessions.refused(session);
      log(`sign-in: ${username} new password refused (${errors.join(', ')})`);
      return newPasswordStep(c, 400, username, session, form.ui_locales, errors);
    }
    sessions.end(session);
    if (!done) return page(c, 400, { hidden: {}, notice: 'session-expired', formless: true }, form.ui_locales);
    log(`sign-in: ${username} chose a new password`);
    return signedIn(c, done, request);
  });

  routes.post(LOCAL_AUTH_PATHS.token, async (c) => {
    const form = await formOf(c);
    const refused = (error: string, status: 400 | 401 = 400) => c.json({ error }, status, { 'cache-control': 'no-store', pragma: 'no-cache' });
    if (form.client_id !== LOCAL_CONSOLE_CLIENT_ID) return refused('invalid_client', 401);
    let subject;
    let refreshToken: string | undefined;
    if (form.grant_type === 'authorization_code') {
      if (!form.code || !form.redirect_uri || !form.code_verifier) return refused('invalid_request');
      subject = deps.grants.redeemCode(form.code, { clientId: form.client_id, redirectUri: form.redirect_uri, codeVerifier: form.code_verifier });
    } else if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token) return refused('invalid_request');
      const rotated = await deps.grants.rotateRefresh(form.refresh_token, form.client_id);
      subject = rotated?.subject;
      refreshToken = rotated?.refreshToken;
    } else return refused('unsupported_grant_type');
    // The user is read again: a removed or disabled user gets no token, whatever it holds.
    const user = subject && (await deps.users.get(subject.username));
    if (!subject || !user?.enabled) return refused('invalid_grant');
    refreshToken ??= await deps.grants.issueRefresh(subject);
    const accessToken = mintAccessToken(deps.keys, { issuer: deps.issuer(), username: user.username, groups: [user.role], clientId: subject.clientId });
    return c.json({ access_token: accessToken, refresh_token: refreshToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS }, 200, { 'cache-control': 'no-store', pragma: 'no-cache' });
  });

  const jwks = (c: Context) => c.json({ keys: [deps.keys.publicJwk] }, 200, { 'cache-control': 'max-age=300' });
  routes.get(LOCAL_AUTH_PATHS.jwks, jwks);
  // Where Cognito serves its keys (<issuer>/.well-known/jwks.json): one verifier setting fits both.
  routes.get(`${LOCAL_AUTH_PATHS.issuer}/.well-known/jwks.json`, jwks);

  routes.get(LOCAL_AUTH_PATHS.logout, (c) => {
    const { client_id: clientId, logout_uri: logoutUri, ui_locales: uiLocales } = c.req.query();
    if (clientId !== LOCAL_CONSOLE_CLIENT_ID || !consoleUrl(logoutUri)) return page(c, 400, { hidden: {}, notice: 'invalid-request', formless: true }, uiLocales);
    return c.redirect(logoutUri!, 302);
  });

  return routes;
}

/** The form-encoded body's string fields (files and repeated fields are ignored). */
async function formOf(c: Context): Promise<Record<string, string | undefined>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return {};
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(await c.req.text())) if (!(name in out)) out[name] = value;
  return out;
}
