/**
 * `--json` on a failed command: the error comes as JSON on stderr (reason, message, fields), stdout
 * stays empty and the exit code is the one the text error has; the bin as users run it, against the
 * API app on dynalite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { dynamoApiApp, serveApi, type ServedApi } from '../../support/api-app.ts';
import { runPostroom } from '../../support/cli.ts';

let dynalite: Dynalite;
let tables: Tables;
let server: ServedApi;

beforeAll(async () => {
  dynalite = await startDynalite();
  tables = await createTables(dynalite.endpoint, 'json-errors');
  server = await serveApi(dynamoApiApp(tables, { suppressions: true }));
});

afterAll(async () => {
  await server?.close();
  tables?.destroy();
  await dynalite?.stop();
});

describe('postroom --json on an error', () => {
  it('prints an API refusal with its fields as JSON on stderr, and nothing on stdout', async () => {
    // Act
    const run = await runPostroom(['--api', server.url, 'suppression', 'list', '--cursor', 'not!a!cursor', '--json']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr)).toEqual({
      error: {
        reason: 'request.invalid',
        message: 'the request is invalid',
        status: 400,
        code: 'validation',
        fields: [{ path: 'cursor', message: expect.stringContaining('must be a cursor') }],
      },
    });
  });

  it('prints a 404 with its reason and the text the line would have', async () => {
    const [json, text] = await Promise.all([
      runPostroom(['--api', server.url, 'interaction', 'show', 'i-nowhere', '--json']),
      runPostroom(['--api', server.url, 'interaction', 'show', 'i-nowhere']),
    ]);
    expect([json.code, text.code]).toEqual([1, 1]);
    const body = JSON.parse(json.stderr);
    expect(body.error).toMatchObject({ reason: 'interaction.not-found', status: 404, code: 'not-found' });
    // Without --json the same error stays one line of text (unchanged).
    expect(text.stderr).toBe(`postroom: API error 404 not-found: ${body.error.message}\n`);
  });

  it('prints the CLI\'s own failures and commander\'s usage errors as JSON, with their exit codes', async () => {
    const [failed, usage, help] = await Promise.all([
      runPostroom(['--api', 'not a url', 'queue', 'list', '--json']),
      runPostroom(['--api', server.url, 'queue', 'list', '--json', '--no-such-option']),
      runPostroom(['queue', 'list', '--json', '--help']),
    ]);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stderr)).toEqual({ error: { reason: 'cli.failed', message: expect.stringContaining('is not a URL') } });
    expect(usage.code).toBe(1);
    expect(usage.stdout).toBe('');
    expect(JSON.parse(usage.stderr)).toEqual({ error: { reason: 'cli.usage', message: "unknown option '--no-such-option'" } });
    // Help is no error: printed as ever, exit 0.
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: postroom queue list');
    expect(help.stderr).toBe('');
  });
});
