import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DevDeps, DevOptions } from '../../../lambdas/cli/commands/dev.ts';
import { runCli } from '../../../lambdas/cli/program.ts';

function capture(cwd = '/nonexistent-postroom-dir') {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: {}, cwd }, out, err };
}

describe('postroom program', () => {
  it('dev starts the runtime with the defaults, prints where it listens, and stops on a signal', async () => {
    // Prepare: a stand-in runtime that records how it was started and stopped
    const started: DevOptions[] = [];
    let stopped = false;
    const deps: DevDeps = {
      start: async (options) => {
        started.push(options);
        return { smtp: { host: '127.0.0.1', port: 2525 }, apiUrl: 'http://127.0.0.1:8787', dataDir: '/w/.postroom/data', stop: async () => void (stopped = true) };
      },
      untilSignal: async () => 'SIGINT',
    };
    const { io, out } = capture('/w');

    // Act
    const code = await runCli(['dev'], io, deps);

    // Assess
    expect(code).toBe(0);
    expect(started).toEqual([
      expect.objectContaining({ dataDir: '/w/.postroom/data', smtpPort: 2525, apiPort: 8787, domains: ['example.test'], defaultQueueId: 'default', stateDir: '/w/.postroom' }),
    ]);
    const text = out.join('');
    expect(text).toContain('SMTP    127.0.0.1:2525');
    expect(text).toContain('API     http://127.0.0.1:8787');
    expect(text).toContain('Console http://127.0.0.1:8787/console/');
    expect(text).toMatch(/curl -s smtp:\/\/127\.0\.0\.1:2525 .*--mail-rcpt support@example\.test/);
    expect(stopped).toBe(true);
  });

  it('dev names the CLI the way the README does, one way that works after npm ci', async () => {
    // Prepare
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const deps: DevDeps = {
      start: async () => ({ smtp: { host: '127.0.0.1', port: 2525 }, apiUrl: 'http://127.0.0.1:8787', stop: async () => {} }),
      untilSignal: async () => 'SIGINT',
    };
    const { io, out } = capture('/w');
    // Act
    await runCli(['dev'], io, deps);
    // Assess
    expect(out.join('')).toContain('Then:         node bin/postroom.mjs queue list');
    const calls = readme.split('\n').filter((line) => /^(npx |npm exec )?postroom /.test(line) || /^node bin\/postroom\.mjs /.test(line));
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.filter((line) => !line.startsWith('node bin/postroom.mjs '))).toEqual([]);
  });

  it('dev passes --memory, ports, domains and queue through', async () => {
    const started: DevOptions[] = [];
    const deps: DevDeps = {
      start: async (o) => (started.push(o), { smtp: { host: '127.0.0.1', port: 0 }, apiUrl: 'http://127.0.0.1:1', stop: async () => {} }),
      untilSignal: async () => 'SIGTERM',
    };
    const code = await runCli(['dev', '--memory', '--smtp-port', '2626', '--api-port', '0', '--domain', 'a.test', 'b.test', '--default-queue', 'vip'], capture().io, deps);
    expect(code).toBe(0);
    expect(started[0]).toMatchObject({ memory: true, smtpPort: 2626, apiPort: 0, domains: ['a.test', 'b.test'], defaultQueueId: 'vip' });
    expect(started[0]?.dataDir).toBeUndefined();
  });

  it('prints its version for --version and -V, and leaves a command its own --version', async () => {
    // Prepare
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    const long = capture();
    const short = capture();
    const flowShow = capture();
    // Act
    const codes = [await runCli(['--version'], long.io), await runCli(['-V'], short.io)];
    await runCli(['--api', 'http://127.0.0.1:1', 'flow', 'show', 'triage', '--version', '1'], flowShow.io);
    // Assess
    expect(codes).toEqual([0, 0]);
    expect([long.out.join(''), short.out.join('')]).toEqual([`${version}\n`, `${version}\n`]);
    expect(flowShow.out.join('')).not.toContain(version);
    expect(flowShow.err.join('')).toMatch(/^postroom: cannot reach the Postroom API/);
  });

  it('fails with one line and exit code 1 for --api together with --stack', async () => {
    const { io, err } = capture();
    const code = await runCli(['--api', 'http://127.0.0.1:1', '--stack', 'Postroom', 'quarantine', 'list'], io);
    expect(code).toBe(1);
    expect(err.join('')).toBe('postroom: use one of --api or --stack\n');
  });

  it('reports a runtime that cannot start in one line', async () => {
    const deps: DevDeps = { start: () => Promise.reject(new Error('listen EADDRINUSE: address already in use 127.0.0.1:2525')), untilSignal: async () => 'SIGINT' };
    const { io, err } = capture();
    expect(await runCli(['dev'], io, deps)).toBe(1);
    expect(err.join('')).toBe('postroom: could not start the local runtime: listen EADDRINUSE: address already in use 127.0.0.1:2525\n');
  });

  it('dev passes --language through as a list of codes, and rejects anything else', async () => {
    const started: DevOptions[] = [];
    const deps: DevDeps = {
      start: async (o) => (started.push(o), { smtp: { host: '127.0.0.1', port: 0 }, apiUrl: 'http://127.0.0.1:1', stop: async () => {} }),
      untilSignal: async () => 'SIGTERM',
    };
    expect(await runCli(['dev', '--memory', '--language', 'EN, de'], capture().io, deps)).toBe(0);
    expect(started[0]?.languages).toEqual(['en', 'de']);
    const { io, err } = capture();
    expect(await runCli(['dev', '--language', 'english'], io, deps)).toBe(1);
    expect(err.join('')).toMatch(/--language <codes>.*must be comma-separated two-letter language codes/);
  });

  it('dev passes --max-domains and --domain-check through, and rejects values out of range', async () => {
    const started: DevOptions[] = [];
    const deps: DevDeps = {
      start: async (o) => (started.push(o), { smtp: { host: '127.0.0.1', port: 0 }, apiUrl: 'http://127.0.0.1:1', stop: async () => {} }),
      untilSignal: async () => 'SIGTERM',
    };
    const tooMany = capture();
    const never = capture();

    const codes = [
      await runCli(['dev', '--memory', '--max-domains', '5', '--domain-check', '10'], capture().io, deps),
      await runCli(['dev', '--max-domains', '101'], tooMany.io, deps),
      await runCli(['dev', '--domain-check', '0'], never.io, deps),
    ];

    expect(codes).toEqual([0, 1, 1]);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ maxDomains: 5, domainCheckSeconds: 10 });
    expect(tooMany.err.join('')).toMatch(/--max-domains <n>.*must be a whole number from 1 to 100/);
    expect(never.err.join('')).toMatch(/--domain-check <seconds>.*at least 1/);
  });

  it('rejects a bad port with a usage error', async () => {
    const { io, err } = capture();
    expect(await runCli(['dev', '--api-port', '70000'], io)).toBe(1);
    expect(err.join('')).toMatch(/--api-port <n>.*must be a port number/);
  });
});
