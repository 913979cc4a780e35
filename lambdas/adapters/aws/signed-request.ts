/**
 * SigV4-signed HTTP calls with the SDK's own signer, for the few S3 and SQS operations the API
 * Lambda makes (read a stored object, presign a download, send one queue message).
 *
 * Why not the SDK's S3 and SQS clients: together with the presigner they add about 320 KiB to the
 * agent-facing API bundle (S3's XML, checksum and endpoint-rule stacks), whose size the cold start
 * of every console call pays; the budget is 450 KiB. The DynamoDB client the API carries anyway
 * provides credentials and region, and `SignatureV4` is the very signer those clients use, with
 * the same options S3's presigner passes (unescaped path, unsigned payload).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** Credentials and region, as an SDK client's resolved config provides them. */
export interface AwsCallContext {
  readonly credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
  readonly region: () => Promise<string>;
}

/** An HTTP request before signing: what SignatureV4 reads. */
interface UnsignedRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

/** The SDK's clients as an {@link AwsCallContext}: their config holds exactly these providers. */
export function callContextOf(client: { config: { credentials: unknown; region: unknown } }): AwsCallContext {
  const config = client.config as { credentials: AwsCallContext['credentials']; region: string | (() => Promise<string>) };
  return {
    credentials: () => config.credentials(),
    region: async () => (typeof config.region === 'function' ? config.region() : config.region),
  };
}

