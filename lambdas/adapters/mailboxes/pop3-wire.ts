/**
 * The byte level of a POP3 session (RFC 1939 3): status lines, and multi-line responses that end
 * at CRLF "." CRLF with leading dots stuffed. Works on Buffers only, never strings, so an 8-bit or
 * binary message passes byte for byte. The socket is paused while unread data piles up beyond
 * {@link POP3_READ_HIGH_WATER_BYTES}, so a slow consumer of RETR slows the server down instead of
 * filling memory.
 */
import type { Socket } from 'node:net';
import { MailConnectionError } from '../../core/mailboxes/connection.ts';

/**
 * Longest status line accepted, in bytes. RFC 2449 4 caps a response line at 512 octets; servers
 * exceed it with long texts, so allow headroom, but a line without end from a broken or hostile
 * server must not grow without bound.
 */
export const MAX_POP3_LINE_BYTES = 8_192;

/** Unread bytes above which the socket is paused (backpressure); about what one TLS read delivers at a time times 64. */
export const POP3_READ_HIGH_WATER_BYTES = 1_048_576;

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

/**
 * Undoes RFC 1939's byte-stuffing of a multi-line response, chunk by chunk: drops the first "." of a
 * line that starts with one and stops at the terminating "." line. CRLF line ends are kept. Emits
 * bytes as soon as it can, holding back at most the two bytes that may still turn out to be a
 * terminator, so a line of any length streams through.
 */
export class DotUnstuffer {
  private atLineStart = true;
  private carry: Buffer = Buffer.alloc(0);
  private finished = false;

  /** Decodes `chunk`; `rest` holds the bytes after the terminator (the next response) once `done`. */
  push(chunk: Buffer): { out: Buffer[]; done: boolean; rest: Buffer } {
    const out: Buffer[] = [];
    if (this.finished) return { out, done: true, rest: chunk };
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    let i = 0;
    while (i < buf.length) {
      if (this.atLineStart && buf[i] === DOT) {
        if (i + 1 >= buf.length || (buf[i + 1] === CR && i + 2 >= buf.length)) {
          this.carry = buf.subarray(i); // cannot tell yet: stuffed dot or terminator
          break;
        }
        if (buf[i + 1] === CR && buf[i + 2] === LF) {
          this.finished = true;
          return { out, done: true, rest: buf.subarray(i + 3) };
        }
        i += 1; // the stuffed dot
      }
      this.atLineStart = false;
      const end = buf.indexOf('\r\n', i);
      if (end === -1) {
        // A trailing CR may be the first half of a line end: keep it for the next chunk.
        const upTo = buf[buf.length - 1] === CR ? buf.length - 1 : buf.length;
        if (upTo > i) out.push(buf.subarray(i, upTo));
        if (upTo < buf.length) this.carry = buf.subarray(upTo);
        break;
      }
      out.push(buf.subarray(i, end + 2));
      i = end + 2;
      this.atLineStart = true;
    }
    return { out, done: false, rest: Buffer.alloc(0) };
  }
}

/** Reads a POP3 socket: one status line at a time, or the raw bytes that follow one. */
export class Pop3Wire {
  private chunks: Buffer[] = [];
  private size = 0;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private socket!: Socket;

  /** `where` (host:port) names the server in errors; `timeoutMs` bounds every wait for data. */
  constructor(
    socket: Socket,
    private readonly where: string,
    private readonly timeoutMs: number,
  ) {
    this.bind(socket);
  }

  /** Reads from `socket` from now on (after STLS, the TLS socket wrapping the plain one). */
  bind(socket: Socket): void {
    this.socket = socket;
    socket.on('data', (data: Buffer) => {
      if (socket !== this.socket) return;
      this.chunks.push(data);
      this.size += data.length;
      if (this.size > POP3_READ_HIGH_WATER_BYTES) socket.pause();
      this.wake?.();
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new MailConnectionError('tcp', `the server on ${this.where} closed the connection`)));
  }

  /** Fails every pending and later read with `err` (the first failure wins). */
  fail(err: Error): void {
    this.failure ??= err;
    this.wake?.();
  }

  /** Bytes received but not yet read; a STARTTLS/STLS upgrade must find none (plaintext injection). */
  get buffered(): number {
    return this.size;
  }

  /** Detaches from the current socket's data, for a TLS upgrade that reads it itself. */
  release(): Socket {
    this.socket.removeAllListeners('data');
    this.socket.resume();
    return this.socket;
  }

  /** Everything received so far, waiting up to the timeout for at least one byte. */
  async take(): Promise<Buffer> {
    while (this.size === 0) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new MailConnectionError('timeout', `${this.where} did not answer within ${Math.round(this.timeoutMs / 1000)} seconds (timeout)`)), this.timeoutMs);
        this.wake = () => (clearTimeout(timer), (this.wake = undefined), resolve());
      }).catch((err: Error) => {
        this.fail(err);
        this.socket.destroy();
        throw err;
      });
    }
    const data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    this.size = 0;
    if (this.socket.isPaused()) this.socket.resume();
    return data;
  }

  /** Puts back bytes read too far (the start of the next response). */
  unshift(data: Buffer): void {
    if (data.length === 0) return;
    this.chunks.unshift(data);
    this.size += data.length;
  }

  /** One line without its CRLF, as UTF-8 text (RFC 6856 UTF8 servers; ASCII otherwise). */
  async readLine(): Promise<string> {
    let line: Buffer = Buffer.alloc(0);
    for (;;) {
      const data = await this.take();
      const joined = line.length ? Buffer.concat([line, data]) : data;
      const end = joined.indexOf('\r\n');
      if (end !== -1) {
        this.unshift(joined.subarray(end + 2));
        return joined.subarray(0, end).toString('utf8');
      }
      if (joined.length > MAX_POP3_LINE_BYTES) {
        this.socket.destroy();
        throw new MailConnectionError('protocol', `the server on ${this.where} sent a line longer than ${MAX_POP3_LINE_BYTES} bytes`);
      }
      line = joined;
    }
  }

  /**
   * The unstuffed body of a multi-line response, chunk by chunk, up to its terminator. Throws
   * `tooLarge()` once more than `maxBytes` arrived; the caller closes the session then.
   */
  async *body(maxBytes: number, tooLarge: () => Error): AsyncGenerator<Buffer> {
    const decoder = new DotUnstuffer();
    let total = 0;
    for (;;) {
      const { out, done, rest } = decoder.push(await this.take());
      // One chunk per read, not one per line: a stream of short lines must not cost an await each.
      const piece = out.length === 1 ? out[0]! : Buffer.concat(out);
      total += piece.length;
      if (total > maxBytes) throw tooLarge();
      if (piece.length > 0) yield piece;
      if (done) {
        this.unshift(rest);
        return;
      }
    }
  }
}
