/**
 * Test doubles of the MIME parser's PartSink (lambdas/adapters/mime/part-sink.ts): one keeps
 * stored parts in memory for assertions, one discards them for benchmarks of the parser alone.
 */
import type { Readable } from 'node:stream';
import type { BlobRef } from '../../lambdas/core/message.ts';
import { attachmentKey, bodyKey, type BodyKind, type PartInfo, type PartSink } from '../../lambdas/adapters/mime/part-sink.ts';

/**
 * Keeps every stored part in memory, keyed like S3. For tests that assert on stored bytes; never
 * for production, where parts can be tens of megabytes.
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
