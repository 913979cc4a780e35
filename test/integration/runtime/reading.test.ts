/**
 * Reading the whole message on the local runtime: full text, HTML without remote images, an
 * attachment and the raw .eml, through the HTTP API (streamed locally) and the `postroom` CLI.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { runPostroom } from '../../support/cli.ts';
import { eventually } from '../../support/eventually.ts';
import { sendMail } from '../../support/smtp-client.ts';
import { bytesOf } from '../../support/bytes.ts';
import { runtimeAdminAuthorization, runtimeCaller, shareRuntimeKey } from '../../support/runtime-auth.ts';

let runtime: LocalRuntime;
let stateDir: string;
let s3: S3Client;
let id: string;
const pdf = randomBytes(300_000);
const longText = Array.from({ length: 400 }, (_, n) => `Line ${n}: my order 4711 has not arrived.`).join('\n');

const call = runtimeCaller(() => runtime);
const api = <T = any>(path: string) => call<T>('GET', path);

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'postroom-reading-'));
  runtime = await startLocalRuntime({ memory: true, smtpPort: 0, apiPort: 0, stateDir, domains: ['support.example.test'], visibilityTimeoutSeconds: 1, dnsServers: ['127.0.0.1:9'] });
  shareRuntimeKey(runtime);
  s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: runtime.endpoints.s3, forcePathStyle: true });
  await sendMail(runtime.smtp.port, {
    from: 'Ada Customer <ada@customer.example>',
    to: 'help@support.example.test',
    subject: 'Parcel missing',
    text: longText,
    html: '<p>Hello <b>team</b></p><img src="https://tracker.example/pixel.gif?u=ada" alt="t"><img src="cid:logo@x" alt="logo"><script>alert(1)</script>',
    attachments: [{ filename: 'Rechnung März.pdf', content: pdf, contentType: 'application/pdf' }],
  });
  id = await eventually(
    async () => (await api('/queues/default/interactions')).body.interactions?.find((i: { subject: string }) => i.subject === 'Parcel missing')?.id,
    { what: 'the mail to wait in the default queue' },
  );
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('reading the whole message on the local runtime', () => {
  it('answers the full text and the sanitized HTML with remote images disabled', async () => {
    // Act
    const blocked = await api(`/interactions/${id}/content`);
    const remote = await api(`/interactions/${id}/content?images=remote`);

    // Assess
    expect(blocked.status).toBe(200);
    expect(blocked.body.text.trim()).toBe(longText);
    expect(blocked.body.textTruncated).toBe(false);
    expect(blocked.body.html).toContain('<b>team</b>');
    expect(blocked.body.html).not.toContain('script');
    expect(blocked.body.html).not.toContain(' src="https://tracker.example');
    expect(blocked.body.html).toContain('data-remote-src="https://tracker.example/pixel.gif?u=ada"');
    expect(blocked.body.html).toContain('src="cid:logo@x"');
    expect(blocked.body.images).toEqual({ remote: 'blocked', blocked: 1 });
    expect(blocked.body.csp).toContain('img-src cid: data:;');
    expect(remote.body.html).toContain('src="https://tracker.example/pixel.gif?u=ada"');
    expect(remote.body.csp).toContain('https:');
  });

  it('lists attachments and streams one byte-identical with a safe download name', async () => {
    // Act
    const list = await api(`/interactions/${id}/attachments`);
    const link = await api(`/interactions/${id}/attachments/0`);
    const res = await fetch(link.body.url, { headers: { authorization: runtimeAdminAuthorization(runtime) } });
    const bytes = Buffer.from(await res.arrayBuffer());

    // Assess
    expect(list.body.attachments).toEqual([expect.objectContaining({ index: 0, filename: 'Rechnung März.pdf', contentType: 'application/pdf', size: pdf.length })]);
    expect(link.body).toMatchObject({ filename: 'Rechnung März.pdf', contentType: 'application/pdf', size: pdf.length });
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(bytes.equals(pdf)).toBe(true);
    expect((await api(`/interactions/${id}/attachments/7`)).status).toBe(404);
  });

  it('streams the raw message byte-identical to what was stored', async () => {
    // Prepare
    const shown = (await api(`/interactions/${id}`)).body.interaction;
    const stored = await s3.send(new GetObjectCommand({ Bucket: shown.message.raw.bucket, Key: shown.message.raw.key }));
    const expected = await bytesOf(stored.Body);

    // Act
    const link = await api(`/interactions/${id}/raw`);
    const res = await fetch(link.body.url, { headers: { authorization: runtimeAdminAuthorization(runtime) } });

    // Assess
    expect(link.body).toMatchObject({ filename: `${id}.eml`, contentType: 'message/rfc822' });
    expect(Buffer.from(await res.arrayBuffer()).equals(expected)).toBe(true);
  });

  it('reads, and downloads attachments and the raw message, with the CLI', async () => {
    // Prepare
    const cwd = await mkdtemp(join(tmpdir(), 'postroom-reading-cli-'));
    const shown = (await api(`/interactions/${id}`)).body.interaction;
    const stored = await s3.send(new GetObjectCommand({ Bucket: shown.message.raw.bucket, Key: shown.message.raw.key }));
    const raw = await bytesOf(stored.Body);

    // Act
    const read = await runPostroom(['--api', runtime.apiUrl, 'interaction', 'read', id], { cwd });
    const html = await runPostroom(['--api', runtime.apiUrl, 'interaction', 'read', id, '--html'], { cwd });
    const attachment = await runPostroom(['--api', runtime.apiUrl, 'interaction', 'attachment', id, '0'], { cwd });
    const again = await runPostroom(['--api', runtime.apiUrl, 'interaction', 'attachment', id, '0'], { cwd });
    const rawRun = await runPostroom(['--api', runtime.apiUrl, 'interaction', 'raw', id, '--out', 'copy.eml'], { cwd });

    // Assess
    expect(read.code).toBe(0);
    expect(read.stdout).toContain('Subject:  Parcel missing');
    expect(read.stdout).toContain('Line 399: my order 4711 has not arrived.');
    expect(read.stdout).toContain('0  Rechnung März.pdf  application/pdf');
    expect(html.stdout).toContain('data-remote-src="https://tracker.example/pixel.gif?u=ada"');
    expect(attachment.code).toBe(0);
    expect((await readFile(join(cwd, 'Rechnung März.pdf'))).equals(pdf)).toBe(true);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('exists; choose another file with --out');
    expect(rawRun.code).toBe(0);
    expect((await readFile(join(cwd, 'copy.eml'))).equals(raw)).toBe(true);
    await rm(cwd, { recursive: true, force: true });
  }, 60_000);
});
