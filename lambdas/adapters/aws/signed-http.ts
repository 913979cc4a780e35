/**
 * The transport of the pollers' hand-signed AWS calls (s3-signed-put.ts, sqs-signed-batch.ts): one
 * HTTP exchange on a keep-alive node:http(s) agent, a node:crypto hash for SignatureV4, and the
 * endpoint an SDK client's own endpoint rules resolve. Why node:http: per 2 KB call on loopback it
 * cost 0.15 ms of CPU, fetch() 1 ms and the SDK's pipeline 1.2 ms (poll.bench.ts profiles).
 */
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { refusalOf, type SignedCallError } from './signed-request.ts';

/** Bounds of the keep-alive transport. */
export const SIGNED_HTTP_LIMITS = {
  /** Milliseconds without socket activity before a call is abandoned (as transient): a 1 MiB body moves in far less. */
  idleTimeoutMs: 30_000,
  /** Sockets per host: the pollers keep at most 16 stores in flight each, a Lambda runs one poll. */
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

type SourceData = string | ArrayBuffer | ArrayBufferView;

/** SHA-256 and HMAC-SHA-256 in node:crypto for SignatureV4 (the pure-JavaScript one costs several times more per signature). */
export class NodeSha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    // SignatureV4 makes a new hash per digest and never reuses one.
  }
}

function bytesOf(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}
