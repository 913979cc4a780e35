/**
 * Listings that the API pages: the CLI prints the command for the next page and `--cursor` asks
 * the API for it. The API is a stand-in on 127.0.0.1 that serves two pages per listing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ROWS_PER_QUEUE } from '../../../lambdas/cli/commands/queue.ts';
import { runCli } from '../../../lambdas/cli/program.ts';

const mail = (id: string) => ({ id, receivedAt: '2026-11-23T09:00:00.000Z', mailFrom: 'a@customer.test', subject: `subject ${id}` });
const entry = (n: number) => ({ id: `i-${n}`, subject: `s${n}`, enqueuedAt: '', ageMinutes: 1, priority: 0, score: 1 });

describe('paged listings', () => {
  let server: Server;
  let api: string;
  const requests: URL[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push(url);
      const cursor = url.searchParams.get('cursor');
      const pages: Record<string, unknown> = {
        '/quarantine': cursor === 'q2' ? { interactions: [{ ...mail('i-q2'), quarantine: { reason: 'too-large' } }] }
          : { interactions: [{ ...mail('i-q1'), quarantine: { reason: 'unparseable' } }], cursor: 'q2' },
        '/disposed': cursor === 'd2' ? { interactions: [{ ...mail('i-d2'), state: 'disconnected', disposition: { reason: 'spam' } }] }
          : { interactions: [{ ...mail('i-d1'), state: 'set-aside', disposition: { reason: 'auto-reply' } }], cursor: 'd2' },
        '/agents/ann/interactions': cursor === 'a2' ? { agentId: 'ann', interactions: [] } : { agentId: 'ann', interactions: [], cursor: 'a2' },
        // A long queue: every page is full and has a next one.
        '/queues/default/interactions': {
          interactions: Array.from({ length: Number(url.searchParams.get('limit')) }, (_, i) => entry(i)),
          cursor: `p${Number(cursor?.slice(1) ?? 0) + 1}`,
        },
      };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(pages[url.pathname] ?? { interactions: [] }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => void (requests.length = 0));
  afterAll(() => new Promise((done) => server.close(done)));

  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--api', api, ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, cwd: '/nonexistent' });
    return { code, out: out.join(''), err: err.join('') };
  };

  it('quarantine list prints the command for the next page, and --cursor fetches it', async () => {
    // Act
    const first = await run('quarantine', 'list');
    const second = await run('quarantine', 'list', '--cursor', 'q2');
    // Assess
    expect(first.code).toBe(0);
    expect(first.out).toContain('i-q1');
    expect(first.out.trimEnd().split('\n').at(-1)).toBe('(more: postroom quarantine list --cursor q2)');
    expect(second.out).toContain('i-q2');
    expect(second.out).not.toContain('(more:');
    expect(requests.at(0)?.searchParams.get('cursor')).toBeNull();
    expect(requests.at(-1)?.searchParams.get('cursor')).toBe('q2');
  });

  it('disposed list pages the same way', async () => {
    const first = await run('disposed', 'list');
    const second = await run('disposed', 'list', '--cursor', 'd2');
    expect(first.out.trimEnd().split('\n').at(-1)).toBe('(more: postroom disposed list --cursor d2)');
    expect(second.out).toContain('i-d2');
  });

  it('agent interactions pages the same way', async () => {
    const first = await run('agent', 'interactions', 'ann');
    await run('agent', 'interactions', 'ann', '--cursor', 'a2');
    expect(first.out.trimEnd().split('\n').at(-1)).toBe('(more: postroom agent interactions ann --cursor a2)');
    expect(requests.at(0)?.searchParams.get('cursor')).toBeNull();
    expect(requests.at(-1)?.searchParams.get('cursor')).toBe('a2');
  });

  it('queue list stops a long queue with the command that continues it, and --cursor continues there', async () => {
    // Act
    const first = await run('queue', 'list', '--queue', 'default');
    const pagesOfFirst = requests.length;
    const next = await run('queue', 'list', '--queue', 'default', '--cursor', 'p5');
    // Assess
    expect(first.code).toBe(0);
    expect(first.out.trimEnd().split('\n')).toHaveLength(1 + MAX_ROWS_PER_QUEUE + 1);
    expect(first.out.trimEnd().split('\n').at(-1)).toBe('(more: postroom queue list --queue default --cursor p5)');
    expect(next.code).toBe(0);
    expect(requests[pagesOfFirst]?.searchParams.get('cursor')).toBe('p5');
  });

  it('refuses --cursor without --queue: a cursor belongs to one queue', async () => {
    const out = await run('queue', 'list', '--cursor', 'p5');
    expect(out).toMatchObject({ code: 1, err: 'postroom: --cursor needs --queue: a cursor continues one queue\n' });
  });
});
