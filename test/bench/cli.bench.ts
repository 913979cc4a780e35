/**
 * Start-up cost of the `postroom` CLI: median wall time of `postroom queue list` against a running
 * local API (`startLocalRuntime`, in memory), beside a bare HTTP GET of the same endpoint from a
 * fresh process (node's fetch in `node -e`, and curl when present) measured in the same run. The
 * bundle (dist/cli, built first) is what `npm ci` users run; the TypeScript sources through tsx
 * are what a checkout with newer sources runs. Goal: the bundle answers well under 500 ms.
 *
 *   node --import tsx test/bench/cli.bench.ts
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalRuntime } from '../../lambdas/local/runtime.ts';
import { median, printRows } from './report.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLES = Number(process.env.BENCH_CLI_SAMPLES ?? 9);
const GOAL_MS = 500;

/** Wall time of one child process in ms; fails loudly when the command fails. */
function timed(command: string, args: readonly string[]): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((done, fail) => {
    execFile(command, args, { cwd: ROOT, env: { ...process.env, POSTROOM_API: '' } }, (err, _out, stderr) =>
      err ? fail(new Error(`${command} ${args.join(' ')}: ${stderr || err.message}`)) : done(Number(process.hrtime.bigint() - started) / 1e6),
    );
  });
}

const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs')], { stdio: 'inherit' });
if (build.status !== 0) throw new Error('scripts/build-cli.mjs failed');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const stateDir = mkdtempSync(join(tmpdir(), 'postroom-bench-cli-'));
const runtime = await startLocalRuntime({ memory: true, smtpPort: 0, apiPort: 0, stateDir, log: () => {} });
try {
  const endpoint = `${runtime.apiUrl}/queues`;
  const variants: Record<string, () => Promise<number>> = {
    bundle: () => timed(process.execPath, [join(ROOT, 'bin/postroom.mjs'), '--api', runtime.apiUrl, 'queue', 'list']),
    sources: () => timed(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/postroom.ts'), '--api', runtime.apiUrl, 'queue', 'list']),
    fetch: () => timed(process.execPath, ['-e', `fetch(${JSON.stringify(endpoint)}).then((r) => r.text())`]),
  };
  const hasCurl = spawnSync('curl', ['--version']).status === 0;
  if (hasCurl) variants.curl = () => timed('curl', ['-sf', '-o', '/dev/null', endpoint]);
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const run of Object.values(variants)) await run(); // warm the file cache
  // Interleaved, so a burst of load on the machine touches every variant alike.
  for (let i = 0; i < SAMPLES; i++) for (const [name, run] of Object.entries(variants)) samples[name]!.push(await run());
  const fetchMs = median(samples.fetch!);
  const bundleMs = median(samples.bundle!);
  printRows(`postroom queue list vs a bare HTTP GET of ${endpoint} (median of ${SAMPLES} fresh processes)`, [
    { name: 'queue list (bundle) vs node fetch', ours: bundleMs, baseline: fetchMs, unit: 'ms', note: `goal < ${GOAL_MS} ms: ${bundleMs < GOAL_MS ? 'met' : 'NOT met'}` },
    ...(hasCurl ? [{ name: 'queue list (bundle) vs curl', ours: bundleMs, baseline: median(samples.curl!), unit: 'ms' }] : []),
    { name: 'queue list (sources, tsx) vs node fetch', ours: median(samples.sources!), baseline: fetchMs, unit: 'ms', note: 'a checkout whose sources are newer than dist/cli' },
  ]);
} finally {
  await runtime.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
