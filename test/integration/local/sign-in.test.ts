/**
 * The local issuer over HTTP on the runtime's API server (sign-in, console and API on one origin,
 * local-site.ts): authorization code + PKCE S256 from the form to the tokens, everything it must
 * refuse (a wrong verifier, a reused code, a foreign redirect URI, a rotated refresh token, guessing
 * past the rate limit, a foreign origin), tokens that verify against the served JWKS with Cognito's
 * claims, the console's files and config.json with their headers, and the CLI's minted admin token.
 * No password or hash appears in any answer or log line.
 */
import { createPublicKey, verify } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../../lambdas/adapters/api/app.ts';
import { jwtCallerResolver } from '../../../lambdas/adapters/auth/token-verifier.ts';
import { runCli } from '../../../lambdas/cli/program.ts';
import { startApiServer, type ApiServer } from '../../../lambdas/local/api-server.ts';
import { createLocalSite, type LocalSite } from '../../../lambdas/local/local-site.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createLocalIssuer, LOCAL_TOKEN_CLIENT_IDS } from '../../../lambdas/local/sign-in/local-issuer.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { dynamoApiDeps } from '../../support/api-app.ts';
import { pkcePair } from '../../support/pkce.ts';

let dynalite: Dynalite;
let tables: Tables;
let dataDir: string;
let site: LocalSite;
let server: ApiServer;
const logs: string[] = [];
const authorizations: (string | null)[] = [];
const PASSWORD = 'anna-secret-password';

beforeAll(async () => {
  dynalite = await startDynalite();
  tables = await createTables(dynalite.endpoint, 'sign-in');
  dataDir = await mkdtemp(join(tmpdir(), 'postroom-sign-in-'));
  const consoleDir = join(dataDir, 'console');
  await mkdir(consoleDir);
  await writeFile(join(consoleDir, 'index.html'), '<!doctype html><title>console</title><script type="module" src="app-3F2A9BC1.js"></script>');
  await writeFile(join(consoleDir, 'app-3F2A9BC1.js'), 'export {};');
  await writeFile(join(dataDir, 'outside.txt'), 'not for the web');
  site = await createLocalSite({ dataDir, doc: tables.doc, configTable: tables.config, consoleDir, log: (line) => logs.push(line) });
  server = await startApiServer(site, 0);
  site.issuer.listen(server.url, server.origins);
  const api = createApiApp(dynamoApiDeps(tables, {}, { users: site.issuer.users }));
  site.serveApi({ fetch: (req, env) => (authorizations.push(req.headers.get('authorization')), api.fetch(req, env as never)) });
  await site.issuer.users.create({ username: 'anna', role: 'agent', password: PASSWORD });
  await site.issuer.users.create({ username: 'bo', role: 'supervisor', password: 'bo-secret-password' });
});

afterAll(async () => {
  await server?.stop();
  await site?.stop();
  tables?.destroy();
  await dynalite?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const consoleUrl = () => `${server.url}/console/`;
const pkce = pkcePair;
const authorizeQuery = (challenge: string, over: Record<string, string> = {}) =>
  new URLSearchParams({ response_type: 'code', client_id: 'postroom-console', redirect_uri: consoleUrl(), code_challenge: challenge, code_challenge_method: 'S256', state: 'st-1', ...over });
const form = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', redirect: 'manual', body: new URLSearchParams(fields), headers: { origin: server.url, ...headers } });

/** Signs in through the form; the code from the redirect, or the refusing response. */
async function signIn(username: string, password: string, challenge: string): Promise<{ code?: string; res: Response }> {
  const res = await form(`${server.url}/auth/authorize`, { ...Object.fromEntries(authorizeQuery(challenge)), username, password });
  const location = res.headers.get('location');
  return { res, ...(location && { code: new URL(location).searchParams.get('code')! }) };
}

const token = async (fields: Record<string, string>) => {
  const res = await form(`${server.url}/auth/token`, { client_id: 'postroom-console', ...fields });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

/** The claims of `jwt` when its RS256 signature verifies with a key of the served JWKS. */
async function verifiedClaims(jwt: string): Promise<Record<string, any>> {
  const jwks = (await (await fetch(`${server.url}/auth/jwks.json`)).json()) as { keys: { kid: string }[] };
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString());
  expect(alg).toBe('RS256');
  const key = createPublicKey({ key: jwks.keys.find((k) => k.kid === kid) as never, format: 'jwk' });
  expect(verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))).toBe(true);
  return JSON.parse(Buffer.from(payload, 'base64url').toString());
}

/** The caller the API's verifier (the one deployed for Cognito) makes of `jwt`. */
const asCaller = (jwt: string) =>
  jwtCallerResolver({ issuer: site.issuer.issuer(), clientIds: LOCAL_TOKEN_CLIENT_IDS, jwks: { keys: [...site.issuer.jwks.keys] } }).resolve({ authorization: `Bearer ${jwt}` });

