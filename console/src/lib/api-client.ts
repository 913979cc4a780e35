/**
 * The one way the console calls the Postroom API: `Authorization: Bearer` on every call, JSON in
 * and out, and failures as {@link ApiError} carrying the API's stable `code` and `reason` (mapped to
 * `errors.<reason>` texts by i18n) and per-field messages (`fields`) a form shows at its fields.
 * A 401 drops the session and signs in again (the configured `onUnauthenticated`).
 */

/** A failed API call, as the API reports it: `{ error: { code, reason, message, fields? } }`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly reason: string,
    message: string,
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** How the client finds its base URL and token and what it does on a 401; set once at start. */
export interface ApiClientOptions {
  readonly baseUrl: string;
  readonly token: () => Promise<string | undefined>;
  readonly onUnauthenticated: () => void;
}

/** What one call sends. */
export interface RequestOptions {
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly signal?: AbortSignal;
}

let options: ApiClientOptions | undefined;

/** Sets the base URL, token source and 401 handler (app start; tests set their own). */
export function configureApi(next: ApiClientOptions): void {
  options = next;
}

/** The API's base URL (for links the browser opens itself). */
export function apiBaseUrl(): string {
  return requireOptions().baseUrl;
}

/** Sends one request and returns the JSON answer (undefined for 204). Throws {@link ApiError}. */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(method, path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Sends one request and returns the raw response when it is OK (downloads). Throws {@link ApiError}. */
export async function send(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  const { baseUrl, token, onUnauthenticated } = requireOptions();
  const url = new URL(baseUrl + path);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { accept: 'application/json' };
  const bearer = await token();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    // Under the page's policy no-referrer a POST would say `Origin: null` (see build.mjs).
    referrerPolicy: 'same-origin',
    ...(opts.body !== undefined && { body: JSON.stringify(opts.body) }),
    ...(opts.signal && { signal: opts.signal }),
  });
  if (res.ok) return res;
  const error = await toApiError(res);
  if (res.status === 401) onUnauthenticated();
  throw error;
}

/** The API's calls by verb. */
export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  delete: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};

async function toApiError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; reason?: string; message?: string; fields?: Record<string, string> } };
    const e = body.error ?? {};
    return new ApiError(res.status, e.code ?? 'http', e.reason ?? `http.${res.status}`, e.message ?? res.statusText, e.fields ?? {});
  } catch {
    return new ApiError(res.status, 'http', `http.${res.status}`, res.statusText);
  }
}

function requireOptions(): ApiClientOptions {
  if (!options) throw new Error('configureApi() was not called');
  return options;
}
