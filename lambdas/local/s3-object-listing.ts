/**
 * ListObjectsV2 over the local S3 stand-in's folders: keys in S3's order (UTF-8 bytes), filtered by
 * prefix and start-after, grouped by delimiter, paged by max-keys and continuation token.
 *
 * Only the folder the prefix names is walked (`inbound/` walks `inbound` alone), and only the keys
 * are held while sorting; sizes and ETags are read for the page returned.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DATA_SUFFIX, decodeSegment, encodeSegment, META_SUFFIX } from './s3-object-paths.ts';
import type { S3FileStore, StoredObject } from './s3-file-store.ts';

/** S3 returns at most this many keys per page, whatever max-keys asks. */
export const MAX_LIST_KEYS = 1000;

/** ListObjectsV2's (and ListObjects') parameters. */
export interface ListRequest {
  readonly prefix: string;
  readonly delimiter?: string;
  /** @default 1000 */
  readonly maxKeys?: number;
  /** Keys after this one only (ListObjectsV2 `start-after`, ListObjects `marker`). */
  readonly startAfter?: string;
  /** An opaque token from a previous page's `nextToken`. */
  readonly continuationToken?: string;
}

/** One page: objects and common prefixes, at most max-keys of both together. */
export interface ListPage {
  readonly objects: StoredObject[];
  readonly commonPrefixes: string[];
  readonly truncated: boolean;
  /** Pass as `continuationToken` to get the next page; set when truncated. */
  readonly nextToken?: string;
}

interface Found {
  readonly key: string;
  readonly data: string;
  readonly meta: string;
}

/** One page of the bucket's keys. */
export async function listObjects(store: S3FileStore, bucket: string, request: ListRequest): Promise<ListPage> {
  const dir = await store.bucketDir(bucket);
  const maxKeys = Math.min(Math.max(request.maxKeys ?? MAX_LIST_KEYS, 0), MAX_LIST_KEYS);
  const after = request.continuationToken !== undefined ? decodeToken(request.continuationToken) : request.startAfter ?? '';
  const { prefix, delimiter } = request;

  // Walk only the folder of the prefix's complete segments.
  const folders = prefix.split('/').slice(0, -1);
  const found: Found[] = [];
  await walk(store, join(dir, ...folders.map(encodeSegment)), folders, found);
  const keys = found
    .filter((f) => f.key.startsWith(prefix) && compareKeys(f.key, after) > 0)
    .sort((a, b) => compareKeys(a.key, b.key));

  const objects: Found[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let truncated = false;
  for (const entry of keys) {
    const rest = entry.key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    const common = cut >= 0 ? prefix + rest.slice(0, cut + delimiter!.length) : undefined;
    // A common prefix counts once, however many keys it groups; the token then skips all of them.
    if (common !== undefined && common === commonPrefixes.at(-1)) continue;
    if (common !== undefined && after.startsWith(common)) continue;
    if (objects.length + commonPrefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      commonPrefixes.push(common);
      last = common + '\u{10FFFF}';
    } else {
      objects.push(entry);
      last = entry.key;
    }
  }
  const stored = await Promise.all(objects.map((o) => store.readObject(o, o.key)));
  return {
    objects: stored.filter((o): o is StoredObject => o !== undefined),
    commonPrefixes,
    truncated,
    ...(truncated && last !== undefined && { nextToken: Buffer.from(last, 'utf8').toString('base64url') }),
  };
}

/** S3 orders keys by their UTF-8 bytes (JavaScript compares UTF-16 units, which differs). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function decodeToken(token: string): string {
  return Buffer.from(token, 'base64url').toString('utf8');
}

/** Collects every object under `folder`; `segments` are the decoded key segments of `folder`. */
async function walk(store: S3FileStore, folder: string, segments: (string | undefined)[], out: Found[]): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      await walk(store, path, [...segments, decodeSegment(entry.name)], out);
    } else if (entry.isFile() && entry.name.endsWith(DATA_SUFFIX)) {
      const base = entry.name.slice(0, -DATA_SUFFIX.length);
      const all = [...segments, decodeSegment(base)];
      const meta = path.slice(0, -DATA_SUFFIX.length) + META_SUFFIX;
      // A hashed segment cannot be decoded: the sidecar holds the key.
      const key = all.every((s) => s !== undefined) ? all.join('/') : (await store.readObject({ data: path, meta }))?.key;
      if (key) out.push({ key, data: path, meta });
    }
  }
}