describe('the sign-in page', () => {
  it('shows an accessible form in the browser\'s language, with strict headers', async () => {
    const { challenge } = pkce();
    const de = await fetch(`${server.url}/auth/authorize?${authorizeQuery(challenge)}`, { headers: { 'accept-language': 'fr;q=0.9, de-CH;q=0.8, en;q=0.5' } });
    expect(de.status).toBe(200);
    expect(de.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(de.headers.get('cache-control')).toBe('no-store');
    const html = await de.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<label for="username">Benutzername</label>');
    expect(html).toContain('autocomplete="current-password"');
    const ja = await (await fetch(`${server.url}/auth/authorize?${authorizeQuery(challenge)}`, { headers: { 'accept-language': 'ja-JP' } })).text();
    expect(ja).toContain('Postroom にサインイン');
  });

  it('refuses foreign redirect URIs, other clients and requests without S256 (no redirect)', async () => {
    const { challenge } = pkce();
    const cases: Record<string, string>[] = [{ redirect_uri: 'http://evil.test/console/' }, { redirect_uri: `${server.url}/console/x` }, { client_id: 'other' }, { code_challenge_method: 'plain' }, { code_challenge: 'short' }];
    for (const over of cases) {
      const res = await fetch(`${server.url}/auth/authorize?${authorizeQuery(challenge, over)}`);
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(await res.text()).not.toContain('<form');
    }
  });

  it('announces a wrong password, and refuses a post from another origin', async () => {
    const { challenge } = pkce();
    const { res, code } = await signIn('anna', 'wrong-password-1', challenge);
    expect(code).toBeUndefined();
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/role="alert">The username or password is not correct\./);
    const foreign = await form(`${server.url}/auth/authorize`, { ...Object.fromEntries(authorizeQuery(challenge)), username: 'anna', password: PASSWORD }, { origin: 'http://evil.test' });
    expect(foreign.status).toBe(403);
  });
});

