/**
 * The local runtime's stand-in for SES v2 sending (issue 11 item 7): aws-ses-v2-local, in-process on
 * a loopback port. The SES transport's client points at its endpoint; it answers SendEmail (also
 * with `Content.Raw`) with a message id and keeps the mail, which `readCapturedSesMail` reads back
 * from its `/store` API for tests and for `postroom outbox list` on the local runtime.
 *
 * What it does not do (so tests of those parts use aws-sdk-client-mock): it records the parsed
 * headers (To, Cc), not the envelope `Destination` of a raw send, so hidden Bcc recipients are not
 * visible in its store; it keeps neither the configuration set nor the tags; it never publishes
 * events; it accepts JSON bodies up to 25 MB, so a raw message over ~18 MB is refused with 413.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { RunningService } from './services.ts';

const require = createRequire(import.meta.url);

/** One message the stand-in captured, without attachment bodies. */
export interface CapturedSesMail {
  /** The id SES answered: the outbox record's `providerMessageId`. */
  readonly messageId: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  readonly attachments: readonly { readonly filename?: string; readonly contentType: string; readonly size: number }[];
  /** When it was captured (the stand-in counts whole seconds). */
  readonly at: Date;
}

export interface SesOutbound extends RunningService {
  /** The captured mail, oldest first; `since` keeps those captured at or after it (whole seconds). */
  readCaptured(since?: Date): Promise<CapturedSesMail[]>;
  /** Forgets every captured message (tests). */
  clear(): Promise<void>;
}

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments: { filename?: string; contentType: string; size: number }[];
  at: number;
}

/**
 * Starts aws-ses-v2-local on 127.0.0.1 (never another interface: it has no real authentication).
 * Its store lives in this process's module state, so every stand-in started in one process shares it.
 * @param options.port defaults to 0 (any free port)
 */
export async function startSesOutbound(options: { port?: number } = {}): Promise<SesOutbound> {
  const start = (require('aws-ses-v2-local') as { default: (config: { host: string; port: number }) => Promise<Server> }).default;
  const server = await start({ host: '127.0.0.1', port: options.port ?? 0 });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    readCaptured: (since) => readCapturedSesMail(endpoint, since),
    clear: async () => {
      const res = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
      if (!res.ok) throw new Error(`aws-ses-v2-local refused to clear its store: HTTP ${res.status}`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

/**
 * Reads the mail captured by the aws-ses-v2-local at `endpoint` (its `GET /store`), oldest first.
 * @param since keeps mail captured at or after it, in whole seconds; @default all
 */
export async function readCapturedSesMail(endpoint: string, since?: Date): Promise<CapturedSesMail[]> {
  const query = since ? `?since=${Math.floor(since.getTime() / 1000)}` : '';
  const res = await fetch(`${endpoint}/store${query}`);
  if (!res.ok) throw new Error(`aws-ses-v2-local store answered HTTP ${res.status}`);
  const { emails } = (await res.json()) as { emails: StoredEmail[] };
  return emails.map((e) => ({
    messageId: e.messageId,
    from: e.from,
    to: e.destination.to,
    cc: e.destination.cc,
    subject: e.subject,
    ...(e.body.text !== undefined && { text: e.body.text }),
    ...(e.body.html !== undefined && { html: e.body.html }),
    attachments: e.attachments.map((a) => ({ ...(a.filename !== undefined && { filename: a.filename }), contentType: a.contentType, size: a.size })),
    at: new Date(e.at * 1000),
  }));
}
