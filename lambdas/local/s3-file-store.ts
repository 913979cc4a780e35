/**
 * The local S3 stand-in's storage: one file per object in a folder per bucket (layout in
 * s3-object-paths.ts), written durably and never held whole in memory.
 *
 * Why our own: fauxqs keeps objects in process memory and caps request bodies at 11 MiB, so the
 * runtime's memory grew with the mail it had stored, 40 MB messages could not be stored, and a
 * kill -9 lost whatever had not been mirrored to disk yet. Here an object is streamed to a temp file,
 * fsynced and renamed into place before the caller is told it is stored: after a crash an object is
 * either complete on disk or absent, never half-written.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isValidBucketName, MAX_KEY_BYTES, objectPaths } from './s3-object-paths.ts';

/** S3's limit for one PutObject or one UploadPart. */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;

/** An S3 error as the service names it; the HTTP server renders it as S3's XML error body. */
export class S3Failure extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'S3Failure';
  }
}

/** The headers of an object that S3 stores and returns with it. */
export interface ObjectHeaders {
  /** @default 'binary/octet-stream' (S3's default) */
  readonly contentType?: string;
  readonly contentDisposition?: string;
  readonly contentEncoding?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  /** User metadata (`x-amz-meta-*`), names lower-cased. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** What the sidecar file holds. */
export interface ObjectMeta extends ObjectHeaders {
  readonly key: string;
  /** Quoted, as S3 returns it. */
  readonly etag: string;
  readonly size: number;
}

/** An object found on disk. */
export interface StoredObject extends ObjectMeta {
  readonly lastModified: Date;
  /** Absolute path of the object's bytes. */
  readonly path: string;
}

/** A body streamed into a file: its size and MD5. */
interface Spooled {
  readonly path: string;
  readonly size: number;
  readonly md5: Buffer;
}

/**
 * Objects and buckets under `root` (`root/buckets/<bucket>/...`; temp files in `root/tmp`, which is
 * on the same file system so that the final rename is atomic).
 */
export class S3FileStore {
  readonly tmpDir: string;
  private readonly bucketsDir: string;

  /**
   * @param root the folder that holds everything; created on demand
   * @param durable fsync files and folders before an object counts as stored; off only where the
   *   folder is thrown away at stop anyway (`--memory`). @default true
   */
  constructor(
    readonly root: string,
    private readonly durable = true,
  ) {
    this.bucketsDir = join(root, 'buckets');
    this.tmpDir = join(root, 'tmp');
  }

  /**
   * Creates the folders and removes what a crash left behind: temp files, and multipart uploads
   * (their only clients, the runtime's handlers, ran in the process that ended; S3 would expire them
   * by a lifecycle rule).
   */
  async open(): Promise<void> {
    await rm(this.tmpDir, { recursive: true, force: true });
    await rm(join(this.root, 'uploads'), { recursive: true, force: true });
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(this.bucketsDir, { recursive: true });
  }

  /** Idempotent, as S3 in us-east-1 is for the bucket's owner. */
  async createBucket(bucket: string): Promise<void> {
    if (!isValidBucketName(bucket)) throw new S3Failure('InvalidBucketName', 400, 'The specified bucket is not valid.');
    await mkdir(join(this.bucketsDir, bucket), { recursive: true });
    await this.syncDir(this.bucketsDir);
  }

  /** The bucket's folder; throws NoSuchBucket when it does not exist. */
  async bucketDir(bucket: string): Promise<string> {
    const dir = join(this.bucketsDir, bucket);
    if (!isValidBucketName(bucket) || !(await isDirectory(dir))) {
      throw new S3Failure('NoSuchBucket', 404, 'The specified bucket does not exist');
    }
    return dir;
  }

  /** Bucket names with their creation time, sorted. */
  async listBuckets(): Promise<{ name: string; created: Date }[]> {
    const names = (await readdir(this.bucketsDir)).filter(isValidBucketName).sort();
    return Promise.all(names.map(async (name) => ({ name, created: (await stat(join(this.bucketsDir, name))).birthtime })));
  }

  /**
   * Streams `body` to disk and makes it the object `key`; resolves only once data and metadata are
   * fsynced and renamed into place.
   * @param expectedBytes the decoded length the client announced; a shorter or longer body fails
   * @param expectedMd5 Content-MD5 the client sent, verified
   */
  async putObject(
    bucket: string,
    key: string,
    body: Readable,
    headers: ObjectHeaders,
    expected: { bytes?: number; md5?: Buffer } = {},
  ): Promise<StoredObject> {
    const dir = await this.bucketDir(bucket);
    checkKey(key);
    const spooled = await this.spool(body, MAX_PUT_BYTES);
    try {
      if (expected.bytes !== undefined && spooled.size !== expected.bytes) {
        throw new S3Failure('IncompleteBody', 400, 'You did not provide the number of bytes specified by the Content-Length HTTP header');
      }
      if (expected.md5 && !expected.md5.equals(spooled.md5)) {
        throw new S3Failure('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.');
      }
      return await this.commit(dir, { ...headers, key, etag: `"${spooled.md5.toString('hex')}"`, size: spooled.size }, spooled.path);
    } finally {
      await rm(spooled.path, { force: true });
    }
  }

