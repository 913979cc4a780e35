/**
 * The local secrets file: mode 0600 from its first byte, values kept across instances (a restart),
 * concurrent changes all kept, and a replace that leaves no temporary file and never a partial one.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSecretStore, SECRETS_FILE_NAME } from '../../../../lambdas/adapters/secrets/file-secret-store.ts';

describe('FileSecretStore', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'postroom-secrets-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the file with mode 0600 and keeps values across instances', async () => {
    const previous = process.umask(0o000);
    try {
      await FileSecretStore.inDataDir(dir).put('postroom/mail-servers/a', '{"password":"pa55 wörd"}');
    } finally {
      process.umask(previous);
    }

    const mode = (await stat(join(dir, SECRETS_FILE_NAME))).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(await FileSecretStore.inDataDir(dir).get('postroom/mail-servers/a')).toBe('{"password":"pa55 wörd"}');
    expect(await FileSecretStore.inDataDir(dir).get('postroom/mail-servers/none')).toBeUndefined();
  });

  it('keeps every one of many concurrent changes and leaves no temporary file', async () => {
    const store = FileSecretStore.inDataDir(dir);

    await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(`postroom/mail-servers/c${i}`, `v${i}`)));
    await store.delete('postroom/mail-servers/c3');

    const stored = JSON.parse(await readFile(join(dir, SECRETS_FILE_NAME), 'utf8')) as Record<string, string>;
    expect(Object.keys(stored).filter((k) => k.includes('/c'))).toHaveLength(19);
    expect(stored['postroom/mail-servers/c3']).toBeUndefined();
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('narrows a file someone widened back to 0600 on the next change', async () => {
    const path = join(dir, SECRETS_FILE_NAME);
    await writeFile(path, JSON.stringify({ kept: 'x' }), { mode: 0o644 });
    const { chmod } = await import('node:fs/promises');
    await chmod(path, 0o644);

    await FileSecretStore.inDataDir(dir).put('postroom/mail-servers/b', 'y');

    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await FileSecretStore.inDataDir(dir).get('kept')).toBe('x');
  });

  it('fails a put whose folder is missing without touching other files', async () => {
    const store = new FileSecretStore(join(dir, 'missing-folder', SECRETS_FILE_NAME));

    await expect(store.put('a', 'b')).rejects.toThrow();
    await expect(store.get('a')).resolves.toBeUndefined();
    expect(await FileSecretStore.inDataDir(dir).get('kept')).toBe('x');
  });
});
