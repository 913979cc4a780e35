/**
 * `--stack` on a machine without AWS configuration: the CLI says what to set instead of the SDK's
 * own words. Child processes with a bare environment; instance metadata is disabled so nothing
 * leaves the machine (the SDK fails before any request without a region or credentials).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPostroom } from '../../support/cli.ts';

/** No region, no credentials, no config files, no instance metadata. */
const BARE_AWS = { AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', AWS_EC2_METADATA_DISABLED: 'true' };

describe('postroom --stack without AWS configuration', () => {
  it('says to pass --region or set AWS_REGION when no region is configured', async () => {
    // Act
    const run = await runPostroom(['--stack', 'Postroom', 'queue', 'list'], { env: BARE_AWS });
    // Assess
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe(
      'postroom: no AWS region for --stack: pass --region <region> (e.g. --region eu-west-1), or set AWS_REGION, or a region in the AWS_PROFILE you use\n',
    );
  });

  it('says which credentials to set when none are found, with --region given', async () => {
    // Act
    const run = await runPostroom(['--stack', 'Postroom', '--region', 'eu-west-1', 'queue', 'list'], { env: BARE_AWS });
    // Assess
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe(
      'postroom: no AWS credentials for --stack: set AWS_PROFILE to a configured profile (aws configure, or aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n',
    );
  });

  it('refuses --region without --stack', async () => {
    const run = await runPostroom(['--api', 'http://127.0.0.1:1', '--region', 'eu-west-1', 'queue', 'list'], { env: BARE_AWS });
    expect(run).toMatchObject({ code: 1, stderr: 'postroom: --region applies to --stack only\n' });
  });

  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    const run = await runPostroom(['--version'], { env: BARE_AWS });
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
  });
});
