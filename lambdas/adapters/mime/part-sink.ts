/**
 * Where the MIME parser puts what it decodes: attachments as streams, long bodies as strings.
 *
 * The parser never holds an attachment in memory; it hands each one to a sink as a stream and waits
 * until the sink has stored it. S3 is the production sink ({@link S3PartSink}); the in-memory and
 * discarding sinks here let tests and benchmarks run the very same parsing code without storage.
 */
import type { Readable } from 'node:stream';
import type { BlobRef } from '../../core/message.ts';

/** What the sink learns about an attachment before its content arrives. */
export interface PartInfo {
  /** Position among the message's attachments, from 0; part of the storage key. */
  readonly index: number;
  readonly contentType: string;
  readonly filename?: string;
}

export type BodyKind = 'text' | 'html';

/**
 * A destination for decoded parts. Implementations must consume `content` to its end (or fail):
 * the parser waits for the store to finish before it reads further, which is what keeps memory flat.
 */
export interface PartSink {
  /** Stores one attachment; resolves once `content` has ended and the bytes are durable. */
  storeAttachment(part: PartInfo, content: Readable): Promise<BlobRef>;
  /** Stores a full body that is too long to keep inline. */
  storeBody(kind: BodyKind, body: string): Promise<BlobRef>;
  /** Cancels stores still in flight after a failure. Never throws. */
  abort(): Promise<void>;
}

/** Storage key of an attachment, relative to the message's parts prefix. */
export function attachmentKey(prefix: string, index: number): string {
  return `${prefix}attachments/${index}`;
}

/** Storage key of a full body, relative to the message's parts prefix. */
export function bodyKey(prefix: string, kind: BodyKind): string {
  return `${prefix}body.${kind === 'text' ? 'txt' : 'html'}`;
}

/**
 * Keeps every stored part in memory, keyed like S3. For tests that assert on stored bytes and for
 * the local runtime's dry runs; never for production, where parts can be tens of megabytes.
 */
export class MemoryPartSink implements PartSink {
  readonly objects = new Map<string, Buffer>();

  /** @param prefix the parts prefix keys are built from; `bucket` names the pretend bucket */
  constructor(
    private readonly prefix = '',
    private readonly bucket = 'memory',
  ) {}

  async storeAttachment(part: PartInfo, content: Readable): Promise<BlobRef> {
    const chunks: Buffer[] = [];
    for await (const chunk of content) chunks.push(chunk as Buffer);
    return this.put(attachmentKey(this.prefix, part.index), Buffer.concat(chunks));
  }

  async storeBody(kind: BodyKind, body: string): Promise<BlobRef> {
    return this.put(bodyKey(this.prefix, kind), Buffer.from(body, 'utf8'));
  }

  async abort(): Promise<void> {}

  private put(key: string, bytes: Buffer): BlobRef {
    this.objects.set(key, bytes);
    return { bucket: this.bucket, key, size: bytes.length };
  }
}

/**
 * Reads and drops every part, counting bytes. For benchmarks that measure the parser alone.
 */
export class DiscardPartSink implements PartSink {
  bytes = 0;
  parts = 0;

  async storeAttachment(part: PartInfo, content: Readable): Promise<BlobRef> {
    let size = 0;
    for await (const chunk of content) size += (chunk as Buffer).length;
    return this.count(attachmentKey('', part.index), size);
  }

  async storeBody(kind: BodyKind, body: string): Promise<BlobRef> {
    return this.count(bodyKey('', kind), Buffer.byteLength(body));
  }

  async abort(): Promise<void> {}

  private count(key: string, size: number): BlobRef {
    this.bytes += size;
    this.parts += 1;
    return { bucket: 'discard', key, size };
  }
}
