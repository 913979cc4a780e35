import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATA_LOCK_FILE, lockDataDir } from '../../../lambdas/local/data-lock.ts';

describe('lockDataDir', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'postroom-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second runtime on the same folder, naming the folder, the holder and what to do', async () => {
    // Prepare: a live process (this test's parent) holds the lock
    await writeFile(join(dir, DATA_LOCK_FILE), `${process.ppid}\n`);

    // Act
    const err = (await lockDataDir(dir).catch((e: unknown) => e)) as Error;

    // Assess
    expect(err.message).toContain(dir);
    expect(err.message).toContain(`pid ${process.ppid}`);
    expect(err.message).toContain('--data');
  });

  it('takes over the lock of a process that is gone, and releases only its own', async () => {
    // Prepare: a pid far above any live one (Linux pid_max is at most 4194304)
    await writeFile(join(dir, DATA_LOCK_FILE), '99999999\n');

    // Act
    const lock = await lockDataDir(dir);
    const held = await readFile(join(dir, DATA_LOCK_FILE), 'utf8');
    await lock.release();

    // Assess
    expect(held.trim()).toBe(String(process.pid));
    await expect(readFile(join(dir, DATA_LOCK_FILE), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
