/**
 * Builds the console (issue 12) into console/dist/: esbuild bundles src/main.tsx as ESM with code
 * splitting (each area — workspace, supervisor, admin — is a lazy chunk, so the first page ships
 * little JavaScript), minified, without source maps, under content-hashed names (served with long
 * cache lifetimes; index.html is the only file whose name never changes), plus one stylesheet and an
 * index.html that references them. Run by `npm run build:console` and by `prepare` after the CLI.
 *
 * Usage: node console/build.mjs [--outdir DIR]   (default console/dist)
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const outArg = process.argv.indexOf('--outdir');
const OUT = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(HERE, 'dist');
const ASSETS = join(OUT, 'assets');

await rm(OUT, { recursive: true, force: true });
await mkdir(ASSETS, { recursive: true });

const result = await esbuild.build({
  entryPoints: [join(HERE, 'src/main.tsx')],
  outdir: ASSETS,
  bundle: true,
  format: 'esm',
  splitting: true,
  minify: true,
  sourcemap: false,
  target: ['es2022', 'chrome111', 'firefox111', 'safari16'],
  jsx: 'automatic',
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

const entry = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint?.endsWith('src/main.tsx'));
if (!entry) throw new Error('esbuild produced no entry chunk for src/main.tsx');
const [entryPath, entryOutput] = entry;
const script = relative(OUT, resolve(entryPath)).split('\\').join('/');
const css = entryOutput.cssBundle ? relative(OUT, resolve(entryOutput.cssBundle)).split('\\').join('/') : undefined;

// No inline script or style: the console is served with script-src 'self' (no 'unsafe-inline').
// Referrer policy same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` on
// the page's own POSTs (Fetch standard), and the local API refuses requests from other origins;
// same-origin still sends no Referer to any other site.
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>Postroom</title>
${css ? `<link rel="stylesheet" href="./${css}">\n` : ''}<script type="module" src="./${script}"></script>
</head>
<body>
<div id="root"></div>
<noscript>The Postroom console needs JavaScript.</noscript>
</body>
</html>
`;
await writeFile(join(OUT, 'index.html'), html);
console.log(`console built: ${relative(process.cwd(), OUT) || '.'}/index.html -> ${basename(script)}`);
