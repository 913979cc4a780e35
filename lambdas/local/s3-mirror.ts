/**
 * Keeps the local runtime's S3 objects in its data folder. fauxqs holds objects in memory only, so
 * the runtime restores the folder into fauxqs at start and mirrors new objects to disk after each
 * batch and at shutdown: raw mail and parts survive restarts as the DynamoDB data does.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export class S3Mirror {
  private readonly known = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly dir: string,
  ) {}

  /** Uploads every mirrored object back into the (empty) bucket; returns how many. */
  async restore(): Promise<number> {
    await mkdir(this.dir, { recursive: true });
    let count = 0;
    for (const file of await walk(this.dir)) {
      const key = relative(this.dir, file).split(sep).join('/');
      const { size } = await stat(file);
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: createReadStream(file), ContentLength: size }),
      );
      this.known.add(key);
      count++;
    }
    return count;
  }

  /** Writes an object the runtime itself stored, without a round trip. */
  async write(key: string, body: Buffer): Promise<void> {
    const path = this.pathOf(key);
    if (!path) return;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
    this.known.add(key);
  }

  /** Copies objects not yet on disk; calls are serialized so two syncs never race. */
  sync(): Promise<void> {
    const next = this.queue.then(() => this.copyNew());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async copyNew(): Promise<void> {
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, ContinuationToken: token }));
      for (const { Key } of page.Contents ?? []) {
        if (!Key || this.known.has(Key)) continue;
        const path = this.pathOf(Key);
        if (!path) continue;
        const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
        await mkdir(dirname(path), { recursive: true });
        await pipeline(object.Body as Readable, createWriteStream(path));
        this.known.add(Key);
      }
      token = page.NextContinuationToken;
    } while (token);
  }

  /** Only keys made of safe segments map to a file; anything else stays in memory only. */
  private pathOf(key: string): string | undefined {
    const segments = key.split('/');
    if (segments.some((s) => s === '' || s === '.' || s === '..' || !/^[A-Za-z0-9._=+-]+$/.test(s))) return undefined;
    return join(this.dir, ...segments);
  }
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
