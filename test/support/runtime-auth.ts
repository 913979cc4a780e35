/**
 * Tests of the local runtime call its API as the local CLI does: with a 5-minute admin token minted
 * from the runtime's issuer key (lambdas/local/sign-in/issuer-keys.ts), since the API takes no
 * request without a verified caller.
 */
import type { LocalRuntime } from '../../lambdas/local/runtime.ts';
import { mintCliToken } from '../../lambdas/local/sign-in/issuer-keys.ts';
import { ISSUER_KEY_ENV } from '../../lambdas/cli/local-auth.ts';
import { apiCaller, type ApiCall } from './api-call.ts';

/** `Bearer <admin token>` for `runtime`'s API, fresh at each call. */
export function runtimeAdminAuthorization(runtime: LocalRuntime): string {
  return `Bearer ${mintCliToken(runtime.issuer.keys, runtime.issuer.issuer())}`;
}

/** An {@link ApiCall} to `runtime()`'s API as admin (the runtime is read at each call: suites start it in beforeAll). */
export function runtimeCaller(runtime: () => LocalRuntime): ApiCall {
  return apiCaller(() => runtime().apiUrl, () => runtimeAdminAuthorization(runtime()));
}

/**
 * Lets `postroom --api <runtime>` child processes (runPostroom, which inherits this process's
 * environment) sign with `runtime`'s key, wherever their working directory is.
 */
export function shareRuntimeKey(runtime: LocalRuntime): void {
  process.env[ISSUER_KEY_ENV] = runtime.issuer.keys.keyFile;
}

/** The environment entry that lets an in-process `runCli(['--api', runtime.apiUrl, ...])` sign with `runtime`'s key. */
export function runtimeKeyEnv(runtime: LocalRuntime): Record<string, string> {
  return { [ISSUER_KEY_ENV]: runtime.issuer.keys.keyFile };
}
