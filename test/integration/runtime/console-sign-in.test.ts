/**
 * The local runtime serves the sign-in, the console and the API on one origin: runtime.json records
 * the issuer for the CLI, `postroom user add|list` (the real bin, from the runtime's directory) work
 * with the minted admin token, the new user signs in through the form (choosing a new password for
 * the temporary one), and the data folder keeps
 * the issuer's key owner-only; the runtime's API takes the user's token and refuses what its role may
 * not do. (Wiring only; the flow's refusals are test/integration/local/sign-in.test.ts.)
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { runPostroom } from '../../support/cli.ts';
import { pkcePair } from '../../support/pkce.ts';

let runtime: LocalRuntime;
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'postroom-console-sign-in-'));
  runtime = await startLocalRuntime({ dataDir: join(cwd, '.postroom', 'data'), stateDir: join(cwd, '.postroom'), smtpPort: 0, apiPort: 0, dnsServers: ['127.0.0.1:9'], consoleDir: join(cwd, 'no-console') });
});

afterAll(async () => {
  await runtime?.stop();
  await rm(cwd, { recursive: true, force: true });
});

describe('sign-in on the local runtime', () => {
  it('records the issuer, keeps its key owner-only, and serves the console\'s config', async () => {
    const record = JSON.parse(await readFile(join(cwd, '.postroom', 'runtime.json'), 'utf8'));
    expect(record.issuer).toEqual({ url: `${runtime.apiUrl}/auth`, keyFile: join(cwd, '.postroom', 'data', 'issuer', 'private-key.pem') });
    expect((await stat(record.issuer.keyFile)).mode & 0o777).toBe(0o600);
    const config = await (await fetch(`${runtime.apiUrl}/console/config.json`)).json();
    expect(config).toMatchObject({ apiUrl: runtime.apiUrl, auth: { issuer: `${runtime.apiUrl}/auth`, clientId: 'postroom-console' } });
    const missing = await fetch(`${runtime.apiUrl}/console/`);
    expect(missing.status).toBe(503);
    expect(await missing.text()).toContain('npm run build:console');
  });

  it('adds a user with the CLI, who then signs in to the console', async () => {
    const add = await runPostroom(['user', 'add', 'anna', '--role', 'agent'], { cwd });
    expect(add.stderr).toBe('');
    const password = /Temporary password \(shown once\): (\S+)/.exec(add.stdout)![1]!;
    expect((await runPostroom(['user', 'list'], { cwd })).stdout).toMatch(/anna\s+agent\s+yes\s+must change password/);
    const { verifier, challenge } = pkcePair();
    const fields = {
      response_type: 'code',
      client_id: 'postroom-console',
      redirect_uri: `${runtime.apiUrl}/console/`,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 's',
      username: 'anna',
      password,
    };
    const step = await fetch(`${runtime.apiUrl}/auth/authorize`, { method: 'POST', redirect: 'manual', body: new URLSearchParams(fields), headers: { origin: runtime.apiUrl } });
    expect(step.status).toBe(200);
    const session = /name="session" value="([\w-]+)"/.exec(await step.text())![1]!;
    const chosen = { session, new_password: 'Annas-eigenes-Passwort-1', confirm_password: 'Annas-eigenes-Passwort-1' };
    const signIn = await fetch(`${runtime.apiUrl}/auth/new-password`, { method: 'POST', redirect: 'manual', body: new URLSearchParams(chosen), headers: { origin: runtime.apiUrl } });
    expect(signIn.status).toBe(303);
    expect((await runPostroom(['user', 'list'], { cwd })).stdout).toMatch(/anna\s+agent\s+yes\s+active/);
    const code = new URL(signIn.headers.get('location')!).searchParams.get('code')!;
    const tokens = await fetch(`${runtime.apiUrl}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'postroom-console', code, redirect_uri: fields.redirect_uri, code_verifier: verifier }),
      headers: { origin: runtime.apiUrl },
    });
    expect(tokens.status).toBe(200);
    const body = (await tokens.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    // The runtime's API verifies it with the verifier the deployed API uses for Cognito's tokens.
    const me = await fetch(`${runtime.apiUrl}/me`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(await me.json()).toMatchObject({ user: { username: 'anna', role: 'agent' } });
    expect((await fetch(`${runtime.apiUrl}/users`, { headers: { authorization: `Bearer ${body.access_token}` } })).status).toBe(403);
    expect((await fetch(`${runtime.apiUrl}/me`)).status).toBe(401);
  });
});
