/**
 * AWS Signature Version 4 in the Authorization header, for the pollers' hand-signed calls
 * (s3-signed-put.ts, sqs-signed-batch.ts): the same canonical request, string to sign and
 * signature as the SDK's SignatureV4 makes for them (a unit test compares the two), at a fraction
 * of its CPU. Why: SignatureV4 cost about 0.1 ms per call (it clones the request, hashes the
 * secret on every call to look up its signing-key cache, goes through async hash objects), a
 * third of what a poll spends fetching a message (poll.bench.ts); this costs one SHA-256 and one
 * HMAC per call, the day's signing key derived once.
 *
 * Narrow on purpose: headers only (no query signing or presigning; signed-request.ts keeps
 * SignatureV4 for those), header names already lower-case, the payload hash given by the caller.
 */
import { createHash, createHmac } from 'node:crypto';

/** Credentials as an SDK client's provider answers them. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** What one signature covers. */
export interface HeaderSignInput {
  readonly method: string;
  /** The request path as sent (S3: keys already percent-encoded). */
  readonly path: string;
  /** Lower-case names; `host` included. Signed as they are, plus x-amz-date (and x-amz-security-token). */
  readonly headers: Readonly<Record<string, string>>;
  /** Hex SHA-256 of the body (or UNSIGNED-PAYLOAD). */
  readonly payloadHash: string;
  readonly credentials: SigningCredentials;
  /** @default new Date() */
  readonly now?: Date;
}

/** Headers SigV4 never signs (the SDK's ALWAYS_UNSIGNABLE_HEADERS), should a caller pass one. */
const UNSIGNABLE = new Set(['authorization', 'cache-control', 'connection', 'expect', 'from', 'keep-alive', 'max-forwards', 'pragma', 'referer', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'x-amzn-trace-id']);

/** Signs requests to one service in one region; keeps the signing key of the current day and credentials. */
export class SigV4HeaderSigner {
  private key: { readonly id: string; readonly value: Buffer } | undefined;

  /**
   * @param service the signing name (`s3`, `sqs`)
   * @param region the signing region
   * @param options.uriEscapePath escape the path once more and normalize it, as SigV4 does for every service but S3. @default true
   */
  constructor(
    private readonly service: string,
    private readonly region: string,
    private readonly options: { readonly uriEscapePath?: boolean } = {},
  ) {}

  /** `input.headers` with x-amz-date, x-amz-security-token (with a session token) and authorization added. */
  sign(input: HeaderSignInput): Record<string, string> {
    const { credentials } = input;
    const longDate = amzDate(input.now ?? new Date());
    const shortDate = longDate.slice(0, 8);
    const headers: Record<string, string> = { ...input.headers, 'x-amz-date': longDate };
    if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
    const names = Object.keys(headers)
      .filter((n) => !UNSIGNABLE.has(n) && !n.startsWith('proxy-') && !n.startsWith('sec-'))
      .sort();
    let canonicalHeaders = '';
    for (const n of names) canonicalHeaders += `${n}:${canonicalValue(headers[n]!)}\n`;
    const signedHeaders = names.join(';');
    const path = this.options.uriEscapePath === false ? input.path : escapedPath(input.path);
    const canonicalRequest = `${input.method}\n${path}\n\n${canonicalHeaders}\n${signedHeaders}\n${input.payloadHash}`;
    const scope = `${shortDate}/${this.region}/${this.service}/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
    const signature = createHmac('sha256', this.signingKey(credentials, shortDate)).update(stringToSign).digest('hex');
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return headers;
  }

  /** kSigning = HMAC chain over date, region, service, aws4_request; derived once per day and key. */
  private signingKey(credentials: SigningCredentials, shortDate: string): Buffer {
    const id = `${shortDate}\n${credentials.accessKeyId}\n${credentials.secretAccessKey}`;
    if (this.key?.id !== id) {
      let key: Buffer | string = `AWS4${credentials.secretAccessKey}`;
      for (const part of [shortDate, this.region, this.service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
      this.key = { id, value: key as Buffer };
    }
    return this.key.value;
  }
}

/** ISO 8601 basic format, as X-Amz-Date wants it: 20261127T031500Z. */
function amzDate(now: Date): string {
  return now.toISOString().replace(/\.\d{3}/, '').replace(/[-:]/g, '');
}

/** A header value as SigV4 canonicalizes it: line breaks as spaces, runs of blanks as one, trimmed. */
function canonicalValue(value: string): string {
  return /[\r\n\t]| {2}|^ | $/.test(value) ? value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '') : value;
}

/** The path normalized (`.`, `..`, empty segments) and escaped once more, as SigV4 signs it for all but S3. */
function escapedPath(path: string): string {
  const segments: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segments.pop();
    else segments.push(s);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return encodeURIComponent(normalized)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/');
}
