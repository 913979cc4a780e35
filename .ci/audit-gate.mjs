#!/usr/bin/env node
/**
 * Judges the JSON of `npm audit --omit=dev --json` (the file named by the first argument): exits 1
 * when what ships has a high or critical advisory, or when the audit failed for a reason other
 * than the registry; exits 0 with a note when the registry refused or could not be reached (a
 * mirror answering 405 to the bulk advisory endpoint, no network), because CI cannot fix that.
 */
import { readFileSync } from 'node:fs';

/** Errors of reaching the registry, as npm reports them in `code`. */
const NETWORK_CODES = /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ECONNABORTED|EPIPE|ERR_SOCKET_TIMEOUT|UND_ERR_\w+)$/;
const FAILING = ['high', 'critical'];

const text = readFileSync(process.argv[2], 'utf8').trim();
let report;
try {
  report = JSON.parse(text);
} catch {
  console.log(`npm audit: FAILED, no JSON report: ${text.slice(0, 300) || '(empty output)'}`);
  process.exit(1);
}

const counts = report?.metadata?.vulnerabilities;
if (counts && typeof counts === 'object') {
  const failing = Object.values(report.vulnerabilities ?? {}).filter((v) => FAILING.includes(v.severity));
  const summary = ['critical', 'high', 'moderate', 'low'].map((s) => `${counts[s] ?? 0} ${s}`).join(', ');
  if (failing.length > 0) {
    console.log(`npm audit: FAILED, ${summary} in production dependencies: ${failing.map((v) => `${v.name} (${v.severity})`).join(', ')}`);
    process.exit(1);
  }
  console.log(`npm audit: ok, ${summary} in production dependencies`);
  process.exit(0);
}

const status = report?.statusCode;
const code = report?.code ?? report?.errno ?? report?.error?.code;
const message = report?.message ?? report?.error?.summary ?? JSON.stringify(report).slice(0, 300);
if ((typeof status === 'number' && status >= 400) || (typeof code === 'string' && NETWORK_CODES.test(code))) {
  console.log(`npm audit: skipped, the registry refused or was unreachable (${status ?? code}): ${message}`);
  process.exit(0);
}
console.log(`npm audit: FAILED: ${message}`);
process.exit(1);
