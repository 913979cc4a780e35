import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const APP = resolve(import.meta.dirname, '../../bin/app.ts');

/** Runs the CDK app as `cdk synth` does (a child process), with `context` as the CLI would pass it. */
function synth(context: Record<string, unknown>, extraEnv: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  const env = { ...process.env, ...extraEnv, CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'postroom-synth-')), CDK_CONTEXT_JSON: JSON.stringify(context) };
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', APP], { env, timeout: 60_000 }, (err, _stdout, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

describe('the CDK app (bin/app.ts)', () => {
  it('ends synth with a wrong domain setting with one line naming the key, not a stack trace', async () => {
    // Act
    const { code, stderr } = await synth({ 'postroom:domains': 'support.acme.com', 'postroom:maxDomains': '0' });
    // Assess
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('postroom: context postroom:maxDomains must be a whole number from 1 to 100, got 0');
  });

  it('names a placeholder domain instead of deploying a rule set for it', async () => {
    // Act
    const { code, stderr } = await synth({ 'postroom:domains': 'support.example.com' });
    // Assess
    expect(code).toBe(1);
    expect(stderr).toMatch(/^postroom: context postroom:domains has a reserved example domain .*support\.example\.com/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('ends synth in a region without SES receiving with one line naming the region', async () => {
    // Act
    const { code, stderr } = await synth({ 'postroom:domains': 'support.acme.com' }, { CDK_DEFAULT_REGION: 'sa-east-1', CDK_DEFAULT_ACCOUNT: '111111111111' });
    // Assess
    expect(code).toBe(1);
    expect(stderr).toMatch(/^postroom: SES does not receive mail in sa-east-1; deploy Postroom to one of /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