describe('authorization code with PKCE', () => {
  it('redirects with a code and the state, and exchanges it once for tokens with Cognito\'s claims', async () => {
    const { verifier, challenge } = pkce();
    const { res, code } = await signIn('anna', PASSWORD, challenge);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${consoleUrl()}\\?code=[\\w-]{43}&state=st-1$`));
    const wrong = await token({ grant_type: 'authorization_code', code: code!, redirect_uri: consoleUrl(), code_verifier: pkce().verifier });
    expect(wrong).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    // The failed attempt spent the code: the right verifier comes too late.
    expect((await token({ grant_type: 'authorization_code', code: code!, redirect_uri: consoleUrl(), code_verifier: verifier })).body.error).toBe('invalid_grant');

    const second = await signIn('anna', PASSWORD, challenge);
    expect((await token({ grant_type: 'authorization_code', code: second.code!, redirect_uri: `${server.url.replace('127.0.0.1', 'localhost')}/console/`, code_verifier: verifier })).body.error).toBe('invalid_grant');

    const third = await signIn('anna', PASSWORD, challenge);
    const ok = await token({ grant_type: 'authorization_code', code: third.code!, redirect_uri: consoleUrl(), code_verifier: verifier });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ access_token: expect.any(String), refresh_token: expect.stringMatching(/^[\w-]{43}$/), token_type: 'Bearer', expires_in: 3600 });
    const claims = await verifiedClaims(ok.body.access_token);
    expect(claims).toMatchObject({ sub: 'anna', username: 'anna', 'cognito:groups': ['agent'], token_use: 'access', client_id: 'postroom-console', iss: `${server.url}/auth` });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(await asCaller(ok.body.access_token)).toEqual({ id: 'anna', role: 'agent', kind: 'user' });
    expect((await token({ grant_type: 'authorization_code', code: third.code!, redirect_uri: consoleUrl(), code_verifier: verifier })).body.error).toBe('invalid_grant');
  });

  it('rotates refresh tokens; a rotated one revokes its family; a disabled user gets none', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await signIn('bo', 'bo-secret-password', challenge);
    const first = await token({ grant_type: 'authorization_code', code: code!, redirect_uri: consoleUrl(), code_verifier: verifier });
    const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect((await verifiedClaims(second.body.access_token))['cognito:groups']).toEqual(['supervisor']);
    expect((await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token })).body.error).toBe('invalid_grant');
    expect((await token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token })).body.error).toBe('invalid_grant');

    const again = await signIn('bo', 'bo-secret-password', challenge);
    const fresh = await token({ grant_type: 'authorization_code', code: again.code!, redirect_uri: consoleUrl(), code_verifier: verifier });
    await site.issuer.users.update('bo', { enabled: false });
    expect((await token({ grant_type: 'refresh_token', refresh_token: fresh.body.refresh_token })).body.error).toBe('invalid_grant');
    expect((await signIn('bo', 'bo-secret-password', challenge)).res.status).toBe(401);
    expect((await token({ grant_type: 'password', username: 'bo' })).body.error).toBe('unsupported_grant_type');
    expect((await form(`${server.url}/auth/token`, { client_id: 'other', grant_type: 'refresh_token', refresh_token: 'x' })).status).toBe(401);
  });

  it('stops checking a username\'s password after 5 failures', async () => {
    const { challenge } = pkce();
    await site.issuer.users.create({ username: 'cy', role: 'agent', password: 'cy-secret-password' });
    for (let n = 0; n < 5; n++) expect((await signIn('cy', `guess-${n}-password`, challenge)).res.status).toBe(401);
    const limited = await signIn('cy', 'cy-secret-password', challenge);
    expect(limited.res.status).toBe(429);
    expect(await limited.res.text()).toMatch(/role="alert">Too many failed sign-ins for this user\. Try again in 15 minutes\./);
    expect((await signIn('anna', PASSWORD, challenge)).res.status).toBe(303);
  });
});

describe('keys, logout and the console', () => {
  it('keeps the key owner-only and across restarts, and serves it as a JWKS', async () => {
    expect((await stat(site.issuer.keys.keyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'issuer'))).mode & 0o777).toBe(0o700);
    const reopened = await createLocalIssuer({ dir: join(dataDir, 'issuer'), doc: tables.doc, configTable: tables.config });
    expect(reopened.keys.kid).toBe(site.issuer.keys.kid);
    const jwks = await (await fetch(`${server.url}/auth/.well-known/jwks.json`)).json();
    expect(jwks).toEqual({ keys: [{ kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: site.issuer.keys.kid, alg: 'RS256', use: 'sig' }] });
  });

  it('logs out to the console only', async () => {
    const ok = await fetch(`${server.url}/auth/logout?client_id=postroom-console&logout_uri=${encodeURIComponent(consoleUrl())}`, { redirect: 'manual' });
    expect([ok.status, ok.headers.get('location')]).toEqual([302, consoleUrl()]);
    expect((await fetch(`${server.url}/auth/logout?client_id=postroom-console&logout_uri=http://evil.test/`, { redirect: 'manual' })).status).toBe(400);
  });

  it('serves the console with its headers, and config.json naming this origin', async () => {
    const index = await fetch(consoleUrl());
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('referrer-policy')).toBe('no-referrer');
    const asset = await fetch(`${consoleUrl()}app-3F2A9BC1.js`);
    expect([asset.headers.get('content-type'), asset.headers.get('cache-control')]).toEqual(['text/javascript; charset=utf-8', 'public, max-age=31536000, immutable']);
    expect((await fetch(`${consoleUrl()}..%2Foutside.txt`)).status).toBe(404);
    const config = await (await fetch(`${consoleUrl()}config.json`)).json();
    expect(config).toEqual({
      apiUrl: server.url,
      auth: { issuer: `${server.url}/auth`, authorizeUrl: `${server.url}/auth/authorize`, tokenUrl: `${server.url}/auth/token`, logoutUrl: `${server.url}/auth/logout`, clientId: 'postroom-console', scopes: ['openid'] },
    });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('the local CLI', () => {
  it('signs its requests with a 5-minute admin token minted from the key file', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'postroom-cli-'));
    await mkdir(join(cwd, '.postroom'));
    await writeFile(join(cwd, '.postroom', 'runtime.json'), JSON.stringify({ apiUrl: server.url, issuer: { url: site.issuer.issuer(), keyFile: site.issuer.keys.keyFile } }));
    const out: string[] = [];
    authorizations.length = 0;
    const code = await runCli(['user', 'list'], { out: (t) => out.push(t), err: (t) => out.push(t), env: {}, cwd });
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/anna\s+agent\s+yes/);
    const claims = await verifiedClaims(authorizations[0]!.replace(/^Bearer /, ''));
    expect(claims).toMatchObject({ username: 'cli', 'cognito:groups': ['admin'], client_id: 'postroom-cli', iss: `${server.url}/auth` });
    expect(claims.exp - claims.iat).toBe(300);
    expect(await asCaller(authorizations[0]!.replace(/^Bearer /, ''))).toEqual({ id: 'cli', role: 'admin', kind: 'user' });
    await rm(cwd, { recursive: true, force: true });
  });

  it('never logged a password or a hash', () => {
    expect(logs.join('\n')).toContain('sign-in: anna signed in (agent)');
    expect(logs.join('\n')).not.toMatch(/secret-password|guess-|wrong-password|scrypt/);
  });
});
