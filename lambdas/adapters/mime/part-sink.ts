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
