/**
 * One S3 PutObject of a small body, signed by hand (the SDK's own SignatureV4) and sent on a
 * keep-alive node:http(s) agent, for the pollers' stores of small mail.
 *
 * Why not the S3 client: per PutObject its request pipeline (middleware stack, endpoint rules,
 * schema serde, user agent, the flexible-checksum CRC32 in JavaScript) cost about 1.2 ms of CPU
 * against 0.15 ms for this path, in a poll that otherwise spends 0.3 ms per message fetching it
 * (poll.bench.ts; fetch() measured 1 ms per PUT, hence node:http). Nothing else changes: the
 * endpoint is the one the client's own endpoint rules resolve (its endpoint override, path-style,
 * FIPS, dual-stack), the credentials and region are the client's, the object is encrypted by the
 * bucket's default encryption as with the SDK (which sends no encryption header either), and the
 * payload's SHA-256 is signed (S3 verifies it, the integrity the SDK's CRC32 gave). Where the
 * rules answer anything but plain SigV4 (S3 Express, multi-region access points) the SDK puts.
 */
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { TransientError } from '../../core/errors.ts';
import { sdkError } from './sdk-errors.ts';
import { callContextOf, encodeKey, refusalOf } from './signed-request.ts';

/** Bounds of the hand-signed PUT. */
export const S3_SIGNED_PUT_LIMITS = {
  /** Attempts of one PUT, as the SDK's standard retry strategy makes (a reused keep-alive socket may have been closed by S3). */
  maxAttempts: 3,
  /** First back-off before a retry, doubled per attempt with full jitter (the SDK's base delay). */
  baseBackoffMs: 100,
  /** Milliseconds without socket activity before a PUT is abandoned (as transient): a 1 MiB body moves in far less. */
  idleTimeoutMs: 30_000,
  /** Sockets per S3 host: the pollers keep at most 16 stores in flight each, a Lambda runs one poll. */
  maxSockets: 64,
} as const;

/** What one PUT stores. */
export interface SignedPutObject {
  readonly bucket: string;
  readonly key: string;
  readonly body: Buffer;
  readonly contentType: string;
  /** User metadata (sent as `x-amz-meta-<name>`; US-ASCII values). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The parts of the S3 client's resolved config this reads (public fields of every SDK v3 S3 client). */
interface S3Config {
  readonly credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
  readonly region: unknown;
  readonly isCustomEndpoint?: boolean;
  readonly endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number; path: string }>;
  readonly serviceConfiguredEndpoint?: () => Promise<string | undefined>;
  readonly forcePathStyle?: boolean;
  readonly useFipsEndpoint: () => Promise<boolean>;
  readonly useDualstackEndpoint: () => Promise<boolean>;
  readonly useAccelerateEndpoint?: boolean;
  readonly endpointProvider: (params: Record<string, unknown>) => { url: URL; properties?: { authSchemes?: { name?: string; signingRegion?: string }[] } };
}

/** Where a bucket's objects go and how they are signed; undefined: the SDK puts. */
type Target = { readonly url: URL; readonly signer: SignatureV4 } | undefined;

const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: S3_SIGNED_PUT_LIMITS.maxSockets }), 'https:': new https.Agent({ keepAlive: true, maxSockets: S3_SIGNED_PUT_LIMITS.maxSockets }) };
const perClient = new WeakMap<S3Client, S3SignedPut>();

/** The hand-signed PUT of `s3` (one per client, so per container, like the client). */
export function signedPutOf(s3: S3Client): S3SignedPut {
  let put = perClient.get(s3);
  if (!put) perClient.set(s3, (put = new S3SignedPut(s3)));
  return put;
}

/** PutObject of small bodies with `s3`'s endpoint, credentials and region; see the file comment. */
export class S3SignedPut {
  private readonly targets = new Map<string, Promise<Target>>();

  constructor(private readonly s3: S3Client) {}

  /**
   * Stores `object`, retrying transient failures up to {@link S3_SIGNED_PUT_LIMITS}.maxAttempts.
   * @throws TransientError `storage-unavailable`, DeploymentError `storage-misconfigured` or PermanentError `storage-rejected`, as sdkError classifies S3's answer
   */
  async put(object: SignedPutObject): Promise<void> {
    const target = await this.targetOf(object.bucket);
    for (let attempt = 1; ; attempt++) {
      try {
        return await (target ? this.send(target, object) : this.sdkPut(object));
      } catch (err) {
        const failure = sdkError(err, 'storage', `S3 PutObject of s3://${object.bucket}/${object.key}`);
        if (!(failure instanceof TransientError) || attempt >= S3_SIGNED_PUT_LIMITS.maxAttempts || !target) throw failure;
        await sleep(Math.random() * S3_SIGNED_PUT_LIMITS.baseBackoffMs * 2 ** (attempt - 1));
      }
    }
  }

