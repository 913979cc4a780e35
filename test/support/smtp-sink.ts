/**
 * A plain SMTP server on 127.0.0.1 that accepts everything and keeps it in memory: the relay that
 * Dovecot's submission service hands authenticated mail to, so a test sees exactly what was sent.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the relay received it. */
export interface SinkMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: Buffer;
}

export interface SmtpSink {
  readonly port: number;
  /** Every message received, in order of arrival. */
  readonly messages: SinkMessage[];
  stop(): Promise<void>;
}

/** A test message is small; a cap keeps a runaway client from filling memory. */
const MAX_SINK_MESSAGE_BYTES = 50 * 1024 * 1024;

/** Starts the sink on a free loopback port; no TLS, no AUTH (the relay hop is trusted loopback). */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_SINK_MESSAGE_BYTES,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        messages.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { port, messages, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
