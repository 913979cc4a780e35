/**
 * Every dictionary of the console (every console/src folder i18n/ with en.ts, de.ts, ja.ts: the app-wide one and one per
 * feature) holds exactly English's keys, none empty, each with English's {placeholders}: a missing
 * German or Japanese text would show a raw key, an extra one is dead text nobody reviews.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const CONSOLE_SRC = resolve(import.meta.dirname, '../../../console/src');
const LANGUAGES = ['en', 'de', 'ja'] as const;

/** The folders that hold an en.ts dictionary. */
function dictionaryFolders(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...dictionaryFolders(path));
    else if (name === 'en.ts' && (dir.endsWith('/i18n') || dir.includes('/i18n/'))) found.push(dir);
  }
  return found;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** What is wrong with `other` measured against `en`; empty when it is a complete copy. */
export function parityProblems(en: Record<string, string>, other: Record<string, string>, language: string): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(en)) {
    if (!(key in other)) problems.push(`${language}: missing ${key}`);
    else if (!other[key]?.trim()) problems.push(`${language}: empty ${key}`);
    else if (placeholders(other[key]!).join() !== placeholders(en[key]!).join()) problems.push(`${language}: placeholders of ${key}`);
  }
  for (const key of Object.keys(other)) if (!(key in en)) problems.push(`${language}: extra ${key}`);
  return problems;
}

async function load(folder: string, language: string): Promise<Record<string, string>> {
  const module = (await import(pathToFileURL(join(folder, `${language}.ts`)).href)) as Record<string, unknown>;
  const dictionary = module[language];
  if (!dictionary || typeof dictionary !== 'object') throw new Error(`${folder}/${language}.ts exports no \`${language}\``);
  return dictionary as Record<string, string>;
}

describe('console dictionaries', () => {
  const folders = dictionaryFolders(CONSOLE_SRC);

  it('finds the app-wide dictionary and the workspace feature', () => {
    const names = folders.map((f) => relative(CONSOLE_SRC, f));
    expect(names).toContain('lib/i18n/common');
    expect(names).toContain('features/workspace/i18n');
  });

  it.each(folders.map((f) => [relative(CONSOLE_SRC, f), f]))('%s: de and ja hold exactly en\'s keys', async (_name, folder) => {
    const en = await load(folder, 'en');
    expect(Object.keys(en).length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const language of LANGUAGES.slice(1)) problems.push(...parityProblems(en, await load(folder, language), language));
    expect(problems).toEqual([]);
  });

  it('the check fails on a missing, an extra, an empty text and a lost placeholder', () => {
    const en = { a: 'A {n}', b: 'B', c: 'C' };
    expect(parityProblems(en, { a: 'A', b: ' ', d: 'D' }, 'de')).toEqual([
      'de: placeholders of a',
      'de: empty b',
      'de: missing c',
      'de: extra d',
    ]);
  });
});
