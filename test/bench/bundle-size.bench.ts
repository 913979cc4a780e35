/**
 * Bundle size of each Lambda handler, built with the very options PostroomFunction ships with
 * (POSTROOM_BUNDLING). A figure, not a test: run `npx tsx test/bench/bundle-size.bench.ts`.
 *
 * Why it matters: cold start grows with bundle size, and the API Lambda must not carry the MIME
 * parser the routing Lambda needs (decision 1: the API imports no MIME adapter). A FAIL line is
 * printed, and the exit code set, if it does.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { PROJECT_ROOT, POSTROOM_BUNDLING } from '../../lib/constructs/postroom-function.ts';
import { handlerBuildOptions } from '../support/bundle.ts';

/** Packages that parse MIME; their presence in a bundle is what the MIME column reports. */
const MIME_PARSERS = ['mailparser', 'postal-mime', 'mailsplit', 'libmime'];
/** The handler whose bundle the others are compared with. */
const BASELINE = 'routing';

interface BundleFigure {
  readonly handler: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly mimeParsers: string[];
  readonly topPackages: { name: string; bytes: number }[];
}

/** The package a bundled input belongs to: its node_modules name, or 'postroom' for our own code. */
function packageOf(inputPath: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(inputPath.slice(inputPath.lastIndexOf('node_modules/')));
  return match?.[1] ?? 'postroom';
}

async function bundle(handler: string): Promise<BundleFigure> {
  const result = await build({
    ...handlerBuildOptions(handler),
    sourcemap: POSTROOM_BUNDLING.sourceMap,
    outfile: join(PROJECT_ROOT, 'cdk.out', 'bench', handler, 'index.mjs'),
    metafile: true,
    write: false,
  });
  const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'))!;
  const output = Object.entries((result.metafile as Metafile).outputs).find(([path]) => path.endsWith('.mjs'))![1];
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) {
    byPackage.set(packageOf(path), (byPackage.get(packageOf(path)) ?? 0) + input.bytesInOutput);
  }
  return {
    handler,
    bytes: code.contents.byteLength,
    gzipBytes: gzipSync(code.contents).byteLength,
    mimeParsers: MIME_PARSERS.filter((p) => byPackage.has(p)),
    topPackages: [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, 3),
  };
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;

const handlers = readdirSync(join(PROJECT_ROOT, 'lambdas', 'handlers'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => basename(f, '.ts'))
  .sort();
const figures = await Promise.all(handlers.map(bundle));

console.log('handler | bytes (minified) | gzip | carries MIME parser? | top 3 packages by size');
console.log('--- | --- | --- | --- | ---');
for (const f of figures) {
  const mime = f.mimeParsers.length > 0 ? `yes (${f.mimeParsers.join(', ')})` : 'no';
  const top = f.topPackages.map((p) => `${p.name} ${kb(p.bytes)}`).join(', ');
  console.log(`${f.handler} | ${f.bytes} (${kb(f.bytes)}) | ${f.gzipBytes} (${kb(f.gzipBytes)}) | ${mime} | ${top}`);
}

const baseline = figures.find((f) => f.handler === BASELINE);
const api = figures.find((f) => f.handler === 'api');
if (baseline) {
  console.log(`\nbaseline = the ${BASELINE} bundle (${kb(baseline.bytes)})`);
  for (const f of figures.filter((x) => x !== baseline)) {
    console.log(`${f.handler}/${BASELINE}: ${(f.bytes / baseline.bytes).toFixed(2)} (minified), ${(f.gzipBytes / baseline.gzipBytes).toFixed(2)} (gzip)`);
  }
}
if (api?.mimeParsers.includes('mailparser')) {
  console.log('FAIL: the api bundle contains mailparser; the API must not import the MIME adapter');
  process.exitCode = 1;
}
