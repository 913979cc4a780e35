/**
 * The local API server's HTTP rules, over a real socket: what a web page could send to
 * 127.0.0.1:8787 is refused (415 for non-JSON bodies, 403 for a foreign Origin or Host), a large
 * body is refused without being buffered (413), a wrong method on a known path is 405 with Allow.
 * The stores are in-memory stand-ins: these rules run before any store is touched.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../../lambdas/adapters/api/app.ts';
import { API_BODY_LIMIT_BYTES } from '../../../lambdas/adapters/api/request-rules.ts';
import type { AcdDeps } from '../../../lambdas/core/agents/ports.ts';
import type { InteractionStore, QueueStore } from '../../../lambdas/core/ports.ts';
import { startApiServer, type ApiServer } from '../../../lambdas/local/api-server.ts';
import type { Queue } from '../../../lambdas/core/agents/model.ts';
import { adminCallers } from '../../support/api-app.ts';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: any;
}

describe('local API server', () => {
  let server: ApiServer;
  let port: number;
  const created: Queue[] = [];

  beforeAll(async () => {
    const queues = { list: async () => created, countWaiting: async () => 0, get: async () => undefined } as unknown as QueueStore;
    const acd = {
      agents: {},
      claims: {},
      queueAdmin: { create: async (q: Queue) => (created.push(q), 'created' as const) },
    } as unknown as AcdDeps;
    const app = createApiApp({ callers: adminCallers, interactions: {} as InteractionStore, queues, now: () => new Date('2026-01-01T09:00:00Z'), acd, log: () => {} });
    server = await startApiServer(app, 0);
    port = Number(new URL(server.url).port);
  });
  afterAll(() => server?.stop());

  /** One request with exactly these headers (node:http adds Host and nothing else we do not ask for). */
  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const json = { 'content-type': 'application/json' };
  const queue = JSON.stringify({ id: 'support', name: 'Support' });

  it('takes a JSON body sent as application/json', async () => {
    const res = await send('POST', '/queues', { ...json, 'content-length': String(Buffer.byteLength(queue)) }, queue);
    expect(res.status).toBe(201);
    expect(res.body.queue).toMatchObject({ id: 'support', name: 'Support' });
    expect(created.map((q) => q.id)).toEqual(['support']);
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }, queue],
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }, 'id=x&name=y'],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }, '--x--'],
    ['no Content-Type', {}, queue],
    ['an empty form', { 'content-type': 'application/x-www-form-urlencoded' }, ''],
  ])('refuses a body sent as %s with 415, before any store sees it', async (_, headers, body) => {
    const before = created.length;
    const res = await send('POST', '/queues', { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body);
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported-media-type');
    expect(created.length).toBe(before);
  });

  it('lets a request without a body or Content-Type through (POST /agents/:id/next needs none)', async () => {
    const res = await send('POST', '/queues', { 'content-length': '0' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ body: 'must be a JSON object' });
  });

  it('refuses a declared body over the limit with 413 unread', async () => {
    const res = await send('POST', '/queues', { ...json, 'content-length': String(200 * 1024 * 1024) }, Buffer.alloc(0));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload-too-large');
  });

  it('refuses a streamed 200 MB body with 413 while memory stays far below its size', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const total = 200 * 1024 * 1024;
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let sent = 0;
    const status = await new Promise<number>((resolve, reject) => {
      let answered = false;
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/queues', headers: { ...json, 'transfer-encoding': 'chunked' } }, (res) => {
        answered = true;
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      // The server closes the connection after its answer; a write after that fails, which is the point.
      req.on('error', (err) => (answered ? undefined : reject(err)));
      const pump = (): void => {
        while (!answered && sent < total) {
          sent += chunk.length;
          peak = Math.max(peak, process.memoryUsage().rss);
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    expect(sent).toBeGreaterThan(API_BODY_LIMIT_BYTES);
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('answers 405 with Allow for a known path and 404 for an unknown one, without CORS headers', async () => {
    const wrong = await send('PUT', '/queues', json);
    const preflight = await send('OPTIONS', '/queues', { origin: `http://127.0.0.1:${port}`, 'access-control-request-method': 'POST' });
    const unknown = await send('GET', '/nowhere');
    expect(wrong).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD, POST' }, body: { error: { code: 'method-not-allowed' } } });
    expect(preflight).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD, POST' } });
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });
    expect((await send('DELETE', '/queues/support')).status).not.toBe(405);
  });

  it('refuses requests from web pages of other origins and through foreign host names with 403', async () => {
    const before = created.length;
    const page = await send('POST', '/queues', { origin: 'https://evil.example', 'content-length': '0' });
    const rebound = await send('GET', '/queues', { host: `evil.example:${port}` });
    const own = await send('GET', '/queues', { origin: `http://127.0.0.1:${port}` });
    const byName = await send('GET', '/queues', { host: `localhost:${port}` });
    expect(page).toMatchObject({ status: 403, body: { error: { code: 'forbidden-origin' } } });
    expect(rebound).toMatchObject({ status: 403, body: { error: { code: 'forbidden-origin' } } });
    expect([own.status, byName.status]).toEqual([200, 200]);
    expect(created.length).toBe(before);
  });
});
