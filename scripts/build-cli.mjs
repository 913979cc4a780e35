#!/usr/bin/env node
/**
 * Bundles the `postroom` CLI (bin/postroom.ts and lambdas/**) with esbuild into dist/cli, so a
 * command starts without compiling TypeScript (tsx takes over a second at every start). Run by the
 * `prepare` script, hence by `npm ci`; bin/postroom.mjs runs the bundle while it is newer than
 * every source it was built from, and the sources through tsx otherwise.
 *
 *   node scripts/build-cli.mjs [--outdir <dir>]    default: dist/cli
 *
 * Output: postroom.mjs (the program), chunks/ (what commands import lazily: the local runtime for
 * `dev`, the AWS SDK for `--stack`), inputs.json (the absolute paths of the sources, for the bin's
 * freshness check) and meta.json (esbuild's metafile). Packages stay in node_modules (external):
 * they are plain JavaScript already, and the local runtime's servers resolve files of their own.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const flag = process.argv.indexOf('--outdir');
const outdir = resolve(root, flag > 0 ? process.argv[flag + 1] : 'dist/cli');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // Installed without dev dependencies: the bin runs the sources through tsx instead.
  console.warn('postroom: esbuild is not installed; the CLI will run from its TypeScript sources');
  process.exit(0);
}

// Built next to the target and renamed into place, so a CLI starting meanwhile never loads half a bundle.
const staging = `${outdir}.building-${process.pid}`;
await rm(staging, { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { postroom: 'bin/postroom.ts' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.18',
  packages: 'external',
  outdir: staging,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs)
  .filter((path) => !path.includes('node_modules/'))
  .map((path) => (isAbsolute(path) ? path : join(root, path)));
await writeFile(join(staging, 'inputs.json'), `${JSON.stringify(inputs, null, 1)}\n`);
await writeFile(join(staging, 'meta.json'), JSON.stringify(result.metafile));
await mkdir(dirname(outdir), { recursive: true });
await rm(outdir, { recursive: true, force: true });
await rename(staging, outdir);
