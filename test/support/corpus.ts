/**
 * The shared real-world corpus (../shared/corpus beside the repository; read-only, never copied).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const CORPUS_DIR = resolve(import.meta.dirname, '../../../shared/corpus');
export const corpusPresent = existsSync(CORPUS_DIR);

/** Every message file in the corpus (everything but licences and READMEs), sorted. */
export function corpusFiles(): { name: string; path: string }[] {
  if (!corpusPresent) return [];
  const out: { name: string; path: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (!/^(LICENSE|README)/i.test(entry)) out.push({ name: relative(CORPUS_DIR, path), path });
    }
  };
  walk(CORPUS_DIR);
  return out;
}
