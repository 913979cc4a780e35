/**
 * Vitest global setup: the run either has the real-world corpus, fails (under CI, where a missing
 * corpus means a broken checkout, and skipping would pass hundreds of tests that never ran), or
 * says once, loudly, at the start and again under the summary, how many corpus tests it skipped.
 */
import type { TestProject } from 'vitest/node';
import { CORPUS_TAG, corpusPresent, isCi, missingCorpusMessage } from './corpus.ts';

/** A task of the run's state, as far as counting needs it. */
interface Task {
  readonly type: string;
  readonly mode: string;
  readonly tags?: readonly string[];
  readonly tasks?: readonly Task[];
}

/** Tests tagged `corpus` that did not run. */
function skippedCorpusTests(tasks: readonly Task[]): number {
  let count = 0;
  for (const task of tasks) {
    if (task.tasks) count += skippedCorpusTests(task.tasks);
    else if (task.type === 'test' && task.mode === 'skip' && task.tags?.includes(CORPUS_TAG)) count += 1;
  }
  return count;
}

function banner(lines: string): void {
  const rule = '!'.repeat(100);
  console.warn(`\n${rule}\n${lines.replace(/^/gm, '!! ')}\n${rule}\n`);
}

/** Fails the run under CI without the corpus; elsewhere warns, and returns the teardown that counts. */
export default function setup(project: TestProject): (() => void) | undefined {
  if (corpusPresent) return undefined;
  if (isCi()) throw new Error(`CI is set, so the corpus tests must run, but ${missingCorpusMessage()}`);
  banner(`WARNING: ${missingCorpusMessage()}\nThe corpus suites are skipped in this run (under CI this fails instead).`);
  return () => {
    const files = project.vitest.state.getFiles() as unknown as Task[];
    banner(
      `WARNING: ${skippedCorpusTests(files)} corpus tests were skipped, and the one-per-message corpus tests were not even collected:\n${missingCorpusMessage()}`,
    );
  };
}
