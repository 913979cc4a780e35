/**
 * Enforces {@link MailLimits} on the MIME tree while mailparser streams it.
 *
 * mailparser's splitter (mailsplit) already bounds the header block of a node (`maxHeadSize`) and
 * the number of nodes (`maxChildNodes`), but not the nesting depth, and it reports both as the same
 * `EMAXLEN` error. We hand it our limits, observe every node the parser takes from the splitter,
 * count parts and depth ourselves, and turn every violation into a {@link QuarantineError} with
 * the right reason, so the parser stops at the first node past a limit.
 */
import { MailParser, type MailParserOptions } from 'mailparser';
import { MimeNode } from '@zone-eu/mailsplit';
import { QuarantineError } from '../../core/errors.ts';
import type { MailLimits } from '../../core/limits.ts';

/** The part of a mailsplit MIME node the guard reads: its place in the tree. */
interface SplitterNode {
  readonly parentNode: SplitterNode | false;
}

/**
 * What mailsplit hands to the parser: a node (after its header block), or body / structure bytes.
 * A node tells what its header block cost against `maxHeadSize` (bytes, each line at least a floor).
 */
interface SplitterChunk {
  readonly type: 'node' | 'body' | 'data';
  readonly parentNode?: SplitterNode | false;
  headerCost?(): number;
}

/**
 * The one mailparser internal the guard relies on: `processChunk` receives every splitter chunk,
 * nodes included, and reports an error given to its callback as the parser's `error` event.
 */
interface ChunkProcessor {
  processChunk(data: SplitterChunk, done: (err?: Error | null) => void): void;
}

// Fail the cold start, not a message, if a mailparser upgrade removes the hook the limits need.
if (typeof (MailParser.prototype as unknown as Partial<ChunkProcessor>).processChunk !== 'function') {
  throw new Error('mailparser no longer has MailParser.prototype.processChunk; MIME limits cannot be enforced');
}
// The same for the per-message header budget: it reads what each node's header block cost.
if (typeof (MimeNode.prototype as unknown as Partial<SplitterChunk>).headerCost !== 'function') {
  throw new Error("mailsplit's MimeNode no longer has headerCost(); the per-message header limit cannot be enforced");
}

/** What the guard observed so far; final once the parser has ended. */
export interface MimeTreeStats {
  /** MIME nodes seen, the root included. */
  parts: number;
  /** Deepest nesting seen; a single-part message has depth 1. */
  depth: number;
  /** What the header blocks of all nodes seen cost together (mailsplit's `headerCost`). */
  headerBytes: number;
}

/**
 * The splitter options that enforce our header and part limits inside mailsplit itself, so a
 * header block is rejected while it is being buffered rather than after. One block never exceeds
 * the message's whole header budget; the guard counts the budget across blocks.
 * @param limits the limits in force; `maxParts` and `maxHeaderBytes` are used
 */
export function splitterLimitOptions(limits: MailLimits): Pick<MailParserOptions, 'maxHeadSize' | 'maxChildNodes'> {
  return { maxHeadSize: limits.maxHeaderBytes, maxChildNodes: limits.maxParts };
}

/**
 * Installs the guard on one parser instance (never on the prototype, so parsers do not share
 * counters). Why per node: a MIME bomb is thousands of nodes or hundreds of levels, and stopping at
 * the first node past a limit keeps the work done on it proportional to the limit, not to the bomb.
 * @returns live counters, also used for {@link ParsedMail.stats}
 */
export function guardMimeTree(parser: MailParser, limits: MailLimits): MimeTreeStats {
  const stats: MimeTreeStats = { parts: 0, depth: 0, headerBytes: 0 };
  const target = parser as unknown as ChunkProcessor;
  const processChunk = target.processChunk.bind(parser);
  target.processChunk = (data, done) => {
    if (data.type === 'node') {
      const violation = observeNode(stats, data, limits);
      if (violation) return done(violation);
    }
    processChunk(data, done);
  };
  return stats;
}

function observeNode(stats: MimeTreeStats, node: SplitterChunk, limits: MailLimits): QuarantineError | undefined {
  stats.parts += 1;
  if (stats.parts > limits.maxParts) {
    return new QuarantineError('too-many-parts', `more than ${limits.maxParts} MIME parts`);
  }
  // Walking up is O(depth) and stops one level past the limit, so a deep bomb costs O(limit) per node.
  let depth = 1;
  for (let parent = node.parentNode; parent && depth <= limits.maxMimeDepth; parent = parent.parentNode) depth += 1;
  if (depth > limits.maxMimeDepth) {
    return new QuarantineError('too-deep', `MIME nesting deeper than ${limits.maxMimeDepth} levels`);
  }
  if (depth > stats.depth) stats.depth = depth;
  // Why per message: 512 parts of 256 KB headers each would be 128 MB parsed into header maps.
  stats.headerBytes += node.headerCost?.() ?? 0;
  if (stats.headerBytes > limits.maxHeaderBytes) {
    return new QuarantineError('header-too-large', `MIME header blocks larger than ${limits.maxHeaderBytes} bytes in all`);
  }
  return undefined;
}

/**
 * Maps anything the parser emitted to a quarantine reason: our own violations pass through,
 * mailsplit's `EMAXLEN` errors are told apart by their message, everything else is `unparseable`.
 */
export function quarantineOfParserError(err: unknown): QuarantineError {
  if (err instanceof QuarantineError) return err;
  const error = err instanceof Error ? err : new Error(String(err));
  if ((error as { code?: unknown }).code === 'EMAXLEN') {
    if (/child nodes/i.test(error.message)) return new QuarantineError('too-many-parts', error.message, { cause: error });
    if (/header/i.test(error.message)) return new QuarantineError('header-too-large', error.message, { cause: error });
  }
  return new QuarantineError('unparseable', error.message || 'the MIME parser failed', { cause: error });
}
