/**
 * The CLI against a local API without the runtime's sign-in key (run outside the folder where
 * `npm start` runs): it says what is missing and how to fix it, instead of the API's bare 401.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPostroom } from '../../support/cli.ts';

/** The fix the message must name: the folder of `npm start`, or the key file through POSTROOM_ISSUER_KEY. */
const FIX = /npm start.*POSTROOM_ISSUER_KEY=.*\.postroom\/data\/issuer\/private-key\.pem/s;

describe('postroom against a local API without its sign-in key', () => {
  let server: Server;
  let api: string;
  let requests = 0;
  let cwd: string;

  beforeAll(async () => {
    // A local API as the runtime answers a request without a token.
    server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'unauthenticated', reason: 'auth.token-missing', message: 'the request has no token' } }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cwd = await mkdtemp(join(tmpdir(), 'postroom-nokey-'));
  });
  afterAll(async () => {
    await new Promise((done) => server?.close(done));
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('fails before any request when the default local API is the target and no key is found', async () => {
    const run = await runPostroom(['queue', 'list'], { cwd, env: {} });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^postroom: no sign-in key for the local API at http:\/\/127\.0\.0\.1:8787/);
    expect(run.stderr).toMatch(FIX);
    expect(run.stderr).not.toContain('401');
  });

  it('fails before any request for the API a runtime.json without an issuer names', async () => {
    const dir = join(cwd, 'recorded');
    await mkdir(join(dir, '.postroom'), { recursive: true });
    await writeFile(join(dir, '.postroom', 'runtime.json'), JSON.stringify({ apiUrl: api }));
    const before = requests;
    const run = await runPostroom(['queue', 'list'], { cwd: dir, env: {} });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(FIX);
    expect(requests).toBe(before);
  });

  it('turns the 401 of a loopback --api into the same fix', async () => {
    const run = await runPostroom(['--api', api, 'queue', 'list'], { cwd, env: {} });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^postroom: no sign-in key for the local API at ${api}`));
    expect(run.stderr).toMatch(FIX);
  });
});
