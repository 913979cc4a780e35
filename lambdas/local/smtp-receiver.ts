/**
 * The SMTP listener that stands in for SES receiving on the local runtime. It accepts mail from any
 * SMTP client on loopback and hands each message to `deliver`, which stores it and notifies the
 * inbound queue as SES would. A message only gets "250 OK" once `deliver` has stored and enqueued
 * it, so a client that saw success can rely on it (REL-1: nothing accepted is lost).
 *
 * DATA is streamed to a spool file, never gathered in memory, so a 40 MB message costs no more
 * memory than a small one. Past the advertised SIZE the rest is read and discarded, the spool
 * removed and 552 answered. Any other failure answers a generic 451 so the client retries; its
 * detail goes to the local log only, never to the remote sender.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { MAIL_LIMITS } from '../core/limits.ts';

/** A received message, kept in a spool file for as long as `deliver` runs. */
export interface SpooledMessage {
  /** Bytes of DATA, after dot-unstuffing. */
  readonly size: number;
  /** A new stream of the message's bytes; may be called any number of times. */
  open(): Readable;
}

export interface SmtpDelivery {
  readonly message: SpooledMessage;
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  readonly remoteAddress: string;
  readonly helo: string;
}

/**
 * An answer `deliver` chooses on purpose (code and text go to the client as they are); any other
 * error is answered with {@link TEMPORARY_FAILURE}.
 */
export class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'SmtpReply';
  }
}

/** What a client hears (after `451`) when storing or notifying failed: RFC 3463 "other mail system status". */
export const TEMPORARY_FAILURE = '4.3.0 Temporary failure, please retry';

/** What a client hears (after `550`) for a recipient on no served domain: RFC 3463 "bad destination mailbox address". */
export const RECIPIENT_REJECTED = '5.1.1 Recipient address rejected: not a domain this server receives mail for';

export interface SmtpReceiverOptions {
  readonly host?: string;
  readonly port?: number;
  /** Advertised with SIZE and enforced; SES's own limit by default. */
  readonly maxMessageBytes?: number;
  /** SES accepts at most 50 recipients per message. */
  readonly maxRecipients?: number;
  /** Where DATA is spooled while it is received and delivered. @default the system's temp folder */
  readonly spoolDir?: string;
  readonly deliver: (mail: SmtpDelivery) => Promise<string>;
  /**
   * Whether a recipient is accepted at RCPT TO; a refused one hears {@link RECIPIENT_REJECTED}, as
   * SES refuses recipients no receipt rule matches, and a failure to decide hears a 451.
   * @default every recipient is accepted
   */
  readonly acceptsRecipient?: (address: string) => Promise<boolean>;
  /** Told the detail of every failure the client only hears as a 451. */
  readonly onError?: (err: Error) => void;
}

export interface SmtpReceiver {
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

const SES_MAX_RECIPIENTS = 50;

/** Starts the listener; resolves once it accepts connections. */
export async function startSmtpReceiver(options: SmtpReceiverOptions): Promise<SmtpReceiver> {
  const host = options.host ?? '127.0.0.1';
  const maxBytes = options.maxMessageBytes ?? MAIL_LIMITS.maxMessageBytes;
  const maxRecipients = options.maxRecipients ?? SES_MAX_RECIPIENTS;
  const spoolDir = options.spoolDir ?? tmpdir();
  await mkdir(spoolDir, { recursive: true });
  const server = new SMTPServer({
    name: 'postroom.local',
    banner: 'Postroom local SES receiving stand-in',
    authOptional: true,
    disabledCommands: ['AUTH'],
    size: maxBytes,
    logger: false,
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= maxRecipients) {
        callback(Object.assign(new Error('Too many recipients'), { responseCode: 452 }));
        return;
      }
      if (!options.acceptsRecipient) {
        callback();
        return;
      }
      options.acceptsRecipient(address.address).then(
        (accepted) => callback(accepted ? undefined : Object.assign(new Error(RECIPIENT_REJECTED), { responseCode: 550 })),
        (err: Error) => {
          options.onError?.(err);
          callback(Object.assign(new Error(TEMPORARY_FAILURE), { responseCode: 451 }));
        },
      );
    },
    onData(stream, session, callback) {
      receiveData(stream, session, spoolDir, maxBytes, options).then(
        (reply) => callback(null, reply),
        (err: SmtpReply) => callback(err),
      );
    },
  });
  server.on('error', (err) => options.onError?.(err));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 2525, host, () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { host, port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Spools, delivers and removes the spool; resolves with the 250 text or rejects with the answer. */
async function receiveData(
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  spoolDir: string,
  maxBytes: number,
  options: SmtpReceiverOptions,
): Promise<string> {
  const path = join(spoolDir, `smtp-${randomUUID()}.eml`);
  try {
    const size = await spool(stream, path, maxBytes);
    const id = await options.deliver(deliveryOf({ size, open: () => createReadStream(path) }, session));
    return `Ok: queued as ${id}`;
  } catch (err) {
    if (err instanceof SmtpReply) throw err;
    options.onError?.(err as Error);
    throw new SmtpReply(451, TEMPORARY_FAILURE);
  } finally {
    // Must happen on every path, before the answer: a spool left behind would fill the disk.
    await rm(path, { force: true }).catch(() => undefined);
  }
}

/**
 * Streams DATA into `path` and resolves with its size. Past `maxBytes` nothing more is written:
 * the rest is read and dropped (the client is still sending; it only reads our answer after its
 * final dot), then a 552 is thrown.
 */
async function spool(stream: SMTPServerDataStream, path: string, maxBytes: number): Promise<number> {
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(null, size > maxBytes ? undefined : chunk);
    },
  });
  await pipeline(stream, limit, createWriteStream(path));
  if (size > maxBytes || stream.sizeExceeded) {
    throw new SmtpReply(552, `5.3.4 Message exceeds the maximum size of ${maxBytes} bytes`);
  }
  return size;
}

function deliveryOf(message: SpooledMessage, session: SMTPServerSession): SmtpDelivery {
  const from = session.envelope.mailFrom;
  return {
    message,
    mailFrom: from ? from.address : '',
    recipients: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
    remoteAddress: session.remoteAddress,
    helo: session.hostNameAppearsAs || session.clientHostname,
  };
}
