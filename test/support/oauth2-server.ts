/**
 * A loopback OAuth2 authorization server for the tests (issue 10 item 7): an authorize endpoint
 * that consents at once (or answers `error=access_denied`), a token endpoint for the four grants
 * Postroom uses (authorization_code with a PKCE S256 check, refresh_token with optional rotation,
 * client_credentials, RFC 7523 jwt-bearer verified RS256 against a registered key) and the RFC 7662
 * introspection endpoint Dovecot's oauth2 passdb calls (dovecot-config.ts), so a token it issued
 * logs in to Dovecot until it expires or its grant is revoked. Controls let a test expire tokens,
 * revoke grants, fail requests and count them.
 */
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestClient {
  /** Confidential clients: the secret the token endpoint demands. */
  readonly secret?: string;
  /** Service accounts: the PEM public key its JWTs are verified with. */
  readonly publicKey?: string;
  /** Client credentials: the mailbox user app-only tokens name at introspection. */
  readonly appUser?: string;
}

interface Grant {
  readonly clientId: string;
  readonly user: string;
  refreshToken?: string;
  revoked: boolean;
}

export interface TestOAuth2Server {
  /** http://127.0.0.1:port */
  readonly url: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  /** For DovecotOAuth2Options.introspectionUrl. */
  readonly introspectionUrl: string;
  readonly clients: Map<string, TestClient>;
  /** Token requests by grant type, in order (`authorization_code`, `refresh_token`, ...). */
  readonly tokenRequests: string[];
  /** Seconds an access token lives. @default 3600 */
  accessTokenTtl: number;
  /** Issue a new refresh token on every refresh (the old one stops working). @default false */
  rotateRefreshTokens: boolean;
  /** The next authorize request answers error=access_denied. */
  denyNextConsent: boolean;
  /** The next token requests answer this HTTP status with `server_error`, one per entry. */
  readonly failNext: number[];
  /** Expires every access token issued so far (introspection calls them inactive). */
  expireAccessTokens(): void;
  /** Revokes the grant behind a refresh token: refreshing answers invalid_grant, its access tokens go inactive. */
  revokeGrant(refreshToken: string): void;
  /** Every access token issued, with the user it names. */
  readonly accessTokens: Map<string, { user: string; expiresAt: number; grant?: Grant }>;
  stop(): Promise<void>;
}

const token = (prefix: string) => `${prefix}-${randomBytes(16).toString('hex')}`;

