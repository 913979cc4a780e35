/**
 * The CLI bundle (scripts/build-cli.mjs, run by `npm ci` through `prepare`): built here into a
 * scratch copy of the layout (bin/postroom.mjs, dist/cli, node_modules), so the test never touches
 * the checkout's own dist/. The copy has no TypeScript sources: a command that works there ran
 * from the bundle.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

function node(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd, timeout: 60_000, env: { ...process.env, POSTROOM_API: '' } }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Metafile {
  outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[]; inputs: Record<string, unknown>; entryPoint?: string }>;
}

describe('the postroom CLI bundle', () => {
  let dir: string;
  let bin: string;
  let server: Server;
  let api: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'postroom-cli-'));
    const build = await node(['scripts/build-cli.mjs', '--outdir', join(dir, 'dist/cli')]);
    expect(build.code, build.stderr).toBe(0);
    mkdirSync(join(dir, 'bin'));
    bin = join(dir, 'bin/postroom.mjs');
    copyFileSync(join(ROOT, 'bin/postroom.mjs'), bin);
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'));
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/queues/default/interactions')) {
        res.end(JSON.stringify({ interactions: [{ id: 'i-1', subject: 'ご注文について', enqueuedAt: '', ageMinutes: 3, priority: 0, score: 3 }] }));
      } else res.end(JSON.stringify({ queues: [{ id: 'default' }] }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((done) => server?.close(done));
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a command from the bundle when it is newer than its sources', async () => {
    // Act
    const version = await node([bin, '--version'], dir);
    const list = await node([bin, '--api', api, 'queue', 'list'], dir);
    // Assess
    expect(version).toMatchObject({ code: 0, stdout: `${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n` });
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[1]).toBe('default  i-1  -     ご注文について  3m   0         3');
  });

  it('runs the TypeScript sources instead once a source is newer than the bundle', async () => {
    // Prepare: a bundle older than every source
    utimesSync(join(dir, 'dist/cli/postroom.mjs'), new Date(1_000), new Date(1_000));
    // Act
    const run = await node([bin, '--version'], dir);
    // Assess: it went for bin/postroom.ts, which this copy does not have
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(join(dir, 'bin/postroom.ts'));
  });

  it('loads neither the local runtime nor the AWS SDK to start: dev and --stack import theirs lazily', () => {
    // Prepare
    const meta = JSON.parse(readFileSync(join(dir, 'dist/cli/meta.json'), 'utf8')) as Metafile;
    const outputs = Object.entries(meta.outputs);
    const [entry] = outputs.find(([, o]) => o.entryPoint === 'bin/postroom.ts')!;
    // Act: everything the entry loads before any command runs (its static imports, transitively)
    const loaded = new Set<string>([entry]);
    const externals = new Set<string>();
    for (const path of loaded) {
      for (const i of meta.outputs[path]?.imports ?? []) {
        if (i.kind !== 'import-statement') continue;
        if (i.external) externals.add(i.path);
        else loaded.add(i.path);
      }
    }
    const sources = [...loaded].flatMap((path) => Object.keys(meta.outputs[path]!.inputs));
    // Assess
    expect(sources).toContain('lambdas/cli/program.ts');
    expect(sources.filter((s) => s.startsWith('lambdas/local/') || s === 'lambdas/cli/stack.ts')).toEqual([]);
    expect([...externals].filter((e) => e.startsWith('@aws-sdk/'))).toEqual([]);
    const lazy = outputs.filter(([path]) => !loaded.has(path)).flatMap(([, o]) => Object.keys(o.inputs));
    expect(lazy).toEqual(expect.arrayContaining(['lambdas/local/runtime.ts', 'lambdas/cli/stack.ts']));
  });
});
