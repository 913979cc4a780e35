import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../../../lambdas/cli/errors.ts';
import { resolveApiUrl } from '../../../lambdas/cli/target.ts';

describe('API URL resolution', () => {
  let cwd: string;
  const writeRuntime = (content: string) => {
    mkdirSync(join(cwd, '.postroom'), { recursive: true });
    writeFileSync(join(cwd, '.postroom', 'runtime.json'), content);
  };

  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'postroom-cli-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('defaults to the local runtime port when nothing is configured', () => {
    expect(resolveApiUrl({ env: {}, cwd })).toEqual({ url: 'http://127.0.0.1:8787', source: 'default' });
  });

  it('prefers --api, then POSTROOM_API, then .postroom/runtime.json', () => {
    writeRuntime(JSON.stringify({ apiUrl: 'http://127.0.0.1:9000', pid: 1 }));
    const env = { POSTROOM_API: 'https://api.example.test/prod/' };
    expect(resolveApiUrl({ env: {}, cwd })).toEqual({ url: 'http://127.0.0.1:9000', source: '.postroom/runtime.json' });
    expect(resolveApiUrl({ env, cwd })).toEqual({ url: 'https://api.example.test/prod', source: 'POSTROOM_API' });
    expect(resolveApiUrl({ flag: 'http://localhost:1234', env, cwd })).toEqual({ url: 'http://localhost:1234', source: '--api' });
  });

  it('rejects values that are not http(s) URLs, naming where they came from', () => {
    expect(() => resolveApiUrl({ flag: 'localhost:8787', env: {}, cwd })).toThrow(/--api: .* must be an http/);
    expect(() => resolveApiUrl({ env: { POSTROOM_API: 'not a url' }, cwd })).toThrow(/POSTROOM_API: "not a url" is not a URL/);
  });

  it('reports a corrupt runtime file instead of silently using the default', () => {
    writeRuntime('{"apiUrl": ');
    expect(() => resolveApiUrl({ env: {}, cwd })).toThrow(CliError);
    expect(() => resolveApiUrl({ env: {}, cwd })).toThrow(/runtime.json is not valid JSON/);
  });
});
