/**
 * .ci/audit-gate.mjs: which `npm audit --omit=dev --json` outputs fail CI. Run as CI runs it, a
 * child process reading the report from a file.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const GATE = resolve(import.meta.dirname, '../../../.ci/audit-gate.mjs');
const dir = mkdtempSync(join(tmpdir(), 'postroom-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gate(output: unknown): Promise<{ code: number; stdout: string }> {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof output === 'string' ? output : JSON.stringify(output));
  return new Promise((done) => {
    execFile(process.execPath, [GATE, file], (err, stdout) => done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }));
  });
}

const report = (vulnerabilities: Record<string, { name: string; severity: string }>) => {
  const count = (s: string) => Object.values(vulnerabilities).filter((v) => v.severity === s).length;
  const severities = ['info', 'low', 'moderate', 'high', 'critical'];
  return {
    auditReportVersion: 2,
    vulnerabilities,
    metadata: { vulnerabilities: { ...Object.fromEntries(severities.map((s) => [s, count(s)])), total: Object.keys(vulnerabilities).length } },
  };
};

describe('.ci/audit-gate.mjs', () => {
  it('fails CI on a high or critical advisory in production dependencies, naming the packages', async () => {
    const high = await gate(report({ fastxml: { name: 'fastxml', severity: 'high' }, ms: { name: 'ms', severity: 'low' } }));
    const critical = await gate(report({ evil: { name: 'evil', severity: 'critical' } }));
    expect(high.code).toBe(1);
    expect(high.stdout).toBe('npm audit: FAILED, 0 critical, 1 high, 0 moderate, 1 low in production dependencies: fastxml (high)\n');
    expect(critical.code).toBe(1);
  });

  it('passes a report with moderate or lower findings only', async () => {
    const run = await gate(report({ ms: { name: 'ms', severity: 'moderate' } }));
    expect(run).toEqual({ code: 0, stdout: 'npm audit: ok, 0 critical, 0 high, 1 moderate, 0 low in production dependencies\n' });
  });

  it('reports and skips a registry that refuses the bulk advisory endpoint (HTTP 405)', async () => {
    // What npm 11 prints against a registry mirror without the audit endpoint.
    const refused = {
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      method: 'POST',
      uri: 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      body: '',
      error: { summary: '', detail: '' },
    };
    const run = await gate(refused);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^npm audit: skipped, the registry refused or was unreachable \(405\): 405 Method Not Allowed/);
  });

  it('reports and skips a registry that cannot be reached', async () => {
    const run = await gate({ error: { code: 'ENOTFOUND', summary: 'request to https://registry.npmjs.org failed, reason: getaddrinfo ENOTFOUND' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^npm audit: skipped, .*\(ENOTFOUND\)/);
  });

  it('fails on any other error, and on output that is not a report', async () => {
    expect((await gate({ error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.' } })).code).toBe(1);
    expect((await gate('')).code).toBe(1);
  });
});
