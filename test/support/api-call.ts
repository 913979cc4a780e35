/**
 * One way for tests to call the HTTP API: in process (Hono's `app.request`) or over a socket to a
 * running server (the local runtime, `fetch`). A body is sent as JSON with its Content-Type, as
 * the CLI sends it; the answer's JSON body is read once (undefined when empty, as after a 204).
 */

/** An answer as tests read it: compared whole with `toEqual`, so it carries nothing else. */
export interface ApiAnswer<T = any> {
  readonly status: number;
  readonly body: T;
}

/** What answers in process: a Hono app. */
export interface InProcessApi {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

/** A call of one method and path, with an optional body: an object is sent as JSON, a string as it is. */
export type ApiCall = <T = any>(method: string, path: string, body?: unknown) => Promise<ApiAnswer<T>>;

/**
 * Calls to `target`, read at each call because suites create their app or runtime in `beforeAll`:
 * a base URL such as `runtime.apiUrl`, or an app. `authorization`, when given, is sent as the
 * `Authorization` header of every call (the local runtime's API wants a token: see runtimeCaller).
 */
export function apiCaller(target: () => string | InProcessApi, authorization?: () => string): ApiCall {
  return async (method, path, body) => {
    const headers: Record<string, string> = {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(authorization && { authorization: authorization() }),
    };
    const init: RequestInit = {
      method,
      headers,
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    };
    const to = target();
    const res = typeof to === 'string' ? await fetch(`${to}${path}`, init) : await to.request(path, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}
