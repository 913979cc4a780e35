/**
 * Which API the CLI talks to, without a stack: `--api`, then `POSTROOM_API`, then the `apiUrl` the
 * local runtime recorded in `.postroom/runtime.json`, then the local default.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './errors.ts';

/** Where `postroom dev` listens when nothing else is said (the local runtime's default). */
export const DEFAULT_API_URL = 'http://127.0.0.1:8787';
/** Environment variable naming the API, for shells that always talk to one deployment. */
export const API_URL_ENV = 'POSTROOM_API';
/** Relative to the current directory: the record of the running local runtime. */
export const RUNTIME_FILE = join('.postroom', 'runtime.json');

/** Where the URL came from, named in errors so the user knows what to change. */
export type ApiUrlSource = '--api' | typeof API_URL_ENV | typeof RUNTIME_FILE | 'default';

/** The base URL without a trailing slash, and its source. */
export interface ResolvedApiUrl {
  readonly url: string;
  readonly source: ApiUrlSource;
}

/**
 * Resolves the API base URL by the precedence in the module comment. Why the runtime file: a
 * `postroom dev` started on another port is found without flags from the same directory.
 * @throws CliError when the chosen value is not an http(s) URL or the runtime file is unreadable
 */
export function resolveApiUrl(input: { flag?: string; env: NodeJS.ProcessEnv; cwd: string }): ResolvedApiUrl {
  if (input.flag !== undefined) return { url: checkUrl(input.flag, '--api'), source: '--api' };
  const fromEnv = input.env[API_URL_ENV]?.trim();
  if (fromEnv) return { url: checkUrl(fromEnv, API_URL_ENV), source: API_URL_ENV };
  const recorded = readRuntimeFile(input.cwd)?.apiUrl;
  if (recorded !== undefined) return { url: checkUrl(recorded, RUNTIME_FILE), source: RUNTIME_FILE };
  return { url: DEFAULT_API_URL, source: 'default' };
}

/** What lambdas/local/runtime.ts writes to `.postroom/runtime.json` while it runs. */
export interface RuntimeRecord {
  readonly apiUrl?: string;
  readonly smtp?: { readonly host: string; readonly port: number };
  /** aws-ses-v2-local, where the local SES path's sent mail is captured (lambdas/local/ses-outbound.ts). */
  readonly sesOutboundUrl?: string;
  /** The local sign-in: its token issuer and the private key the CLI mints its admin tokens with (local-auth.ts). */
  readonly issuer?: { readonly url: string; readonly keyFile: string };
  readonly pid?: number;
}

/** The record `postroom dev` (lambdas/local/runtime.ts) keeps in `cwd`, or undefined when there is none. */
export function readRuntimeFile(cwd: string): RuntimeRecord | undefined {
  const path = join(cwd, RUNTIME_FILE);
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CliError(`${RUNTIME_FILE} is not valid JSON (${(err as Error).message}); delete it or pass --api`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new CliError(`${RUNTIME_FILE} does not hold an object`);
  const apiUrl = (parsed as { apiUrl?: unknown }).apiUrl;
  if (apiUrl !== undefined && typeof apiUrl !== 'string') throw new CliError(`${RUNTIME_FILE}: apiUrl must be a string`);
  return parsed as RuntimeRecord;
}

function checkUrl(value: string, from: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${from}: "${value}" is not a URL (expected e.g. ${DEFAULT_API_URL})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`${from}: "${value}" must be an http:// or https:// URL`);
  }
  return url.toString().replace(/\/+$/, '');
}
