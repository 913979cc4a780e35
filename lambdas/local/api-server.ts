/**
 * Serves the HTTP API's app (the same Hono app the API Lambda serves) on 127.0.0.1, with the local
 * sign-in and the console on the same origin (runtime.ts).
 *
 * The local API must answer only the CLI, tools on this machine and its own console, never another
 * web page the user happens to visit. The app's own rules (request-rules.ts) already refuse
 * non-JSON bodies (415), large bodies (413, without buffering them) and send no CORS headers; on
 * top of that this server refuses (403 `forbidden-origin`) a request that carries an `Origin` other
 * than its own (a page's `fetch`, even a body-less `no-cors` POST, always says where it comes from)
 * or a `Host` that is not a loopback name (DNS rebinding: a page's own name resolved to 127.0.0.1).
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { API_ERROR_CODES } from '../core/error-codes.ts';
import { ERROR_REASONS } from '../core/error-reasons.ts';
import { errorBody } from '../adapters/api/errors.ts';

/** A running local API: its base URL, and `stop` to close it with its open connections. */
export interface ApiServer {
  readonly url: string;
  /** The origins a browser may use for it (`http://<loopback name>:<port>`): where the console may be opened. */
  readonly origins: ReadonlySet<string>;
  stop(): Promise<void>;
}

/** What the server serves: the API app, or the runtime's site around it (sign-in, console). */
export interface FetchHandler {
  fetch(req: Request, env?: unknown): Response | Promise<Response>;
}

/** Host names a local client reaches this server by. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Starts the API on `hostname:port` (port 0: any free port).
 * @default hostname 127.0.0.1
 */
export async function startApiServer(app: FetchHandler, port: number, hostname = '127.0.0.1'): Promise<ApiServer> {
  let hosts: ReadonlySet<string> = new Set();
  const fetch = (req: Request, env?: unknown): Response | Promise<Response> => refusal(req, hosts) ?? app.fetch(req, env);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch, port, hostname }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  hosts = new Set([hostname, ...LOOPBACK_NAMES].map((name) => `${name}:${address.port}`));
  return {
    url: `http://${hostname}:${address.port}`,
    origins: new Set([...hosts].map((host) => `http://${host}`)),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** The 403 for a request from a web page or through a foreign host name; undefined when it may pass. */
function refusal(req: Request, hosts: ReadonlySet<string>): Response | undefined {
  const host = req.headers.get('host') ?? '';
  const origin = req.headers.get('origin');
  const foreignHost = !hosts.has(host.toLowerCase());
  const foreignOrigin = origin !== null && !(hosts.has(origin.replace(/^http:\/\//, '').toLowerCase()) && origin.startsWith('http://'));
  if (!foreignHost && !foreignOrigin) return undefined;
  const message = foreignHost ? `the local API answers only on ${[...hosts].join(', ')}` : 'the local API does not answer web pages of other origins';
  return Response.json(errorBody(API_ERROR_CODES.forbiddenOrigin, ERROR_REASONS.requestForbiddenOrigin, message), { status: 403, headers: { connection: 'close' } });
}
