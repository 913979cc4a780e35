/**
 * A data folder written by an older runtime (objects mirrored to `<data>/s3/<key>`) keeps serving its
 * raw mail and attachments once the file-backed S3 runs on it.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { startS3FileServer } from '../../../lambdas/local/s3-file-server.ts';
import { adoptMirroredObjects } from '../../../lambdas/local/s3-legacy-mirror.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe('objects mirrored by an older runtime', () => {
  it('are moved into the mail bucket once, keyed by their path', async () => {
    // Prepare
    const root = await mkdtemp(join(tmpdir(), 'postroom-legacy-'));
    roots.push(root);
    await mkdir(join(root, 'inbound'), { recursive: true });
    await mkdir(join(root, 'parts/abc/attachments'), { recursive: true });
    await writeFile(join(root, 'inbound/abc'), 'Subject: old\r\n\r\nkept');
    await writeFile(join(root, 'parts/abc/attachments/0'), 'pdf');
    const server = await startS3FileServer({ root, buckets: ['postroom-mail'] });
    const s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: server.endpoint, forcePathStyle: true });

    try {
      // Act
      const adopted = await adoptMirroredObjects(server.store, 'postroom-mail');
      const again = await adoptMirroredObjects(server.store, 'postroom-mail');

      // Assess
      expect([adopted, again]).toEqual([2, 0]);
      const raw = await s3.send(new GetObjectCommand({ Bucket: 'postroom-mail', Key: 'inbound/abc' }));
      expect(await raw.Body!.transformToString()).toContain('kept');
      expect(raw.ContentType).toBe('message/rfc822');
      expect((await s3.send(new HeadObjectCommand({ Bucket: 'postroom-mail', Key: 'parts/abc/attachments/0' }))).ContentLength).toBe(3);
      expect((await readdir(root)).sort()).toEqual(['buckets', 'tmp']);
    } finally {
      s3.destroy();
      await server.stop();
    }
  });
});