/** Starts the server on a free 127.0.0.1 port. */
export async function startTestOAuth2Server(): Promise<TestOAuth2Server> {
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; user: string }>();
  const grants = new Map<string, Grant>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => json(res, 500, { error: 'server_error', error_description: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state: TestOAuth2Server = {
    url: base,
    authorizeUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    introspectionUrl: `${base}/introspect`,
    clients: new Map(),
    tokenRequests: [],
    accessTokenTtl: 3600,
    rotateRefreshTokens: false,
    denyNextConsent: false,
    failNext: [],
    accessTokens: new Map(),
    expireAccessTokens() {
      for (const t of state.accessTokens.values()) t.expiresAt = 0;
    },
    revokeGrant(refreshToken) {
      const g = grants.get(refreshToken);
      if (g) g.revoked = true;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  function issue(clientId: string, user: string, withRefresh: boolean, grant?: Grant) {
    const accessToken = token('at');
    const g = grant ?? (withRefresh ? { clientId, user, revoked: false } : undefined);
    state.accessTokens.set(accessToken, { user, expiresAt: Date.now() + state.accessTokenTtl * 1000, ...(g && { grant: g }) });
    if (g && (!g.refreshToken || (grant && state.rotateRefreshTokens))) {
      if (g.refreshToken) grants.delete(g.refreshToken);
      g.refreshToken = token('rt');
      grants.set(g.refreshToken, g);
    }
    const refresh = g && (!grant || state.rotateRefreshTokens) ? { refresh_token: g.refreshToken } : {};
    return { access_token: accessToken, token_type: 'Bearer', expires_in: state.accessTokenTtl, ...refresh };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname === '/authorize') return authorize(url, res);
    const form = new URLSearchParams(await body(req));
    if (url.pathname === '/introspect') {
      const t = state.accessTokens.get(form.get('token') ?? '');
      const active = t !== undefined && t.expiresAt > Date.now() && !t.grant?.revoked;
      return json(res, 200, active ? { active: true, username: t.user } : { active: false });
    }
    if (url.pathname !== '/token') return json(res, 404, { error: 'not_found' });
    const type = form.get('grant_type') ?? '';
    state.tokenRequests.push(type);
    const status = state.failNext.shift();
    if (status !== undefined) return json(res, status, { error: 'server_error', error_description: 'the test made this request fail' });
    const clientId = form.get('client_id') ?? '';
    const client = state.clients.get(clientId);
    const clientOk = client !== undefined && (client.secret === undefined || client.secret === form.get('client_secret'));
    if (type === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!clientOk) return json(res, 401, { error: 'invalid_client' });
      if (!code || code.clientId !== clientId || code.redirectUri !== form.get('redirect_uri')) return json(res, 400, { error: 'invalid_grant', error_description: 'code unknown or used' });
      const challenge = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
      if (challenge !== code.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      return json(res, 200, issue(clientId, code.user, true));
    }
    if (type === 'refresh_token') {
      if (!clientOk) return json(res, 401, { error: 'invalid_client' });
      const g = grants.get(form.get('refresh_token') ?? '');
      if (!g || g.revoked || g.clientId !== clientId) return json(res, 400, { error: 'invalid_grant', error_description: 'AADSTS70000: the provided grant has expired or was revoked' });
      return json(res, 200, issue(clientId, g.user, true, g));
    }
    if (type === 'client_credentials') {
      if (!clientOk || client?.secret === undefined) return json(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: invalid client secret' });
      return json(res, 200, issue(clientId, client.appUser ?? clientId, false));
    }
    if (type === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return jwtBearer(form.get('assertion') ?? '', res);
    return json(res, 400, { error: 'unsupported_grant_type' });
  }

  function authorize(url: URL, res: ServerResponse): void {
    const p = url.searchParams;
    const redirect = new URL(p.get('redirect_uri') ?? '');
    redirect.searchParams.set('state', p.get('state') ?? '');
    if (state.denyNextConsent) {
      state.denyNextConsent = false;
      redirect.searchParams.set('error', 'access_denied');
      redirect.searchParams.set('error_description', 'The user declined the consent');
    } else {
      if (p.get('response_type') !== 'code' || p.get('code_challenge_method') !== 'S256' || !state.clients.has(p.get('client_id') ?? '')) {
        res.writeHead(400).end('bad authorize request');
        return;
      }
      const code = token('code');
      codes.set(code, { clientId: p.get('client_id')!, redirectUri: p.get('redirect_uri')!, challenge: p.get('code_challenge') ?? '', user: p.get('login_hint') ?? 'nobody' });
      redirect.searchParams.set('code', code);
    }
    res.writeHead(302, { location: redirect.toString() }).end();
  }

  function jwtBearer(assertion: string, res: ServerResponse): void {
    const [h, c, s] = assertion.split('.');
    const claims = JSON.parse(Buffer.from(c ?? '', 'base64url').toString() || '{}') as { iss?: string; sub?: string; aud?: string; exp?: number };
    const client = state.clients.get(claims.iss ?? '');
    const header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString() || '{}') as { alg?: string };
    const signed = client?.publicKey && header.alg === 'RS256' && verify('sha256', Buffer.from(`${h}.${c}`), createPublicKey(client.publicKey), Buffer.from(s ?? '', 'base64url'));
    if (!signed) return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    if (claims.aud !== state.tokenUrl || (claims.exp ?? 0) * 1000 < Date.now() || !claims.sub) return json(res, 400, { error: 'invalid_grant', error_description: 'bad audience, expiry or subject' });
    json(res, 200, issue(claims.iss!, claims.sub, false));
  }

  return state;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}
