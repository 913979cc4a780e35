/**
 * The console's first page (issue 12 item 8): the JavaScript a browser loads before the first page
 * shows, gzipped, against the budget of 150 KB. Read from console/dist as a browser reads it:
 * index.html's module script, then every static import of it and of those chunks (the lazy pages'
 * dynamic imports are not followed: they load when a page opens). Builds console/dist first when
 * it is missing. A FAIL line is printed, and the exit code set, when the budget is broken.
 *
 *   node --import tsx test/bench/console-bundle.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { printRows } from './report.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'console', 'dist');
/** Issue 12 item 8: what the first page may ship, gzipped. */
export const FIRST_PAGE_BUDGET_BYTES = 150 * 1024;

/** The files a browser loads for index.html's module script, in load order (static imports followed). */
export function firstPageScripts(dist: string): string[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entry = /<script[^>]*type="module"[^>]*src="\.?\/?([^"]+)"/.exec(html)?.[1];
  if (!entry) throw new Error('index.html has no module script');
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    // Static `import ... from "./x.js"`, `import "./x.js"` and `export ... from "./x.js"`; `import("./x.js")` is lazy.
    for (const m of code.matchAll(/(?:from|import)\s*["'](\.\/[^"']+\.js)["']/g)) visit(join(dirname(file), m[1]!));
  };
  visit(entry);
  return [...seen];
}

if (!existsSync(join(DIST, 'index.html'))) {
  const built = spawnSync(process.execPath, [join(ROOT, 'console', 'build.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build:console failed');
}
const files = firstPageScripts(DIST);
const sizes = files.map((f) => ({ f, raw: readFileSync(join(DIST, f)).byteLength, gzip: gzipSync(readFileSync(join(DIST, f)), { level: 9 }).byteLength }));
const total = sizes.reduce((n, s) => n + s.gzip, 0);
for (const s of sizes) console.log(`  ${s.f}: ${(s.raw / 1024).toFixed(1)} KiB, ${(s.gzip / 1024).toFixed(1)} KiB gzipped`);
printRows('Console first page JavaScript (gzipped) against its budget', [
  { name: 'first page JS, gzip', ours: total / 1024, baseline: FIRST_PAGE_BUDGET_BYTES / 1024, unit: 'KiB', target: { ratio: 1, higherIsBetter: false }, note: `${files.length} files; baseline = the 150 KB budget` },
]);
if (total > FIRST_PAGE_BUDGET_BYTES) {
  console.log(`FAIL: the first page ships ${(total / 1024).toFixed(1)} KiB gzipped, over the ${FIRST_PAGE_BUDGET_BYTES / 1024} KiB budget`);
  process.exitCode = 1;
}
