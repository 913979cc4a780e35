/**
 * Adopts objects an older runtime left in its data folder. Before the file-backed S3, fauxqs held
 * objects in memory and a mirror copied each one to `<data>/s3/<key>` (safe keys only). Those files
 * sit in the same folder the file-backed S3 now uses as its root, beside `buckets/`; without this
 * step interactions stored by an older version would point at raw mail and attachments that are
 * no longer served.
 */
import { createReadStream } from 'node:fs';
import { readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3FileStore } from './s3-file-store.ts';

/** The file-backed S3's own folders inside its root; anything else there is a mirrored object. */
const STORE_FOLDERS = new Set(['buckets', 'tmp', 'uploads']);

/**
 * Moves every mirrored file under `store.root` into `bucket` (key = its path) and removes it;
 * resolves with how many were adopted. Runs once: afterwards only the store's folders remain.
 */
export async function adoptMirroredObjects(store: S3FileStore, bucket: string): Promise<number> {
  let adopted = 0;
  const visit = async (dir: string, segments: string[]): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (segments.length === 0 && STORE_FOLDERS.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await visit(path, [...segments, entry.name]);
        await rmdir(path).catch(() => undefined);
      } else if (entry.isFile()) {
        const key = [...segments, entry.name].join('/');
        const contentType = key.startsWith('inbound/') ? 'message/rfc822' : 'application/octet-stream';
        await store.putObject(bucket, key, createReadStream(path), { contentType, metadata: {} });
        await rm(path, { force: true });
        adopted++;
      }
    }
  };
  await visit(store.root, []);
  return adopted;
}
