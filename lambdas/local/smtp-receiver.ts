/**
 * The SMTP listener that stands in for SES receiving on the local runtime. It accepts mail from any
 * SMTP client on loopback and hands each message to `deliver`, which stores it and notifies the
 * inbound queue as SES would. A message only gets "250 OK" once `deliver` has stored and enqueued
 * it, so a client that saw success can rely on it (REL-1: nothing accepted is lost).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { MAIL_LIMITS } from '../core/limits.ts';

export interface SmtpDelivery {
  readonly raw: Buffer;
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  readonly remoteAddress: string;
  readonly helo: string;
}

export interface SmtpReceiverOptions {
  readonly host?: string;
  readonly port?: number;
  /** Advertised with SIZE and enforced; SES's own limit by default. */
  readonly maxMessageBytes?: number;
  /** SES accepts at most 50 recipients per message. */
  readonly maxRecipients?: number;
  readonly deliver: (mail: SmtpDelivery) => Promise<string>;
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
      callback();
    },
    onData(stream, session, callback) {
      readMessage(stream, maxBytes)
        .then((raw) => options.deliver(deliveryOf(raw, session)))
        .then((id) => callback(null, `Ok: queued as ${id}`))
        .catch((err: Error & { responseCode?: number }) => {
          if (!err.responseCode) options.onError?.(err);
          callback(Object.assign(err, { responseCode: err.responseCode ?? 451 }));
        });
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

function readMessage(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    stream.once('end', () => {
      if (stream.sizeExceeded) {
        reject(Object.assign(new Error(`Message exceeds the ${maxBytes} byte limit`), { responseCode: 552 }));
        return;
      }
      resolve(Buffer.concat(chunks));
    });
  });
}

function deliveryOf(raw: Buffer, session: SMTPServerSession): SmtpDelivery {
  const from = session.envelope.mailFrom;
  return {
    raw,
    mailFrom: from ? from.address : '',
    recipients: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
    remoteAddress: session.remoteAddress,
    helo: session.hostNameAppearsAs || session.clientHostname,
  };
}