/** `key` as an S3 URL path: each segment percent-encoded as S3 expects, slashes kept. */
export function encodeKey(key: string): string {
  return key
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/**
 * Reads S3 objects and presigns GETs. Addressing: path-style on `endpoint` when one is set (the
 * local runtime's `AWS_ENDPOINT_URL_S3`), else the regional virtual-hosted endpoint.
 * @param ctx credentials and region
 * @param endpoint an S3 endpoint override, e.g. `http://127.0.0.1:4566`; @default AWS's regional endpoint
 */
export class SignedS3 {
  constructor(
    private readonly ctx: AwsCallContext,
    private readonly endpoint?: string,
  ) {}

  /** A presigned GET URL for `bucket/key`, valid `expiresIn` seconds, with `query` signed into it. */
  async presignGet(bucket: string, key: string, query: Record<string, string>, expiresIn: number, now = new Date()): Promise<string> {
    const request = await this.request(bucket, key, query);
    // As S3's presigner names it: hoisted into the query as X-Amz-Content-Sha256.
    delete request.headers['x-amz-content-sha256'];
    request.headers['X-Amz-Content-Sha256'] = 'UNSIGNED-PAYLOAD';
    const signed = await (await this.signer()).presign(request as never, { expiresIn, signingDate: now, unsignableHeaders: new Set(['content-type']) });
    return urlOf(signed as unknown as UnsignedRequest);
  }

  /**
   * A presigned PUT URL for `bucket/key`, valid `expiresIn` seconds, with `headers` (content-type,
   * content-length, content-disposition) signed into it: the uploader must send exactly those, so
   * S3 refuses a different size or type than the one declared.
   */
  async presignPut(bucket: string, key: string, headers: Record<string, string>, expiresIn: number, now = new Date()): Promise<string> {
    const request = await this.request(bucket, key, {});
    request.method = 'PUT';
    delete request.headers['x-amz-content-sha256'];
    request.headers['X-Amz-Content-Sha256'] = 'UNSIGNED-PAYLOAD';
    Object.assign(request.headers, headers);
    const signed = await (await this.signer()).presign(request as never, { expiresIn, signingDate: now });
    return urlOf(signed as unknown as UnsignedRequest);
  }

  /** HEAD `bucket/key`; the response as fetch gives it (404 when missing). */
  async head(bucket: string, key: string): Promise<Response> {
    const request = await this.request(bucket, key, {});
    request.method = 'HEAD';
    const signed = (await (await this.signer()).sign(request as never)) as unknown as UnsignedRequest;
    return fetch(urlOf(signed), { method: 'HEAD', headers: withoutHost(signed.headers) });
  }

  /** PUT `body` at `bucket/key` with `contentType`; the response as fetch gives it. */
  async put(bucket: string, key: string, body: string, contentType: string): Promise<Response> {
    const request = await this.request(bucket, key, {});
    request.method = 'PUT';
    request.headers['content-type'] = contentType;
    request.headers['content-length'] = String(Buffer.byteLength(body));
    const signed = (await (await this.signer()).sign(request as never)) as unknown as UnsignedRequest;
    return fetch(urlOf(signed), { method: 'PUT', headers: withoutHost(signed.headers), body });
  }

  /** GET `bucket/key`, optionally a byte range (`bytes=0-99`); the response as fetch gives it. */
  async get(bucket: string, key: string, range?: string): Promise<Response> {
    const request = await this.request(bucket, key, {});
    if (range) request.headers.range = range;
    const signed = (await (await this.signer()).sign(request as never)) as unknown as UnsignedRequest;
    return fetch(urlOf(signed), { headers: withoutHost(signed.headers) });
  }

  private async request(bucket: string, key: string, query: Record<string, string>): Promise<UnsignedRequest> {
    const base = this.endpoint ? new URL(this.endpoint) : new URL(`https://${bucket}.s3.${await this.ctx.region()}.amazonaws.com`);
    const prefix = this.endpoint ? `${base.pathname.replace(/\/$/, '')}/${bucket}` : '';
    const port = base.port ? Number(base.port) : undefined;
    return {
      method: 'GET',
      protocol: base.protocol,
      hostname: base.hostname,
      ...(port !== undefined && { port }),
      path: `${prefix}/${encodeKey(key)}`,
      query: { ...query },
      headers: { host: base.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    };
  }

  private signing?: Promise<SignatureV4>;

  /** One signer per instance (per container); it asks `ctx.credentials` on every signature. */
  private signer(): Promise<SignatureV4> {
    this.signing ??= this.ctx.region().then(
      (region) => new SignatureV4({ service: 's3', region, credentials: this.ctx.credentials, sha256: Sha256, uriEscapePath: false, applyChecksum: false }),
    );
    return this.signing;
  }
}

/**
 * Sends SQS actions in the JSON protocol (`AmazonSQS.<Action>`). Addressing: `endpoint` when one is
 * set (the local runtime's `AWS_ENDPOINT_URL_SQS`: a local stand-in's queue URLs need not carry a
 * reachable host), else the queue URL's own host, which is the service endpoint.
 * @param ctx credentials and region
 * @param endpoint an SQS endpoint override; @default the queue URL's host
 */
export class SignedSqs {
  constructor(
    private readonly ctx: AwsCallContext,
    private readonly endpoint?: string,
  ) {}

  private signing?: Promise<SignatureV4>;

  /** One signer per instance (per container); it asks `ctx.credentials` on every signature. */
  private signer(): Promise<SignatureV4> {
    this.signing ??= this.ctx.region().then((region) => new SignatureV4({ service: 'sqs', region, credentials: this.ctx.credentials, sha256: Sha256 }));
    return this.signing;
  }

  /** Sends `action` with `input` to the queue's endpoint; the parsed JSON answer, or throws with its status. */
  async call(queueUrl: string, action: string, input: Record<string, unknown>): Promise<unknown> {
    const url = new URL(this.endpoint ?? queueUrl);
    const body = JSON.stringify({ QueueUrl: queueUrl, ...input });
    const port = url.port ? Number(url.port) : undefined;
    const request: UnsignedRequest = {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(port !== undefined && { port }),
      path: '/',
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${action}`,
      },
      body,
    };
    const signed = (await (await this.signer()).sign(request as never)) as unknown as UnsignedRequest;
    const res = await fetch(urlOf(signed), { method: 'POST', headers: withoutHost(signed.headers), body });
    const text = await res.text();
    if (!res.ok) throw await refusalOf(res, `SQS ${action}`, text);
    return text ? JSON.parse(text) : {};
  }
}

/**
 * A signed call the service refused, shaped as the SDK shapes a service error so that the one
 * classifier (sdk-errors.ts) reads both alike: `name` is the service's error code (`AccessDenied`,
 * `QueueDoesNotExist`; `SignedCallError` when the answer names none) and `$metadata` the status.
 */
export class SignedCallError extends Error {
  readonly $metadata: { readonly httpStatusCode: number };
  constructor(status: number, message: string, errorCode?: string) {
    super(message);
    this.name = errorCode ?? 'SignedCallError';
    this.$metadata = { httpStatusCode: status };
  }
}

/**
 * The refusal in `res` as a {@link SignedCallError}. The error code is found where the SDK's
 * deserializers find it: the `x-amzn-errortype` header or `__type` of a JSON answer (SQS;
 * `com.amazonaws.sqs#QueueDoesNotExist`), `<Code>` of an XML one (S3).
 * @param doing the call, for the message: `SQS SendMessage`, `S3 GetObject`
 * @param body the body when already read; @default read here (a body cut off reads as empty)
 */
export async function refusalOf(res: Response, doing: string, body?: string): Promise<SignedCallError> {
  const text = body ?? (await res.text().catch(() => ''));
  const code = res.headers.get('x-amzn-errortype') ?? jsonErrorType(text) ?? /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1];
  const name = code?.split(':')[0]?.split('#').pop()?.trim();
  return new SignedCallError(res.status, `${doing} answered ${res.status}: ${text.slice(0, 300)}`, name || undefined);
}

function jsonErrorType(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { __type?: unknown; code?: unknown };
    const type = body.__type ?? body.code;
    return typeof type === 'string' ? type : undefined;
  } catch {
    // Not JSON (S3 answers XML, a proxy HTML): the caller looks for an XML code instead.
    return undefined;
  }
}

/** fetch sets `host` itself, to the value that was signed (the URL's host). */
function withoutHost(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'host'));
}

function urlOf(r: UnsignedRequest): string {
  const query = Object.entries(r.query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const port = r.port !== undefined ? `:${r.port}` : '';
  return `${r.protocol}//${r.hostname}${port}${r.path}${query ? `?${query}` : ''}`;
}
