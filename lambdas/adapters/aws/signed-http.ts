/**
 * The transport of the pollers' hand-signed AWS calls (s3-signed-put.ts, sqs-signed-batch.ts; their
 * signatures: sigv4-header-signer.ts): one HTTP exchange on a keep-alive node:http(s) agent, and
 * the endpoint an SDK client's own endpoint rules resolve. Why node:http: per 2 KB call on loopback
 * it cost 0.15 ms of CPU, fetch() 1 ms and the SDK's pipeline 1.2 ms (poll.bench.ts profiles).
 */
import http from 'node:http';
import https from 'node:https';
import { refusalOf, type SignedCallError } from './signed-request.ts';

/** Bounds of the keep-alive transport. */
export const SIGNED_HTTP_LIMITS = {
  /** Milliseconds without socket activity before a call is abandoned (as transient): a 1 MiB body moves in far less. */
  idleTimeoutMs: 30_000,
  /** Sockets per host: a poll keeps at most 64 S3 PUTs in flight (IMAP_POLL_LIMITS, POP3_POLL_LIMITS), a Lambda runs one poll. */
  maxSockets: 64,
} as const;

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: SIGNED_HTTP_LIMITS.maxSockets }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: SIGNED_HTTP_LIMITS.maxSockets }),
};

/** An answer as {@link exchange} gives it. */
export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** True for the protocols {@link exchange} speaks (http:, https:). */
export function isHttpUrl(url: URL): boolean {
  return url.protocol in agents;
}

/**
 * One request on the keep-alive agent of `url`'s protocol; `headers` as signed (their `host` is
 * dropped: node sends the very value, the URL's host). Socket failures reject with their code
 * (ECONNRESET, ETIMEDOUT after {@link SIGNED_HTTP_LIMITS}.idleTimeoutMs idle), as sdkError reads them.
 */
export function exchange(url: URL, method: string, path: string, headers: Record<string, string>, body: Buffer | string): Promise<HttpAnswer> {
  const { host: _signedHost, ...sent } = headers;
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      { agent: agents[url.protocol as keyof typeof agents], method, hostname: url.hostname, port: url.port || undefined, path, headers: sent, timeout: SIGNED_HTTP_LIMITS.idleTimeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`${method} ${url.host} timed out`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

/** A refused answer as the SDK shapes a service error (refusalOf in signed-request.ts reads its code). */
export function refusalOfAnswer(answer: HttpAnswer, doing: string): Promise<SignedCallError> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) if (typeof value === 'string') headers.set(name, value);
  return refusalOf(new Response(answer.text, { status: answer.status, headers }), doing, answer.text);
}

/** The endpoint override of an SDK client's resolved config: its `endpoint` option, else AWS_ENDPOINT_URL_<SERVICE> (as the SDK reads it); undefined for AWS's own. */
export async function endpointOverride(config: {
  readonly isCustomEndpoint?: boolean;
  readonly endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number; path: string }>;
  readonly serviceConfiguredEndpoint?: () => Promise<string | undefined>;
}): Promise<string | undefined> {
  if (config.isCustomEndpoint && config.endpoint) {
    const e = await config.endpoint();
    return `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ''}${e.path}`;
  }
  return config.serviceConfiguredEndpoint?.();
}
