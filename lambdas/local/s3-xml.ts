/**
 * The XML documents the local S3 stand-in answers with, shaped as S3's REST API returns them
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/), and the one request document it reads
 * (CompleteMultipartUpload).
 */
import type { StoredObject } from './s3-file-store.ts';
import type { ListPage } from './s3-object-listing.ts';
import type { CompletedPartRef } from './s3-multipart-store.ts';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Escapes text for an XML element; control characters as character references. */
export function xmlText(value: string): string {
  return value.replace(/[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      default:
        return `&#x${c.charCodeAt(0).toString(16)};`;
    }
  });
}

function unescapeXml(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|apos|#x[0-9a-f]+|#[0-9]+);/gi, (_m, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()]!;
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${xmlText(String(value))}</${name}>`;
}

/** S3's error document. */
export function errorXml(code: string, message: string, resource: string, requestId: string): string {
  return `${DECLARATION}<Error>${el('Code', code)}${el('Message', message)}${el('Resource', resource)}${el('RequestId', requestId)}</Error>`;
}

/** ListObjectsV2 (`v2`) or ListObjects (`v1`) result; `encode` url-encodes keys (`encoding-type=url`). */
export function listXml(p: {
  bucket: string;
  page: ListPage;
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  encode: boolean;
  v2: { continuationToken?: string; startAfter?: string } | undefined;
  marker?: string;
}): string {
  const enc = (s: string) => (p.encode ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const contents = p.page.objects
    .map(
      (o) =>
        `<Contents>${el('Key', enc(o.key))}${el('LastModified', o.lastModified.toISOString())}${el('ETag', o.etag)}` +
        `${el('Size', o.size)}${el('StorageClass', 'STANDARD')}</Contents>`,
    )
    .join('');
  const prefixes = p.page.commonPrefixes.map((c) => `<CommonPrefixes>${el('Prefix', enc(c))}</CommonPrefixes>`).join('');
  const paging = p.v2
    ? el('KeyCount', p.page.objects.length + p.page.commonPrefixes.length) +
      el('ContinuationToken', p.v2.continuationToken) +
      el('NextContinuationToken', p.page.nextToken) +
      el('StartAfter', p.v2.startAfter === undefined ? undefined : enc(p.v2.startAfter))
    : el('Marker', enc(p.marker ?? '')) +
      el('NextMarker', p.page.truncated && p.delimiter ? enc(lastListed(p.page) ?? '') : undefined);
  return (
    `${DECLARATION}<ListBucketResult xmlns="${NS}">${el('Name', p.bucket)}${el('Prefix', enc(p.prefix))}` +
    `${el('Delimiter', p.delimiter === undefined ? undefined : enc(p.delimiter))}${el('MaxKeys', p.maxKeys)}` +
    `${p.encode ? el('EncodingType', 'url') : ''}${el('IsTruncated', p.page.truncated)}${paging}${contents}${prefixes}</ListBucketResult>`
  );
}

function lastListed(page: ListPage): string | undefined {
  const lastKey = page.objects.at(-1)?.key;
  const lastPrefix = page.commonPrefixes.at(-1);
  if (lastKey === undefined) return lastPrefix;
  if (lastPrefix === undefined) return lastKey;
  return lastKey > lastPrefix ? lastKey : lastPrefix;
}

/** ListBuckets result; the owner is the fixed local account. */
export function listBucketsXml(buckets: readonly { name: string; created: Date }[]): string {
  const items = buckets.map((b) => `<Bucket>${el('Name', b.name)}${el('CreationDate', b.created.toISOString())}</Bucket>`).join('');
  return `${DECLARATION}<ListAllMyBucketsResult xmlns="${NS}"><Owner>${el('ID', 'local')}${el('DisplayName', 'local')}</Owner><Buckets>${items}</Buckets></ListAllMyBucketsResult>`;
}

/** CreateMultipartUpload result. */
export function initiateMultipartXml(bucket: string, key: string, uploadId: string): string {
  return `${DECLARATION}<InitiateMultipartUploadResult xmlns="${NS}">${el('Bucket', bucket)}${el('Key', key)}${el('UploadId', uploadId)}</InitiateMultipartUploadResult>`;
}

/** CompleteMultipartUpload result. */
export function completeMultipartXml(location: string, bucket: string, object: StoredObject): string {
  return `${DECLARATION}<CompleteMultipartUploadResult xmlns="${NS}">${el('Location', location)}${el('Bucket', bucket)}${el('Key', object.key)}${el('ETag', object.etag)}</CompleteMultipartUploadResult>`;
}

/** The parts listed in a CompleteMultipartUpload request body. */
export function parseCompleteMultipart(xml: string): CompletedPartRef[] {
  const parts: CompletedPartRef[] = [];
  for (const [, body] of xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const number = /<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(body!)?.[1];
    const etag = /<ETag>([\s\S]*?)<\/ETag>/.exec(body!)?.[1];
    if (number === undefined || etag === undefined) throw new Error('a Part without PartNumber or ETag');
    parts.push({ partNumber: Number(number), etag: unescapeXml(etag).trim() });
  }
  return parts;
}
