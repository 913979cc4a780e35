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
