/**
 * Runs the `postroom` CLI as a user does: a child process of the real bin. Asynchronous, because
 * the API it calls is often served by the test's own process.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export const POSTROOM_BIN = resolve(import.meta.dirname, '../../bin/postroom.mjs');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `postroom ...args`; POSTROOM_API is cleared so only `--api` or runtime.json decide. `env`
 * replaces the inherited environment when given (PATH and HOME are kept).
 */
export function runPostroom(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const env = options.env ? { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env } : { ...process.env, POSTROOM_API: '' };
  return new Promise((done) => {
    execFile(
      process.execPath,
      [POSTROOM_BIN, ...args],
      { env, timeout: 30_000, ...(options.cwd && { cwd: options.cwd }) },
      (err, stdout, stderr) => done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