  /** The object, or undefined when there is none. */
  async headObject(bucket: string, key: string): Promise<StoredObject | undefined> {
    const dir = await this.bucketDir(bucket);
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) return undefined;
    return this.readObject(objectPaths(dir, key), key);
  }

  /** The object's bytes from `start` to `end` inclusive (all of them by default), streamed. */
  openObject(object: StoredObject, range?: { start: number; end: number }): Readable {
    return createReadStream(object.path, range ?? {});
  }

  /** Removes the object (nothing when absent, as S3) and the folders it leaves empty. */
  async deleteObject(bucket: string, key: string): Promise<void> {
    const dir = await this.bucketDir(bucket);
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) return;
    const paths = objectPaths(dir, key);
    await rm(paths.data, { force: true });
    await rm(paths.meta, { force: true });
    await this.syncDir(dirname(paths.data));
    for (let folder = dirname(paths.data); folder.length > dir.length; folder = dirname(folder)) {
      if (!(await rmdir(folder).then(() => true, () => false))) break;
    }
  }

  /** Reads the object at `paths`, falling back to defaults when its sidecar is missing. */
  async readObject(paths: { data: string; meta: string }, key?: string): Promise<StoredObject | undefined> {
    const info = await stat(paths.data).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const meta = await readFile(paths.meta, 'utf8').then((text) => JSON.parse(text) as ObjectMeta, () => undefined);
    const found = meta && meta.size === info.size ? meta : { key: key ?? '', etag: `"${info.size.toString(16)}-${info.mtimeMs}"`, size: info.size, metadata: {} };
    return { ...found, ...(key !== undefined && { key }), lastModified: info.mtime, path: paths.data };
  }

  /**
   * Streams `body` into a new temp file, fsynced; fails with EntityTooLarge past `maxBytes`
   * without writing further. The caller removes the file.
   */
  async spool(body: Readable, maxBytes: number): Promise<Spooled> {
    const path = join(this.tmpDir, randomUUID());
    const md5 = createHash('md5');
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new S3Failure('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size'));
        md5.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, count, createWriteStream(path));
      await this.fsyncFile(path);
    } catch (err) {
      await rm(path, { force: true });
      throw err;
    }
    return { path, size, md5: md5.digest() };
  }

  /** fsync of a file's data, unless the store is not durable. */
  async fsyncFile(path: string): Promise<void> {
    if (this.durable) await fsyncFile(path);
  }

  private async syncDir(path: string): Promise<void> {
    if (this.durable) await syncDir(path);
  }

  /**
   * Makes the fsynced temp file `data` the object `meta.key`: the sidecar first, then the data,
   * each by an atomic rename, then the folder is fsynced so that the names are durable too.
   */
  async commit(bucketDir: string, meta: ObjectMeta, data: string): Promise<StoredObject> {
    const paths = objectPaths(bucketDir, meta.key);
    const metaTmp = join(this.tmpDir, `${randomUUID()}.json`);
    await writeFile(metaTmp, JSON.stringify(meta));
    await this.fsyncFile(metaTmp);
    // A concurrent delete may remove an emptied folder between mkdir and rename: retry once.
    for (let attempt = 0; ; attempt++) {
      try {
        await mkdir(dirname(paths.data), { recursive: true });
        await rename(metaTmp, paths.meta);
        await rename(data, paths.data);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 0) {
          await rm(metaTmp, { force: true });
          throw err;
        }
      }
    }
    await this.syncDir(dirname(paths.data));
    const info = await stat(paths.data);
    return { ...meta, lastModified: info.mtime, path: paths.data };
  }
}

function checkKey(key: string): void {
  if (key === '') throw new S3Failure('InvalidArgument', 400, 'An object key must not be empty.');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new S3Failure('KeyTooLongError', 400, 'Your key is too long');
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** fsync of a file's data, through a new descriptor (fsync applies to the file, not the descriptor). */
export async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    // Must happen whatever sync did, or descriptors leak under errors.
    await handle.close();
  }
}

/** fsync of a folder, so a rename inside it survives a crash; not possible on Windows (ignored). */
export async function syncDir(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}
