/**
 * The hand-signed PutObject (s3-signed-put.ts) against a real local S3 (fauxqs): what it stores is
 * what the SDK reads back (bytes, content type, user metadata, an awkward key), and S3's refusals
 * and an unreachable endpoint come out classified as the SDK path's would.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3SignedPut, signedPutOf } from '../../../lambdas/adapters/aws/s3-signed-put.ts';
import { DeploymentError, TransientError } from '../../../lambdas/core/errors.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, serveOnLoopback } from '../../../lambdas/local/services.ts';
import { createServer } from 'node:http';
import { startLocalS3, type LocalS3 } from '../mime/fauxqs-s3.ts';

let local: LocalS3;

beforeAll(async () => {
  local = await startLocalS3();
});

afterAll(async () => {
  await local?.stop();
});

describe('S3SignedPut', () => {
  it('stores the bytes, content type and user metadata under the key, as the SDK reads them', async () => {
    // Prepare
    const body = randomBytes(3_000);
    const key = "polled/imap/srv-1/1700000000/42 März (1)*'!.eml";

    // Act
    await signedPutOf(local.s3).put({ bucket: local.rawBucket, key, body, contentType: 'message/rfc822', metadata: { 'postroom-receipt': 'eyJhIjoxfQ' } });

    // Assess
    const out = await local.s3.send(new GetObjectCommand({ Bucket: local.rawBucket, Key: key }));
    expect(Buffer.from(await out.Body!.transformToByteArray())).toEqual(body);
    expect(out.ContentType).toBe('message/rfc822');
    expect(out.Metadata).toEqual({ 'postroom-receipt': 'eyJhIjoxfQ' });
  });

  it('answers a missing bucket as the deployment\'s fault (storage-misconfigured)', async () => {
    // Act
    const put = signedPutOf(local.s3).put({ bucket: 'no-such-bucket', key: 'k', body: Buffer.from('x'), contentType: 'message/rfc822' });

    // Assess
    await expect(put).rejects.toBeInstanceOf(DeploymentError);
    await expect(put).rejects.toMatchObject({ code: 'storage-misconfigured' });
  });

  it('retries a 503 and stores on the next attempt; a 503 every time is storage-unavailable', async () => {
    // Prepare: a stand-in S3 that answers SlowDown to the first `failures` PUTs
    let failures = 1;
    let calls = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        calls++;
        if (failures-- > 0) res.writeHead(503).end('<Error><Code>SlowDown</Code></Error>');
        else res.writeHead(200).end();
      });
    });
    const endpoint = await serveOnLoopback(server);
    const s3 = new S3Client({ endpoint: endpoint.endpoint, forcePathStyle: true, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const object = { bucket: 'b', key: 'k', body: Buffer.from('x'), contentType: 'message/rfc822' };
    try {
      // Act + Assess
      await new S3SignedPut(s3).put(object);
      expect(calls).toBe(2);
      failures = 10;
      await expect(new S3SignedPut(s3).put(object)).rejects.toMatchObject({ code: 'storage-unavailable' });
      expect(calls).toBe(5);
    } finally {
      s3.destroy();
      await endpoint.stop();
    }
  });

  it('answers an endpoint nobody listens on as transient (storage-unavailable)', async () => {
    // Prepare: a port just closed
    const endpoint = await serveOnLoopback(createServer());
    await endpoint.stop();
    const s3 = new S3Client({ endpoint: endpoint.endpoint, forcePathStyle: true, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

    // Act
    const put = new S3SignedPut(s3).put({ bucket: 'b', key: 'k', body: Buffer.from('x'), contentType: 'message/rfc822' });

    // Assess
    await expect(put).rejects.toBeInstanceOf(TransientError);
    s3.destroy();
  });
});
