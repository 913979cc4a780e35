/**
 * One runtime per data folder. The folder's DynamoDB store (LevelDB) admits one process; a second
 * runtime on the same folder would otherwise die later with LevelDB's "Database is not open" and a
 * stack trace. The lock is a file holding the owner's pid, created exclusively; a lock whose
 * process is gone (a crash, a kill -9) is taken over, so a crash never locks the folder for good.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The lock's file name inside the data folder. */
export const DATA_LOCK_FILE = 'runtime.lock';

/** A held lock; `release` removes the file (only if it is still this process's). */
export interface DataLock {
  release(): Promise<void>;
}

/**
 * Takes the data folder's lock for this process.
 * @throws Error naming the folder and the pid holding it, and what to do, when a live process holds it
 */
export async function lockDataDir(dataDir: string, pid: number = process.pid): Promise<DataLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, DATA_LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx', 0o600);
      await file.writeFile(`${pid}\n`);
      await file.close();
      return { release: async () => releaseIfOurs(path, pid) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt((await readFile(path, 'utf8').catch(() => '')).trim(), 10);
    if (Number.isInteger(holder) && holder !== pid && isAlive(holder)) {
      throw new Error(`the data folder ${dataDir} is in use by another Postroom runtime (pid ${holder}); stop it, or start this one with --data <another folder> or --memory`);
    }
    // A stale lock (its process is gone): take it over.
    await rm(path, { force: true });
  }
  throw new Error(`could not lock the data folder ${dataDir}: another runtime keeps taking it`);
}

async function releaseIfOurs(path: string, pid: number): Promise<void> {
  const holder = (await readFile(path, 'utf8').catch(() => '')).trim();
  if (holder === String(pid)) await rm(path, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
