/**
 * Every limit is reachable from one index: README's "Limits" table is generated from the code
 * (scripts/limits-index.mjs), and this test fails when a limit is added, renamed or changed
 * without the table following.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { BEGIN, END, limitsTable } from '../../../scripts/limits-index.mjs';

const README = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');

describe('the limits index', () => {
  it('lists every MAX_* constant and *_LIMITS field in the code, as the code has it', () => {
    const listed = README.slice(README.indexOf(BEGIN) + String(BEGIN).length, README.indexOf(END)).trim();
    expect(listed, 'run `node scripts/limits-index.mjs --write`').toBe(limitsTable());
  });

  it('indexes the limits the issue names, each with its value and file', () => {
    const table = limitsTable() as string;
    expect(table).toContain('| `MAIL_LIMITS.maxHeaderBytes` | `256 * 1024` |');
    expect(table).toContain('| `ITEM_LIMITS.maxTrailEntries` | `100` |');
    expect(table).toMatch(/\| `QUEUE_LIMITS\.maxIdChars` \| `64` \| .* \| `lambdas\/core\/agents\/limits\.ts` \|/);
    expect(table).toMatch(/\| `FLOW_LIMITS\.maxRules` \| `100` \|/);
  });
});
