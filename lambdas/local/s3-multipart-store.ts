/**
 * Multipart uploads on the local S3 stand-in (CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload, AbortMultipartUpload), as `lambdas/adapters/mime/s3-stream-upload.ts`
 * uses them. Each upload is a folder `root/uploads/<id>` holding its target and one fsynced file
 * per part; completing concatenates the parts into a temp file (streamed) and commits it like a
 * PutObject, so the object appears whole or not at all.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MAX_PUT_BYTES, S3Failure, type ObjectHeaders, type S3FileStore, type StoredObject } from './s3-file-store.ts';

/** S3 requires every part but the last to be at least this large. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** S3 numbers parts 1 to 10,000. */
export const MAX_PART_NUMBER = 10_000;

interface UploadRecord extends ObjectHeaders {
  readonly bucket: string;
  readonly key: string;
}

/** A part as the client names it in CompleteMultipartUpload. */
export interface CompletedPartRef {
  readonly partNumber: number;
  readonly etag: string;
}

/** The multipart uploads in progress under `store.root`. */
export class S3MultipartStore {
  private readonly dir: string;

  constructor(private readonly store: S3FileStore) {
    this.dir = join(store.root, 'uploads');
  }

  /** Starts an upload; resolves with its id. */
  async create(bucket: string, key: string, headers: ObjectHeaders): Promise<string> {
    await this.store.bucketDir(bucket);
    if (key === '') throw new S3Failure('InvalidArgument', 400, 'An object key must not be empty.');
    const id = randomUUID().replaceAll('-', '');
    await mkdir(join(this.dir, id), { recursive: true });
    const record: UploadRecord = { ...headers, bucket, key };
    await writeFile(join(this.dir, id, 'upload.json'), JSON.stringify(record));
    return id;
  }

  /** Stores one part durably; resolves with its quoted ETag (the MD5 of its bytes). */
  async putPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, expectedBytes?: number): Promise<string> {
    const folder = await this.folderOf(bucket, key, uploadId);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
      throw new S3Failure('InvalidArgument', 400, `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`);
    }
    const spooled = await this.store.spool(body, MAX_PUT_BYTES);
    try {
      if (expectedBytes !== undefined && spooled.size !== expectedBytes) {
        throw new S3Failure('IncompleteBody', 400, 'You did not provide the number of bytes specified by the Content-Length HTTP header');
      }
      const etag = spooled.md5.toString('hex');
      await writeFile(join(folder, `${partNumber}.etag`), etag);
      await rename(spooled.path, join(folder, String(partNumber)));
      return `"${etag}"`;
    } finally {
      await rm(spooled.path, { force: true });
    }
  }

  /** Joins the listed parts into the object; the upload is gone afterwards. */
  async complete(bucket: string, key: string, uploadId: string, parts: readonly CompletedPartRef[]): Promise<StoredObject> {
    const folder = await this.folderOf(bucket, key, uploadId);
    const record = JSON.parse(await readFile(join(folder, 'upload.json'), 'utf8')) as UploadRecord;
    if (parts.length === 0) throw new S3Failure('MalformedXML', 400, 'You must specify at least one part');
    const files: string[] = [];
    const md5s: Buffer[] = [];
    for (const [i, part] of parts.entries()) {
      if (i > 0 && part.partNumber <= parts[i - 1]!.partNumber) {
        throw new S3Failure('InvalidPartOrder', 400, 'The list of parts was not in ascending order.');
      }
      const file = join(folder, String(part.partNumber));
      const etag = await readFile(`${file}.etag`, 'utf8').catch(() => undefined);
      const info = await stat(file).catch(() => undefined);
      if (!etag || !info || etag !== part.etag.replaceAll('"', '')) {
        throw new S3Failure('InvalidPart', 400, 'One or more of the specified parts could not be found.');
      }
      if (i < parts.length - 1 && info.size < MIN_PART_BYTES) {
        throw new S3Failure('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed object size.');
      }
      files.push(file);
      md5s.push(Buffer.from(etag, 'hex'));
    }
    const joined = join(this.store.tmpDir, randomUUID());
    try {
      const out = createWriteStream(joined);
      for (const file of files) await pipeline(createReadStream(file), out, { end: false });
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      await this.store.fsyncFile(joined);
      const { size } = await stat(joined);
      const etag = `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${files.length}"`;
      const { bucket: _b, key: _k, ...headers } = record;
      const stored = await this.store.commit(await this.store.bucketDir(bucket), { ...headers, key, etag, size }, joined);
      await rm(folder, { recursive: true, force: true });
      return stored;
    } finally {
      await rm(joined, { force: true });
    }
  }

  /** Drops the upload and its parts. */
  async abort(bucket: string, key: string, uploadId: string): Promise<void> {
    await rm(await this.folderOf(bucket, key, uploadId), { recursive: true, force: true });
  }

  /** The upload's folder; NoSuchUpload unless it exists and targets this bucket and key. */
  private async folderOf(bucket: string, key: string, uploadId: string): Promise<string> {
    await this.store.bucketDir(bucket);
    const noSuchUpload = new S3Failure('NoSuchUpload', 404, 'The specified upload does not exist.');
    if (!/^[0-9a-f]{32}$/.test(uploadId)) throw noSuchUpload;
    const folder = join(this.dir, uploadId);
    const text = await readFile(join(folder, 'upload.json'), 'utf8').catch(() => undefined);
    const record = text ? (JSON.parse(text) as UploadRecord) : undefined;
    if (!record || record.bucket !== bucket || record.key !== key) throw noSuchUpload;
    return folder;
  }
}
