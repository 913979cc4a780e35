/**
 * One S3 PutObject of a small body, signed by hand (sigv4-header-signer.ts, the SDK's signature) and sent on a
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
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { TransientError } from '../../core/errors.ts';
import { sdkError } from './sdk-errors.ts';
import { endpointOverride, exchange, isHttpUrl, refusalOfAnswer } from './signed-http.ts';
import { callContextOf, encodeKey } from './signed-request.ts';
import { SigV4HeaderSigner } from './sigv4-header-signer.ts';

/** Bounds of the hand-signed PUT. */
export const S3_SIGNED_PUT_LIMITS = {
  /** Attempts of one PUT, as the SDK's standard retry strategy makes (a reused keep-alive socket may have been closed by S3). */
  maxAttempts: 3,
  /** First back-off before a retry, doubled per attempt with full jitter (the SDK's base delay). */
  baseBackoffMs: 100,
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
type Target = { readonly url: URL; readonly signer: SigV4HeaderSigner; readonly credentials: S3Config['credentials'] } | undefined;

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
    const signed = signer.sign({ method: 'PUT', path, headers, payloadHash: headers['x-amz-content-sha256']!, credentials: await target.credentials() });
    const answer = await exchange(url, 'PUT', path, signed, object.body);
    if (answer.status < 200 || answer.status >= 300) throw await refusalOfAnswer(answer, 'S3 PutObject');
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
    const override = await endpointOverride(config);
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
    if ((scheme && scheme.name !== 'sigv4') || !isHttpUrl(resolved.url)) return undefined;
    // As S3's client signs: the path unescaped (keys are encoded once, by encodeKey), the payload's SHA-256 signed.
    const signer = new SigV4HeaderSigner('s3', scheme?.signingRegion ?? region, { uriEscapePath: false });
    return { url: resolved.url, signer, credentials: config.credentials };
  }
}
