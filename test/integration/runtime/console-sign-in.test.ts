/**
 * The local runtime serves the sign-in, the console and the API on one origin: runtime.json records
 * the issuer for the CLI, `postroom user add|list` (the real bin, from the runtime's directory) work
 * with the minted admin token, the new user signs in through the form, and the data folder keeps
 * the issuer's key owner-only. (Unit of wiring; the flow's refusals are test/integration/local/sign-in.test.ts.)
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { runPostroom } from '../../support/cli.ts';

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
    expect((await runPostroom(['user', 'list'], { cwd })).stdout).toMatch(/anna\s+agent\s+yes/);
    const verifier = randomBytes(32).toString('base64url');
    const fields = {
      response_type: 'code',
      client_id: 'postroom-console',
      redirect_uri: `${runtime.apiUrl}/console/`,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state: 's',
      username: 'anna',
      password,
    };
    const signIn = await fetch(`${runtime.apiUrl}/auth/authorize`, { method: 'POST', redirect: 'manual', body: new URLSearchParams(fields), headers: { origin: runtime.apiUrl } });
    expect(signIn.status).toBe(303);
    const code = new URL(signIn.headers.get('location')!).searchParams.get('code')!;
    const tokens = await fetch(`${runtime.apiUrl}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'postroom-console', code, redirect_uri: fields.redirect_uri, code_verifier: verifier }),
      headers: { origin: runtime.apiUrl },
    });
    expect(tokens.status).toBe(200);
    expect(await tokens.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
  });
});
