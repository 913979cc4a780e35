/**
 * The CLI says API errors in its own words, keyed by the error's reason (messages.en.ts), and
 * keeps the server's message for the specifics; a reason it does not know yet shows the server's
 * message alone.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../../lambdas/cli/api-client.ts';
import { ApiError, describeError, reasonText } from '../../../lambdas/cli/errors.ts';
import { readCliFile } from '../../../lambdas/cli/cli-file.ts';
import { CLI_TEXT_EN, ERROR_TEXT_EN } from '../../../lambdas/cli/messages.en.ts';
import { ALL_ERROR_REASONS } from '../../../lambdas/core/error-reasons.ts';

describe('ERROR_TEXT_EN', () => {
  it('has a text for every reason and for nothing else', () => {
    expect(Object.keys(ERROR_TEXT_EN).sort()).toEqual([...ALL_ERROR_REASONS].sort());
    for (const text of Object.values(ERROR_TEXT_EN)) expect(text.trim()).not.toBe('');
  });
});

describe('describeError of an API error', () => {
  it("leads with the reason's text and keeps the server's message", () => {
    const err = new ApiError(404, 'not-found', 'interaction i-nope not found', undefined, 'interaction.not-found');
    expect(describeError(err)).toBe('API error 404 not-found: no such interaction: interaction i-nope not found');
  });

  it("says each field in the field reason's text, and lets the fields of a 400 speak for the request", () => {
    const err = new ApiError(
      400,
      'validation',
      'invalid request: address, fromName',
      { address: "must be on one of the organisation's domains (example.org)", fromName: 'must be a string' },
      'request.invalid',
      { address: 'address.domain-not-served' },
    );
    expect(describeError(err)).toBe(
      "API error 400 validation: the request is invalid (address: not on a domain this deployment serves: must be on one of the organisation's domains (example.org); fromName: must be a string)",
    );
  });

  it('says a text once: not again on a field of the same reason, not before a message that begins with it', () => {
    const err = new ApiError(400, 'validation', 'invalid request: subject', { subject: 'unknown placeholder {{ticket}}' }, 'request.invalid', {
      subject: 'template.unknown-placeholder',
    });
    expect(describeError(err)).toBe('API error 400 validation: the request is invalid (subject: unknown placeholder {{ticket}})');
  });

  it("falls back to the server's message for a reason this CLI does not know", () => {
    expect(reasonText('queue.renamed-in-a-newer-server')).toBeUndefined();
    expect(reasonText('toString')).toBeUndefined();
    const err = new ApiError(409, 'conflict', 'queue q1 is sleeping', { id: 'is asleep' }, 'queue.renamed-in-a-newer-server', { id: 'queue.asleep' });
    expect(describeError(err)).toBe('API error 409 conflict: queue q1 is sleeping (id: is asleep)');
  });

  it('says a field once when the server message already lists it (a send refusal), and its reason for every cause', () => {
    const issue = 'x@customer.test (manual) is suppressed; an admin can lift it';
    const err = new ApiError(422, 'send-refused', `not sent: to: ${issue}`, { to: issue }, 'outbound.recipient-suppressed', { to: 'outbound.recipient-suppressed' });
    const line = describeError(err);
    expect(line.split(issue)).toHaveLength(2);
    expect(line).not.toMatch(/bounced or complained/);
    expect(line).toMatch(/^API error 422 send-refused: a recipient is suppressed \(.*by hand.*\).*: not sent: to: x@customer\.test \(manual\) is suppressed; an admin can lift it$/);
  });
});

describe('the suppressed-recipient refusal, in the CLI and the console', () => {
  it('names every cause (bounce, complaint, added by hand), not only bounces and complaints', async () => {
    const { common } = await import('../../../console/src/lib/i18n/common/index.ts');
    const texts = { cli: ERROR_TEXT_EN['outbound.recipient-suppressed'], ...Object.fromEntries(Object.entries(common).map(([lang, d]) => [lang, d['errors.outbound.recipient-suppressed']])) };
    expect(texts).toEqual({ cli: expect.stringMatching(/by hand/), en: expect.stringMatching(/by hand/), de: expect.stringMatching(/von Hand/), ja: expect.stringMatching(/手動/) });
  });
});

describe('ApiClient error answers', () => {
  it('reads the reason of the error and of each issue', async () => {
    const body = {
      error: {
        code: 'conflict',
        reason: 'queue.id-taken',
        message: 'queue support already exists',
        fields: { id: 'is taken by an existing queue' },
        issues: [{ path: 'id', code: 'conflict', reason: 'queue.id-taken', message: 'is taken by an existing queue' }],
      },
    };
    const client = new ApiClient('http://api.test', async () => Response.json(body, { status: 409 }));
    const err = (await client.write('POST', '/queues', { id: 'support' }).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect([err.status, err.code, err.reason, err.fields, err.fieldReasons]).toEqual([
      409,
      'conflict',
      'queue.id-taken',
      { id: 'is taken by an existing queue' },
      { id: 'queue.id-taken' },
    ]);
    expect(describeError(err)).toBe(
      'API error 409 conflict: the queue id is taken: queue support already exists (id: is taken by an existing queue)',
    );
  });
});

describe('CLI_TEXT_EN: the refusals several commands make, written once', () => {
  const CLI_DIR = join(import.meta.dirname, '../../../lambdas/cli');
  const sources = (readdirSync(CLI_DIR, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith('.ts') && f !== 'messages.en.ts')
    .map((f) => ({ f, text: readFileSync(join(CLI_DIR, f), 'utf8') }));

  it('is the only place that words them: no command writes its own copy', () => {
    const copies = sources.flatMap(({ f, text }) =>
      [/['`]use (?:one of|either) --/g, /['`]cannot read \$\{path\}/g, /is larger than \$\{MAX_\w+\} bytes/g].flatMap((re) => [...text.matchAll(re)].map((m) => `${f}: ${m[0]}`)),
    );
    expect(copies).toEqual([]);
  });

  it('words options that exclude each other and the file refusals', async () => {
    expect(CLI_TEXT_EN.oneOf('--api', '--stack')).toBe('use one of --api or --stack');
    expect(CLI_TEXT_EN.oneOf('--queue', '--flow', '--no-routing')).toBe('use one of --queue, --flow or --no-routing');
    await expect(readCliFile('/nonexistent/flow.json', 10)).rejects.toThrow('cannot read /nonexistent/flow.json: ENOENT');
    await expect(readCliFile(join(CLI_DIR, 'messages.en.ts'), 10)).rejects.toThrow(`${join(CLI_DIR, 'messages.en.ts')} is larger than 10 bytes`);
  });
});
