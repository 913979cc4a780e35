/**
 * Parsing a message that is only looked at, never kept (the flow dry run): the production parse
 * ({@link parseMimeStream}, the routing Lambda's own code and limits) with a sink that reads each
 * decoded part to its end and drops it, so routing sees exactly the facts it would see, and
 * nothing is written to storage.
 */
import { Readable } from 'node:stream';
import { MAIL_LIMITS, type MailLimits } from '../../core/limits.ts';
import type { BlobRef, ParsedMail } from '../../core/message.ts';
import { parseMimeStream } from './parse-mime-stream.ts';
import { attachmentKey, bodyKey, type BodyKind, type PartInfo, type PartSink } from './part-sink.ts';

/** Where nothing is stored: the blob refs it hands back name no bucket. */
class DroppingPartSink implements PartSink {
  async storeAttachment(part: PartInfo, content: Readable): Promise<BlobRef> {
    let size = 0;
    for await (const chunk of content) size += (chunk as Buffer).length;
    return { bucket: '', key: attachmentKey('', part.index), size };
  }

  async storeBody(kind: BodyKind, body: string): Promise<BlobRef> {
    return { bucket: '', key: bodyKey('', kind), size: Buffer.byteLength(body) };
  }

  async abort(): Promise<void> {}
}

/**
 * Parses `source` (bytes, or a stream of them) under `limits` without storing any part.
 * @throws QuarantineError when routing would have quarantined the message (too large, too deep, unparseable)
 */
export function parseWithoutStoring(source: Buffer | Readable, limits: MailLimits = MAIL_LIMITS): Promise<ParsedMail> {
  return parseMimeStream(Buffer.isBuffer(source) ? Readable.from([source]) : source, new DroppingPartSink(), limits);
}