  private async send(target: NonNullable<Target>, object: SignedPutObject): Promise<void> {
    const { url, signer } = target;
    const headers: Record<string, string> = {
      host: url.host,
      'content-type': object.contentType,
      'content-length': String(object.body.byteLength),
      'x-amz-content-sha256': createHash('sha256').update(object.body).digest('hex'),
    };
    for (const [name, value] of Object.entries(object.metadata ?? {})) headers[`x-amz-meta-${name.toLowerCase()}`] = value;
    const path = `${url.pathname.replace(/\/$/, '')}/${encodeKey(object.key)}`;
    const port = url.port ? Number(url.port) : undefined;
    const request = { method: 'PUT', protocol: url.protocol, hostname: url.hostname, ...(port !== undefined && { port }), path, query: {}, headers };
    const signed = (await signer.sign(request)) as unknown as { headers: Record<string, string> };
    const { status, text, headers: answered } = await exchange(url, path, signed.headers, object.body);
    if (status >= 200 && status < 300) return;
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answered)) if (typeof value === 'string') responseHeaders.set(name, value);
    throw await refusalOf(new Response(text, { status, headers: responseHeaders }), 'S3 PutObject', text);
  }

  private async sdkPut(object: SignedPutObject): Promise<void> {
    const { bucket: Bucket, key: Key, body: Body, contentType: ContentType, metadata } = object;
    await this.s3.send(new PutObjectCommand({ Bucket, Key, Body, ContentType, ...(metadata && { Metadata: { ...metadata } }) }));
  }

  /** The bucket's endpoint by the client's own endpoint rules, resolved once per bucket. */
  private targetOf(bucket: string): Promise<Target> {
    let target = this.targets.get(bucket);
    if (!target) {
      target = this.resolve(bucket);
      this.targets.set(bucket, target);
      target.catch(() => this.targets.delete(bucket)); // a failed resolution (credentials, region) is tried again next time
    }
    return target;
  }

  private async resolve(bucket: string): Promise<Target> {
    const config = this.s3.config as unknown as S3Config;
    const region = await callContextOf(this.s3).region();
    const override = config.isCustomEndpoint && config.endpoint ? urlOfEndpoint(await config.endpoint()) : await config.serviceConfiguredEndpoint?.();
    const resolved = config.endpointProvider({
      Bucket: bucket,
      Region: region,
      UseFIPS: await config.useFipsEndpoint(),
      UseDualStack: await config.useDualstackEndpoint(),
      ForcePathStyle: config.forcePathStyle ?? false,
      Accelerate: config.useAccelerateEndpoint ?? false,
      ...(override && { Endpoint: override }),
    });
    const scheme = resolved.properties?.authSchemes?.[0];
    if ((scheme && scheme.name !== 'sigv4') || !(resolved.url.protocol in agents)) return undefined;
    const signer = new SignatureV4({ service: 's3', region: scheme?.signingRegion ?? region, credentials: config.credentials, sha256: NodeSha256, uriEscapePath: false, applyChecksum: false });
    return { url: resolved.url, signer };
  }
}

/** SHA-256 and HMAC-SHA-256 in node:crypto for the signer (the pure-JavaScript one costs several times more per signature). */
class NodeSha256 {
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
    // The signer makes a new hash per digest and never reuses one.
  }
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytesOf(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

function urlOfEndpoint(e: { protocol: string; hostname: string; port?: number; path: string }): string {
  return `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ''}${e.path}`;
}

/** One HTTP exchange on the keep-alive agent: the status, the body as text, the headers. */
function exchange(url: URL, path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  const { host: _signedHost, ...sent } = headers; // node sets Host from hostname and port, the very value signed
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      { agent: agents[url.protocol as keyof typeof agents], method: 'PUT', hostname: url.hostname, port: url.port || undefined, path, headers: sent, timeout: S3_SIGNED_PUT_LIMITS.idleTimeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('S3 PutObject timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}
