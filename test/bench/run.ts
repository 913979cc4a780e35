/**
 * `npm run bench`: runs every benchmark in its own process (so one's memory and JIT state never
 * colours another's) and prints their figures. Each benchmark measures its own baseline in the
 * same run and prints the ratio; nothing here is a pass/fail test.
 *
 *   npm run bench                 all benchmarks
 *   npm run bench -- parse memory only those whose file name contains one of the words
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const filters = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(dir, file)], {
    stdio: 'inherit',
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  if (result.status !== 0) {
    failed++;
    console.log(`!!! ${file} exited with ${result.status ?? result.signal}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
