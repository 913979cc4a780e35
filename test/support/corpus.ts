/**
 * The shared real-world corpus (../shared/corpus beside the repository; read-only, never copied).
 *
 * Where it is absent its suites are skipped, and test/support/corpus-check.ts says so once per run,
 * loudly; under CI (`CI` set) a missing corpus fails the run instead, since CI always has it. The
 * project's own generated fixtures (test/support/mail-builder.ts) cover every inbound rule either way.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe } from 'vitest';

/** `POSTROOM_CORPUS_DIR` names another place for the corpus (a CI machine that keeps it elsewhere). */
export const CORPUS_DIR = resolve(process.env.POSTROOM_CORPUS_DIR || resolve(import.meta.dirname, '../../../shared/corpus'));
export const corpusPresent = existsSync(CORPUS_DIR);

/** The tag of every corpus suite: corpus-check.ts counts its skipped tests, `--tags-filter=!corpus` leaves them out. */
export const CORPUS_TAG = 'corpus';

/** Whether this run is CI's: `CI` set to anything but empty, `0` or `false` (GitHub, GitLab, .ci/run set it). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

/** What to tell a reader whose run has no corpus: where it was looked for and how to get it. */
export function missingCorpusMessage(): string {
  return [
    `the real-world mail corpus is missing: no ${CORPUS_DIR}.`,
    'It is the shared folder beside the repository (README.md there lists its sources: mailparser, postal-mime and mikel/mail test fixtures).',
    `Get it by placing (or linking) that folder at ${CORPUS_DIR}, or point POSTROOM_CORPUS_DIR at a copy.`,
  ].join('\n');
}

/**
 * A describe block over the corpus, tagged {@link CORPUS_TAG}: skipped where the corpus is absent
 * (corpus-check.ts reports how many tests that skipped, or fails the run under CI).
 */
export function describeCorpus(name: string, fn: () => void): void {
  describe.skipIf(!corpusPresent)(name, { tags: [CORPUS_TAG] }, fn);
}

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
