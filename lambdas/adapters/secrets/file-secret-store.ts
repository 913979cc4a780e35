/**
 * Mail server secrets on the local runtime (SRV-10: "locally: a local secrets file"): one JSON file
 * in the data folder mapping each `secretRef` to its value, readable only by its owner (mode 0600).
 *
 * Every change replaces the whole file atomically: the new content goes to a temporary file (0600
 * from its creation) that is fsynced, then renamed over the old one, and the folder is fsynced so
 * the rename itself survives a crash. A crash at any point leaves either the old or the new file,
 * never a half-written one and never none. Changes in this process are serialized; the file has
 * one writer (the runtime), the CLI reaches it only through the API.
 */
import { randomUUID } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SecretStore } from '../../core/mailboxes/server.ts';

/** The file's name in the data folder. */
export const SECRETS_FILE_NAME = 'secrets.json';
/** Owner read and write only: other users of the machine must not read the passwords. */
export const SECRETS_FILE_MODE = 0o600;

/** {@link SecretStore} in one 0600 JSON file; see the module comment. */
export class FileSecretStore implements SecretStore {
  private queue: Promise<unknown> = Promise.resolve();

  /** `path`: the file, usually `join(dataDir, SECRETS_FILE_NAME)`; created on the first put. */
  constructor(readonly path: string) {}

  /** A store on {@link SECRETS_FILE_NAME} in `dataDir`. */
  static inDataDir(dataDir: string): FileSecretStore {
    return new FileSecretStore(join(dataDir, SECRETS_FILE_NAME));
  }

  put(ref: string, value: string): Promise<void> {
    return this.change((secrets) => {
      secrets[ref] = value;
    });
  }

  async get(ref: string): Promise<string | undefined> {
    await this.queue.catch(() => undefined);
    return (await this.read())[ref];
  }

  delete(ref: string): Promise<void> {
    return this.change((secrets) => {
      delete secrets[ref];
    });
  }

  /** Runs `edit` on the current content and writes the result, after every earlier change. */
  private change(edit: (secrets: Record<string, string>) => void): Promise<void> {
    const run = this.queue.catch(() => undefined).then(async () => {
      const secrets = await this.read();
      edit(secrets);
      await this.replace(JSON.stringify(secrets));
    });
    this.queue = run;
    return run;
  }

  private async read(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Object.create(null) as Record<string, string>;
      throw err;
    }
    // A null-prototype map: a ref such as `__proto__` stays an ordinary key.
    return Object.assign(Object.create(null) as Record<string, string>, JSON.parse(text) as Record<string, string>);
  }

  /** The atomic replace of the module comment; the temporary file is removed when anything fails. */
  private async replace(content: string): Promise<void> {
    const temp = `${this.path}.${randomUUID()}.tmp`;
    try {
      const file = await open(temp, 'wx', SECRETS_FILE_MODE);
      try {
        // The umask may have narrowed the mode, never widened it; set it exactly anyway.
        await file.chmod(SECRETS_FILE_MODE);
        await file.writeFile(content, 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, this.path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    const folder = await open(dirname(this.path), 'r');
    try {
      await folder.sync();
    } finally {
      // Always closed, also when the platform refuses to fsync a folder.
      await folder.close();
    }
  }
}
