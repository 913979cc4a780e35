/**
 * The import rules (.dependency-cruiser.cjs, STYLE.md habit 12) hold for the whole codebase, and
 * they can fail: a scratch tree with one breach of each rule is refused by name.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

/** Runs dependency-cruiser as `npm run check:deps` does, in `cwd`, and returns its violations. */
function cruise(cwd: string, paths: readonly string[]): Promise<Violation[]> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [CLI, '--config', CONFIG, '--output-type', 'json', ...paths],
      { cwd, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!stdout) return fail(new Error(`dependency-cruiser failed: ${stderr || String(err)}`));
        done((JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations);
      },
    );
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'postroom-deps-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function file(path: string, text: string): void {
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), text);
}

describe('import rules', () => {
  it('the codebase has no import cycle and no import against the layers', { timeout: 120_000 }, async () => {
    const violations = await cruise(ROOT, ['contract', 'lambdas', 'lib', 'bin', 'scripts', 'test', 'console/src']);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });

  it('refuses a cycle, core importing an adapter, an adapter importing a handler, production importing a test, contract importing out, and lib importing lambdas', { timeout: 120_000 }, async () => {
    copyFileSync(join(ROOT, 'tsconfig.json'), join(scratch, 'tsconfig.json'));
    file('lambdas/core/a.ts', "import type { B } from './b.ts';\nexport type A = { b?: B };\n");
    file('lambdas/core/b.ts', "import type { A } from './a.ts';\nexport type B = { a?: A };\n");
    file('lambdas/core/uses-adapter.ts', "import { store } from '../adapters/store.ts';\nexport const s = store;\n");
    file('lambdas/adapters/store.ts', "import { handler } from '../handlers/h.ts';\nexport const store = handler;\n");
    file('lambdas/handlers/h.ts', "import { fake } from '../../test/support/fake.ts';\nexport const handler = fake;\n");
    file('test/support/fake.ts', 'export const fake = 1;\n');
    file('contract/names.ts', "import { s } from '../lambdas/core/uses-adapter.ts';\nexport const names = s;\n");
    file('lib/stack.ts', "import { store } from '../lambdas/adapters/store.ts';\nexport const stack = store;\n");
    const violations = await cruise(scratch, ['contract', 'lambdas', 'lib', 'test']);
    const seen = violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        'no-circular: lambdas/core/a.ts -> lambdas/core/b.ts',
        'core-imports-only-core: lambdas/core/uses-adapter.ts -> lambdas/adapters/store.ts',
        'adapters-not-to-entry-points: lambdas/adapters/store.ts -> lambdas/handlers/h.ts',
        'production-not-to-tests: lambdas/handlers/h.ts -> test/support/fake.ts',
        'contract-is-a-leaf: contract/names.ts -> lambdas/core/uses-adapter.ts',
        'lib-not-to-lambdas: lib/stack.ts -> lambdas/adapters/store.ts',
      ]),
    );
  });
});
