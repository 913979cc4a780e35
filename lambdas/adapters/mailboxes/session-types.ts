/**
 * The shapes the mailbox adapters share: how a session is opened (connect options) and the POP3
 * client's commands (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH). The connection
 * adapters implement them; the pollers and the connection test use them.
 */
import type { Readable } from 'node:stream';

/** Options every session opener takes beside the server and its credentials. */
export interface ConnectOptions {
  /** Extra trusted CA certificates in PEM (a test's or the local runtime's self-signed server). @default the system's */
  readonly ca?: string | readonly string[];
  /** Connect, greeting and per-command timeout. @default 30_000 */
  readonly timeoutMs?: number;
}

/** One message of a POP3 maildrop: its number in this session and its unique id (UIDL). */
export interface Pop3Listing {
  readonly number: number;
  readonly uidl: string;
}

/** An authenticated POP3 session (TRANSACTION state). Every command rejects with a MailConnectionError on -ERR or a dropped connection. */
export interface Pop3Client {
  /** STAT: messages and octets in the maildrop. */
  stat(): Promise<{ readonly count: number; readonly size: number }>;
  /** UIDL without argument: every message's number and unique id, in maildrop order. */
  uidl(): Promise<Pop3Listing[]>;
  /** LIST without argument: every message's number and size in octets. */
  list(): Promise<Array<{ readonly number: number; readonly size: number }>>;
  /** TOP n 0: the header block only, as bytes (for dates during the bounded backfill). */
  top(number: number, lines?: number): Promise<Buffer>;
  /**
   * RETR n as a byte stream: dot-unstuffed, CRLF kept, ends before the terminating ".". The
   * stream errors when the message exceeds `maxBytes`. Consume it fully before the next command.
   */
  retr(number: number, maxBytes?: number): Promise<Readable>;
  /** DELE n: marked for deletion; the server deletes on QUIT (UPDATE state). */
  dele(number: number): Promise<void>;
  /** QUIT: commits the deletions and closes. */
  quit(): Promise<void>;
  /** Closes without QUIT: nothing marked for deletion is deleted (RFC 1939 6). */
  close(): void;
  /** Whether the session runs over TLS (implicit or STLS). */
  readonly encrypted: boolean;
}
