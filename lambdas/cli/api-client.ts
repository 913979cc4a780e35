/**
 * A small client of the Postroom HTTP API for the CLI: reads (GET) and writes (POST, PUT, PATCH,
 * DELETE) with JSON bodies, JSON answers, and API errors turned into {@link ApiError} so commands
 * print their code, their reason's text (messages.en.ts), the message and the field messages.
 */
import { ApiError, CliError } from './errors.ts';

/** A request other than GET: its method and JSON body (sent as `application/json`). */
export interface HttpWrite {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly body?: string;
}

/** Sends one request (GET without `write`); plain `fetch` locally, a SigV4-signing sender for a deployed stack. */
export type HttpSend = (url: URL, write?: HttpWrite) => Promise<Response>;

/** A stuck API must not hang a terminal; the Lambda's own timeout is well below this. */
export const API_TIMEOUT_MS = 30_000;

/** An unsigned request (the local API) with the CLI's timeout. */
export const plainSend: HttpSend = (url, write) =>
  fetch(url, {
    signal: AbortSignal.timeout(API_TIMEOUT_MS),
    ...(write && { method: write.method, ...(write.body !== undefined && { body: write.body, headers: { 'content-type': 'application/json' } }) }),
  });

/**
 * The API at `baseUrl` (which may carry a path prefix such as an API Gateway stage).
 * `origin` says where the URL came from, so "cannot reach" errors tell the user what to change.
 */
export class ApiClient {
  private readonly base: URL;

  constructor(
    baseUrl: string,
    private readonly send: HttpSend = plainSend,
    private readonly origin = '',
  ) {
    this.base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  }

  /**
   * GETs `path` (relative to the base) with `query` and returns the parsed JSON body.
   * @throws ApiError for an error answer, CliError when the API cannot be reached
   */
  async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const url = new URL(path.replace(/^\/+/, ''), this.base);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
    return (await this.call<T>(url)) as T;
  }

  /**
   * Sends `method` to `path` with `body` as JSON; resolves `undefined` for 204 No Content (e.g. no
   * interaction to offer), else the parsed JSON body.
   * @throws ApiError for an error answer, CliError when the API cannot be reached
   */
  async write<T>(method: HttpWrite['method'], path: string, body?: unknown): Promise<T | undefined> {
    const url = new URL(path.replace(/^\/+/, ''), this.base);
    return this.call<T>(url, { method, ...(body !== undefined && { body: JSON.stringify(body) }) });
  }

  /**
   * GETs a link the API answered (an attachment's or a raw message's `url`): with this client's
   * credentials when it is on the API's own origin (the local runtime streams), else as it is (a
   * presigned S3 URL carries its own signature, and must not get the API's).
   */
  async fetchLink(link: string, timeoutMs: number = API_TIMEOUT_MS): Promise<Response> {
    const url = new URL(link);
    if (url.origin === this.base.origin && this.send !== plainSend) return this.send(url);
    return fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  }

  private async call<T>(url: URL, write?: HttpWrite): Promise<T | undefined> {
    let res: Response;
    try {
      res = await this.send(url, write);
    } catch (err) {
      // A send that knows what is wrong (local-auth.ts: no sign-in key) has said it already.
      if (err instanceof CliError) throw err;
      throw new CliError(`cannot reach the Postroom API at ${this.base.origin}${this.origin}: ${reason(err)}`, { cause: err });
    }
    const text = await res.text();
    const body = parseJson(text);
    if (res.status === 204 && write) return undefined;
    if (res.ok) {
      if (body === undefined) throw new CliError(`the API at ${this.base.origin} answered ${res.status} without JSON`);
      return body as T;
    }
    throw toApiError(res, body);
  }
}

function toApiError(res: Response, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; reason?: unknown; message?: unknown; fields?: unknown; issues?: unknown } } | undefined)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const fields = typeof error.fields === 'object' && error.fields !== null ? (error.fields as Record<string, string>) : undefined;
    const reason = typeof error.reason === 'string' ? error.reason : undefined;
    return new ApiError(res.status, error.code, error.message, fields, reason, fieldReasons(error.issues));
  }
  // API Gateway answers its own errors (403 for a bad signature) as `{ "message": "..." }`.
  const message = (body as { message?: unknown } | undefined)?.message;
  return new ApiError(res.status, `http-${res.status}`, typeof message === 'string' ? message : res.statusText || 'request failed');
}

/** The reasons of an error's `issues`, by field path; issues without one are left out. */
function fieldReasons(issues: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(issues)) return out;
  for (const issue of issues as { path?: unknown; reason?: unknown }[]) {
    if (typeof issue?.path === 'string' && typeof issue.reason === 'string') out[issue.path] = issue.reason;
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function reason(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${API_TIMEOUT_MS / 1000} s`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
