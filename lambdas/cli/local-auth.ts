/**
 * How the CLI proves itself to the local runtime (issue 12 item 1): it mints a 5-minute admin token
 * (`username cli`, group admin, client `postroom-cli`) with the local issuer's private key, which
 * only the user who runs `postroom dev` can read. Reading the key file is to the local runtime what
 * IAM credentials are to a deployed stack (those requests are signed with SigV4 instead, stack.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_AUTH_PATHS } from '../../contract/console.ts';
import { ERROR_REASONS } from '../core/error-reasons.ts';
import { API_TIMEOUT_MS, plainSend, type HttpSend } from './api-client.ts';
import { CliError } from './errors.ts';
import { CLI_TEXT_EN } from './messages.en.ts';
import { DEFAULT_API_URL, readRuntimeFile, RUNTIME_FILE, type ResolvedApiUrl } from './target.ts';

/**
 * The key file to sign with when the API is not the runtime recorded in this directory's
 * `.postroom/runtime.json` (a runtime started elsewhere, tests); the issuer is then `<api>/auth`.
 */
export const ISSUER_KEY_ENV = 'POSTROOM_ISSUER_KEY';
/** Where `postroom dev` keeps the key with its default data folder, relative to its directory. */
export const DEFAULT_KEY_FILE = join('.postroom', 'data', 'issuer', 'private-key.pem');

/** What the lookup reads of the CLI's process: its environment and directory. */
export interface LocalIo {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** The issuer URL and key file for `target`, or undefined when the CLI has no local key for it. */
export function localIssuerFor(target: ResolvedApiUrl, io: LocalIo): { issuer: string; keyFile: string } | undefined {
  const record = readRuntimeFile(io.cwd);
  if (record?.issuer && record.apiUrl !== undefined && sameServer(record.apiUrl, target.url)) return { issuer: record.issuer.url, keyFile: record.issuer.keyFile };
  const fromEnv = io.env[ISSUER_KEY_ENV]?.trim();
  if (fromEnv) return { issuer: `${new URL(target.url).origin}${LOCAL_AUTH_PATHS.issuer}`, keyFile: fromEnv };
  const byDefault = join(io.cwd, DEFAULT_KEY_FILE);
  if (target.source === 'default' && existsSync(byDefault)) return { issuer: `${DEFAULT_API_URL}${LOCAL_AUTH_PATHS.issuer}`, keyFile: byDefault };
  return undefined;
}

/**
 * An {@link HttpSend} with `Authorization: Bearer <a fresh admin token>` on each request, or
 * undefined when `target` is not on this machine and there is no local key for it (the request
 * goes unsigned, and the API says 401 if it wants a token). A loopback target without a key fails
 * before the request when it is the default or runtime.json's (surely the runtime, which wants a
 * token); for one named by `--api` or POSTROOM_API (a test's server may want none) requests go
 * unsigned and a 401 for the missing token becomes the same fix.
 * @throws CliError when the key file is named but cannot be read (another user's runtime), or no key is found for a default or recorded local API
 */
export async function localAdminSend(target: ResolvedApiUrl, io: LocalIo): Promise<HttpSend | undefined> {
  const local = localIssuerFor(target, io);
  if (!local && !isLoopback(target.url)) return undefined;
  if (!local && (target.source === 'default' || target.source === RUNTIME_FILE)) throw new CliError(CLI_TEXT_EN.noLocalKey(target.url));
  if (!local) return missingKeySaid(target.url);
  // Loaded only here: node:crypto signing is all it needs, but other targets need none of it.
  const { mintCliToken, readIssuerKeys } = await import('../local/sign-in/issuer-keys.ts');
  let keys;
  try {
    keys = await readIssuerKeys(local.keyFile);
  } catch (err) {
    throw new CliError(`cannot read the local sign-in key ${local.keyFile} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); run the CLI as the user who started postroom dev`, { cause: err });
  }
  return (url, write) =>
    fetch(url, {
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
      ...(write && { method: write.method, ...(write.body !== undefined && { body: write.body }) }),
      headers: { authorization: `Bearer ${mintCliToken(keys, local.issuer)}`, ...(write?.body !== undefined && { 'content-type': 'application/json' }) },
    });
}

/** Unsigned requests whose 401 for a missing token says which key is missing and how to fix it. */
function missingKeySaid(apiUrl: string): HttpSend {
  return async (url, write) => {
    const res = await plainSend(url, write);
    if (res.status !== 401) return res;
    const reason = ((await res.clone().json().catch(() => undefined)) as { error?: { reason?: unknown } } | undefined)?.error?.reason;
    if (reason === ERROR_REASONS.authTokenMissing) throw new CliError(CLI_TEXT_EN.noLocalKey(apiUrl));
    return res;
  };
}

/** Whether `value` names this machine (`127.0.0.0/8`, `localhost`, `[::1]`): only there a local runtime listens. */
function isLoopback(value: string): boolean {
  const host = new URL(value).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Whether two URLs reach the same local server (`localhost` and `127.0.0.1` alike). */
function sameServer(a: string, b: string): boolean {
  const origin = (value: string) => {
    try {
      const url = new URL(value);
      if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
      return url.origin;
    } catch {
      return undefined;
    }
  };
  return origin(a) !== undefined && origin(a) === origin(b);
}
