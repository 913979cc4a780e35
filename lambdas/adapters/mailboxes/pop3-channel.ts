/**
 * The command channel of a POP3 session (RFC 1939, PIPELINING RFC 2449): one command at a time in
 * the order asked ({@link Pop3Channel.exclusive}), or written at once when the server pipelines
 * ({@link Pop3Channel.issue}); status lines and multi-line answers read through pop3-wire.ts; every
 * failure classified without the credentials. pop3-client.ts builds the POP3 operations on it.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { MailConnectionError, type MailCredentials } from '../../core/mailboxes/connection.ts';
import { classifyConnectionError, cleanServerText } from './connection-errors.ts';
import type { MailEndpoint } from './mail-endpoint.ts';
import type { Pop3Wire } from './pop3-wire.ts';

/** Largest UIDL/LIST/CAPA/TOP answer: 64 bytes a message for a million messages; a header block is far less. */
export const MAX_POP3_LISTING_BYTES = 67_108_864;

/** A POP3 connection's command primitives; the session (pop3-client.ts) adds the operations. */
export class Pop3Channel {
  private queue: Promise<unknown> = Promise.resolve();
  protected closed = false;
  /** RFC 2449 PIPELINING was offered: several commands may be sent before their answers. */
  pipelining = false;

  constructor(
    protected socket: Socket,
    protected readonly wire: Pop3Wire,
    protected readonly endpoint: MailEndpoint,
    private readonly credentials: MailCredentials,
  ) {}

  get encrypted(): boolean {
    return (this.socket as TLSSocket).encrypted === true;
  }

  /** Runs `work` after every earlier command has finished (POP3 answers in order, one at a time). */
  protected exclusive<T>(work: () => Promise<T>): Promise<T> {
    const guarded = () => work().catch((err: unknown) => Promise.reject(this.classify(err)));
    const next = this.queue.then(guarded, guarded);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Writes `line` now when the server pipelines (RFC 2449: answers come in the order of the
   * commands, and every command of a pipelining session is written at call time, in the order of
   * {@link exclusive}'s queue), else when its turn comes; answers the reading of its status.
   */
  protected issue(line: string): () => Promise<string> {
    if (!this.pipelining || this.closed) return () => this.send(line);
    this.socket.write(`${line}\r\n`);
    return () => this.status();
  }

  /** Sends one command line; resolves with the +OK text, rejects with the -ERR text as `protocol`. */
  async send(line: string, onErr?: (text: string) => Error): Promise<string> {
    if (this.closed) throw new MailConnectionError('protocol', `the POP3 session with ${this.where} is closed`);
    this.socket.write(`${line}\r\n`);
    return this.status(onErr);
  }

  /** Reads one status line: "+OK ..." resolves with the text after it. */
  async status(onErr?: (text: string) => Error): Promise<string> {
    const reply = await this.wire.readLine();
    if (reply.startsWith('+OK')) return reply.slice(3).trim();
    const text = cleanServerText(reply.replace(/^-ERR\s*/, ''));
    throw onErr?.(text) ?? new MailConnectionError('protocol', `the server on ${this.where} answered ${JSON.stringify(text)}`);
  }

  /** A whole multi-line answer after +OK, as bytes. */
  async collect(line: string, maxBytes = MAX_POP3_LISTING_BYTES, sent = () => this.send(line)): Promise<Buffer> {
    await sent();
    const parts: Buffer[] = [];
    for await (const part of this.wire.body(maxBytes, () => this.abort(new MailConnectionError('protocol', `the answer to ${line.split(' ')[0]} exceeds ${maxBytes} bytes`)))) parts.push(part);
    return Buffer.concat(parts);
  }

  /** Any failure as a MailConnectionError naming this server, without the credentials. */
  classify(err: unknown): MailConnectionError {
    return classifyConnectionError(err, { host: this.endpoint.host, port: this.endpoint.port, credentials: this.credentials, timeoutMs: this.endpoint.timeoutMs });
  }

  get where(): string {
    return `${this.endpoint.host}:${this.endpoint.port}`;
  }

  /** Ends the session at once (a message too large, a timeout): nothing marked for deletion is deleted. */
  abort(err: Error): Error {
    this.close();
    return err;
  }

  /** A multi-line answer, its command issued now ({@link issue}). */
  protected collectIssued(line: string): Promise<Buffer> {
    const sent = this.issue(line);
    return this.exclusive(() => this.collect(line, MAX_POP3_LISTING_BYTES, sent));
  }

  close(): void {
    this.closed = true;
    this.wire.fail(new MailConnectionError('protocol', `the POP3 session with ${this.where} is closed`));
    this.socket.destroy();
  }
}
