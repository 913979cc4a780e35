/**
 * Scans every expression the DynamoDB adapters build for a reserved word named bare. Why a static
 * scan beside the emulator suites: an expression only runs when its branch runs (reopening a
 * closed interaction named `bucket` bare and failed on every attempt, unseen by the suites that
 * never reopened one). Every string and template literal that reads like an expression is checked;
 * `${...}` parts are left out, so interpolated pieces must be literals of their own (they are then
 * scanned where they are written).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DYNAMODB_RESERVED_WORDS } from '../../../support/dynamodb-reserved-words.ts';

const ADAPTERS = join(import.meta.dirname, '../../../../lambdas/adapters/dynamodb');

/** Words of the expression grammar itself and its functions, which are not attribute names. */
const GRAMMAR = new Set(['SET', 'REMOVE', 'ADD', 'DELETE', 'AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size', 'list_append', 'if_not_exists']);
/** What tells an expression from other strings: an operator with a placeholder, a clause, a function. */
const LOOKS_LIKE_EXPRESSION = /(?:[=<>]\s*:|\b(?:SET|REMOVE|ADD)\s|\b(?:attribute_(?:not_)?exists|begins_with|list_append|if_not_exists|size)\()/;

/** The literals of a TypeScript source: '...', "..." and `...` (with `${...}` cut out). */
function literals(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)) {
    found.push((m[1] ?? m[2] ?? m[3] ?? '').replace(/\$\{[^}]*\}/g, ' '));
  }
  return found;
}

/** The attribute names an expression names bare (not through `#placeholder` or `:value`). */
export function bareNames(expression: string): string[] {
  const names: string[] = [];
  for (const m of expression.matchAll(/[#:]?[A-Za-z_][A-Za-z0-9_]*(\s*\()?/g)) {
    const token = m[0];
    if (token.startsWith('#') || token.startsWith(':') || m[1] !== undefined) continue;
    if (GRAMMAR.has(token) || FUNCTIONS.has(token)) continue;
    names.push(token);
  }
  return names;
}

describe('DynamoDB expressions of the adapters', () => {
  const files = readdirSync(ADAPTERS).filter((f) => f.endsWith('.ts'));
  const expressions = files.flatMap((file) =>
    literals(readFileSync(join(ADAPTERS, file), 'utf8'))
      .filter((l) => LOOKS_LIKE_EXPRESSION.test(l))
      .map((expression) => ({ file, expression })),
  );

  it('finds the expressions (the scan itself works)', () => {
    expect(expressions.length).toBeGreaterThan(20);
    expect(bareNames("SET #s = :waiting, bucket = :bucket REMOVE closedAt")).toEqual(['bucket', 'closedAt']);
    expect(bareNames('attribute_not_exists(pk) OR #lastAckAt <= :cutoff')).toEqual(['pk']);
  });

  it('name no reserved word bare', () => {
    const offending = expressions.flatMap(({ file, expression }) =>
      bareNames(expression)
        .filter((name) => DYNAMODB_RESERVED_WORDS.has(name.toUpperCase()))
        .map((name) => `${file}: "${name}" in ${expression.trim()}`),
    );
    expect(offending).toEqual([]);
  });
});
