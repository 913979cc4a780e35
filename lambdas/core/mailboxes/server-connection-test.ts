/**
 * The connection test of a mail server save (SRV-6, seed step 10: enable = test): an enabled
 * candidate is tested with its candidate settings before anything is stored; a failure refuses the
 * save or, when asked, stores the server disabled. No I/O here: the tester and credentials are ports.
 */
import { PermanentError } from '../errors.ts';
import { ERROR_REASONS as R } from '../error-reasons.ts';
import { MailConnectionError, describeTestResult, type ConnectionTestResult, type ConnectionTester, type CredentialSource, type MailCredentials } from './connection.ts';
import { healthAfterSave } from './server-save.ts';
import type { MailServer, MailServerHealth } from './server.ts';

/** What a connection test takes (part of MailServerServiceDeps). */
export interface ConnectionTestDeps {
  /** The login of a connection test; without it (or `tester`) an enabled server cannot be saved. */
  readonly credentials?: CredentialSource;
  readonly tester?: ConnectionTester;
  readonly now: () => Date;
}

/** What a failing connection test of an enabled save does: refuse (default) or store the server disabled. */
export type ConnectionFailurePolicy = 'refuse' | 'save-inactive';

/** Saving an enabled server failed its connection test; nothing was stored. `result` says why in words. */
export class ConnectionTestFailedError extends PermanentError {
  constructor(readonly result: Extract<ConnectionTestResult, { ok: false }>) {
    super(R.mailServerConnectionFailed, describeTestResult(result));
  }
}

/** An enabled server cannot be saved: this deployment has no connection tester. */
export class ConnectionTestUnavailableError extends PermanentError {
  constructor() {
    super(R.mailServerTestUnavailable, 'this deployment cannot test mail server connections yet; save the server disabled');
  }
}

/**
 * The candidate as it is stored: tested when enabled (with `password` when the save brings one),
 * stored disabled after a failed test when `policy` is 'save-inactive'.
 * @param policy what a failed test does; @default 'refuse'
 * @throws ConnectionTestFailedError (policy 'refuse'); ConnectionTestUnavailableError
 */
export async function testedForSave(
  deps: ConnectionTestDeps,
  candidate: MailServer,
  password: string | undefined,
  policy: ConnectionFailurePolicy = 'refuse',
): Promise<{ record: MailServer; test?: ConnectionTestResult }> {
  const at = deps.now().toISOString();
  if (!candidate.enabled) return { record: withHealth(candidate, healthAfterSave(false, undefined, at)) };
  const test = await runConnectionTest(deps, candidate, password);
  if (test.ok) return { record: withHealth(candidate, healthAfterSave(true, test, at)), test };
  if (policy === 'refuse') throw new ConnectionTestFailedError(test);
  return { record: withHealth({ ...candidate, enabled: false }, healthAfterSave(false, test, at)), test };
}

/**
 * One connection test of `server`; a new `password` logs in as given (basic auth), otherwise the
 * credential source decides. A credential failure is a failed test, not an error.
 * @throws ConnectionTestUnavailableError without a credential source or tester
 */
export async function runConnectionTest(deps: ConnectionTestDeps, server: MailServer, password: string | undefined): Promise<ConnectionTestResult> {
  const { credentials: source, tester } = deps;
  if (!source || !tester) throw new ConnectionTestUnavailableError();
  let credentials: MailCredentials;
  try {
    credentials = password !== undefined && server.authType === 'basic' ? { kind: 'password', user: server.user, password } : await source.credentialsFor(server);
  } catch (err) {
    if (err instanceof MailConnectionError) return { ok: false, reason: err.reason, message: err.message };
    throw err;
  }
  return tester.test(server, credentials, { ...(server.backfillDays !== undefined && { backfillDays: server.backfillDays }), now: deps.now() });
}

/** `server` with `health` written over it as the store writes it (an `undefined` field removed). */
export function withHealth(server: MailServer, health: MailServerHealth): MailServer {
  const merged: Record<string, unknown> = { ...server };
  for (const [k, v] of Object.entries(health as object)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  return merged as unknown as MailServer;
}
