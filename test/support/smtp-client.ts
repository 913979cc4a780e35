/**
 * Sends mail to a local SMTP listener with nodemailer, as any SMTP client would.
 */
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';

export async function sendMail(port: number, message: Mail.Options & { envelope?: { from: string; to: string[] } }) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail(message);
  } finally {
    transport.close();
  }
}

/** Sends a ready-made raw message (bytes exactly as given). */
export async function sendRaw(port: number, envelope: { from: string; to: string[] }, raw: Buffer | string) {
  return sendMail(port, { envelope, raw });
}

/**
 * Sends a generated message of about `bytes` bytes over a raw SMTP session, written line by line
 * with backpressure, so the sender holds no more than one chunk however large the message is (the
 * test measuring the receiver's memory runs in the same process). Resolves with the reply to DATA.
 * @param checkpoint awaited after each 16 MiB sent (and once at the end), e.g. to measure memory
 */
export async function sendGeneratedMessage(
  port: number,
  envelope: { from: string; to: string },
  bytes: number,
  checkpoint: (sent: number) => Promise<void> | void = () => undefined,
): Promise<string> {
  const { connect } = await import('node:net');
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('latin1');
  let buffered = '';
  const waiters: ((line: string) => void)[] = [];
  socket.on('data', (data: string) => {
    buffered += data;
    // A reply ends with a line "NNN text" (no dash after the code).
    for (let m = /^(\d{3}) [^\r\n]*\r\n/m.exec(buffered); m; m = /^(\d{3}) [^\r\n]*\r\n/m.exec(buffered)) {
      const end = m.index + m[0].length;
      const reply = buffered.slice(0, end);
      buffered = buffered.slice(end);
      waiters.shift()?.(reply.trim().split('\r\n').at(-1)!);
    }
  });
  const reply = () => new Promise<string>((resolve) => waiters.push(resolve));
  const command = async (line: string) => {
    const answer = reply();
    socket.write(`${line}\r\n`);
    return answer;
  };
  try {
    await reply();
    await command('EHLO sender.example');
    await command(`MAIL FROM:<${envelope.from}>`);
    await command(`RCPT TO:<${envelope.to}>`);
    const go = await command('DATA');
    if (!go.startsWith('354')) return go;
    const answer = reply();
    const head = `From: <${envelope.from}>\r\nTo: <${envelope.to}>\r\nSubject: generated ${bytes} bytes\r\n\r\n`;
    const line = `${'x'.repeat(76)}\r\n`;
    const block = Buffer.from(line.repeat(Math.floor(65_536 / line.length)));
    if (!socket.write(head)) await new Promise((r) => socket.once('drain', r));
    const every = 16 * 1024 * 1024;
    for (let sent = head.length; sent < bytes; sent += block.length) {
      if (!socket.write(block)) await new Promise((r) => socket.once('drain', r));
      if (Math.floor((sent + block.length) / every) > Math.floor(sent / every)) await checkpoint(sent + block.length);
    }
    socket.write('.\r\n');
    const result = await answer;
    await checkpoint(bytes);
    return result;
  } finally {
    socket.end();
  }
}
