/**
 * CORS of the local S3 for the console's uploads (issue 12): a page of the API's origin may PUT a
 * file to a presigned `uploads/` URL of the mail bucket (preflight, then the PUT with its ETag
 * readable); pages of any other origin, other keys, buckets and methods get no CORS headers. And the
 * console's CSP names the local S3 in connect-src. A real server on loopback; the requests carry
 * the headers a browser would send.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callContextOf, SignedS3 } from '../../../lambdas/adapters/aws/signed-request.ts';
import { consoleSite } from '../../../lambdas/local/console-site.ts';
import { CORS_MAX_AGE_SECONDS } from '../../../lambdas/local/s3-cors.ts';
import { startS3FileServer, type S3FileServer } from '../../../lambdas/local/s3-file-server.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';

const MAIL = 'mail-bucket';
const CONSOLE = 'http://127.0.0.1:8787';
const ALSO_CONSOLE = 'http://localhost:8787';
const STRANGER = 'http://evil.example';
let root: string;
let server: S3FileServer;
let s3: S3Client;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'postroom-s3-cors-'));
  server = await startS3FileServer({ root, buckets: [MAIL, 'other-bucket'], durable: false });
  server.allowBrowserUploads(MAIL, [CONSOLE, ALSO_CONSOLE]);
  s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: server.endpoint, forcePathStyle: true });
});

afterAll(async () => {
  s3?.destroy();
  await server?.stop();
  await rm(root, { recursive: true, force: true });
});

/** A presigned PUT as the API hands out for an upload (outbound-files.ts), with its signer. */
async function presigned(key: string, bucket = MAIL): Promise<string> {
  const headers = { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="a.pdf"' };
  return new SignedS3(callContextOf(s3), server.endpoint).presignPut(bucket, key, headers, 900);
}

function preflight(url: string, origin: string, method = 'PUT', headers = 'content-type,content-disposition'): Promise<Response> {
  return fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } });
}

const corsHeadersOf = (res: Response): string[] => [...res.headers.keys()].filter((h) => h.startsWith('access-control-'));

describe('local S3 CORS for console uploads', () => {
  it('admits a preflight for a PUT of an uploads/ key from the console origin only', async () => {
    const url = await presigned('uploads/u-1');
    for (const origin of [CONSOLE, ALSO_CONSOLE]) {
      const res = await preflight(url, origin);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-methods')).toBe('PUT');
      expect(res.headers.get('access-control-allow-headers')?.split(/,\s*/).sort()).toEqual(['content-disposition', 'content-type']);
      expect(res.headers.get('access-control-max-age')).toBe(String(CORS_MAX_AGE_SECONDS));
      expect(res.headers.get('vary')).toContain('Origin');
    }
  });

  it('refuses other origins, methods, headers, buckets and keys with no CORS headers', async () => {
    const refused = [
      preflight(await presigned('uploads/u-1'), STRANGER),
      preflight(await presigned('uploads/u-1'), 'http://127.0.0.1:9999'),
      preflight(await presigned('uploads/u-1'), CONSOLE, 'DELETE'),
      preflight(await presigned('uploads/u-1'), CONSOLE, 'PUT', 'content-type,x-amz-acl'),
      preflight(await presigned('inbound/raw-1'), CONSOLE),
      preflight(await presigned('uploads/'), CONSOLE),
      preflight(await presigned('uploads/u-1', 'other-bucket'), CONSOLE),
      fetch(`${server.endpoint}/${MAIL}/uploads/u-1`, { method: 'OPTIONS' }),
    ];
    for (const res of await Promise.all(refused)) {
      expect(res.status).toBe(403);
      expect(corsHeadersOf(res)).toEqual([]);
      expect(await res.text()).toContain('<Code>AccessForbidden</Code>');
    }
  });

  it('answers the console\'s PUT with its origin and the ETag exposed, and stores the file', async () => {
    const file = Buffer.from('%PDF-1.4\n% upload\n');
    const res = await fetch(await presigned('uploads/u-2'), {
      method: 'PUT',
      headers: { origin: CONSOLE, 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="a.pdf"' },
      body: file,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(res.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    const stored = await server.store.headObject(MAIL, 'uploads/u-2');
    expect(stored?.size).toBe(file.length);
    expect(stored?.contentType).toBe('application/pdf');
  });

  it('gives a PUT from another origin, or of another key, no CORS headers (the page cannot read the answer)', async () => {
    const stranger = await fetch(await presigned('uploads/u-3'), { method: 'PUT', headers: { origin: STRANGER, 'content-type': 'application/pdf' }, body: 'x' });
    const otherKey = await fetch(await presigned('inbound/raw-2'), { method: 'PUT', headers: { origin: CONSOLE, 'content-type': 'application/pdf' }, body: 'x' });
    const noOrigin = await fetch(await presigned('uploads/u-4'), { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: 'x' });
    for (const res of [stranger, otherKey, noOrigin]) expect(corsHeadersOf(res)).toEqual([]);
    expect(noOrigin.status).toBe(200);
  });

  it('names the local S3 in the console\'s connect-src', async () => {
    const site = consoleSite({ dir: root, auth: () => ({ authorizeUrl: '', tokenUrl: '', clientId: 'c', logoutUrl: '', scopes: [] }) as never, connectSources: [server.endpoint] });
    const res = await site.fetch(new Request(`${CONSOLE}/console/config.json`));
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${server.endpoint};`);
    expect(csp).toContain("default-src 'self';");
  });
});
