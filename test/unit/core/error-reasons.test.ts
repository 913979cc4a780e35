/**
 * The list of error reasons (core/error-reasons.ts) is the one place clients learn them from: every
 * reason is documented, unique and used, and no code in lambdas/ answers a reason that is not listed
 * (constructors take the typed reason, so tsc catches most; this catches a string written by hand).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_ERROR_REASONS, ERROR_REASONS } from '../../../lambdas/core/error-reasons.ts';

const ROOT = join(import.meta.dirname, '../../..');
/** The list and the parts it joins (the mail server registry's and the outbound path's reasons). */
const LISTS = new Set(['lambdas/core/error-reasons.ts', 'lambdas/core/mailboxes/mail-server-reasons.ts', 'lambdas/core/outbound/outbound-reasons.ts']);
/** The CLI's dictionary names every reason by design; it proves nothing about use. */
const DICTIONARIES = new Set(['lambdas/cli/messages.en.ts']);

const sources = (readdirSync(join(ROOT, 'lambdas'), { recursive: true, encoding: 'utf8' }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `lambdas/${f.split('\\').join('/')}`)
  .map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));

describe('ERROR_REASONS', () => {
  it('lists unique <entity>.<problem> reasons, each under a JSDoc line', () => {
    expect(new Set(ALL_ERROR_REASONS).size).toBe(ALL_ERROR_REASONS.length);
    for (const reason of ALL_ERROR_REASONS) expect(reason).toMatch(/^[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*\.[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*$/);
    const lines = [...LISTS].flatMap((list) => readFileSync(join(ROOT, list), 'utf8').split('\n'));
    for (const [key, reason] of Object.entries(ERROR_REASONS)) {
      const at = lines.findIndex((l) => l.trim() === `${key}: '${reason}',`);
      expect(at, key).toBeGreaterThan(0);
      expect(lines[at - 1]!.trim(), key).toMatch(/^\/\*\*.+\*\/$/);
    }
  });

  it('has every reason used by lambdas/ outside the list and the dictionaries', () => {
    const code = sources.filter((s) => !LISTS.has(s.path) && !DICTIONARIES.has(s.path)).map((s) => s.text);
    const unused = Object.keys(ERROR_REASONS).filter((key) => !code.some((text) => new RegExp(`\\b(?:ERROR_REASONS|R)\\.${key}\\b`).test(text)));
    expect(unused).toEqual([]);
  });

  it('is the only source of reason strings: lambdas/ writes none that is not listed', () => {
    const listed: ReadonlySet<string> = new Set(ALL_ERROR_REASONS);
    const entities = new Set(ALL_ERROR_REASONS.map((r) => r.split('.')[0]));
    const stray: string[] = [];
    for (const { path, text } of sources) {
      if (LISTS.has(path)) continue;
      for (const [, value] of text.matchAll(/['"`]([a-z]+(?:-[a-z]+)*\.[a-z]+(?:-[a-z]+)*)['"`]/g)) {
        const [entity, problem] = value!.split('.');
        // File names (`interaction.ts`) share the shape; a reason's problem is never an extension.
        if (!entities.has(entity!) || /^(?:ts|js|mjs|json)$/.test(problem!)) continue;
        if (!listed.has(value!)) stray.push(`${relative(ROOT, join(ROOT, path))}: ${value}`);
      }
    }
    expect(stray).toEqual([]);
  });
});
