/**
 * The SMTP path's {@link OutboundTransport} (issue 11 item 5; SPEC OUT-4): one pooled nodemailer
 * transport per registry SMTP server, kept in the Lambda's memory across invocations (keep-alive,
 * seed 004: "Verbindung aufrecht erhalten"), sending the composed MIME from S3 as it is, with the
 * VERP return path as MAIL FROM and every envelope recipient (Bcc included) as RCPT TO.
 *
 * A pool is replaced when the server's settings or its credentials change (a saved password, a
 * refreshed OAuth2 access token): its key holds the record's `updatedAt` and a hash of the secret.
 * Three message-level 5xx in a row on one integration (counted per Lambda instance: each one
 * stops on its own third) turn into an {@link IntegrationFault}: the server refuses Postroom.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Transporter } from 'nodemailer';
import { PermanentError } from '../../core/errors.ts';
import { ERROR_REASONS as R } from '../../core/error-reasons.ts';
import { MailConnectionError, type CredentialSource, type MailCredentials } from '../../core/mailboxes/connection.ts';
import type { MailServer, MailServerStore } from '../../core/mailboxes/server.ts';
import type { BlobRef } from '../../core/message.ts';
import { IntegrationFault, type OutboundEnvelope, type OutboundTransport } from '../../core/outbound/outbound-ports.ts';
import type { OutboundRoute, OutboxRecord } from '../../core/outbound/outbox.ts';
import type { MailContent } from '../content/mail-content.ts';
import { createSmtpTransport } from '../mailboxes/smtp-connect.ts';
import type { ConnectOptions } from '../mailboxes/session-types.ts';
import { classifySmtpSendError } from './smtp-send-errors.ts';

/** Message-level 5xx answers in a row after which the integration counts as broken (issue 11 item 5). */
export const MAX_CONSECUTIVE_REJECTIONS = 3;

/** Opens a stored raw message (S3 `outbound/<id>.eml`) for one send; each call a fresh stream. */
export type RawMailOpener = (raw: BlobRef) => Promise<Readable | Buffer>;

/** The opener over the mail bucket's reader (S3 in AWS, the file S3 locally): streamed, never buffered whole (40 MB mail). */
export function rawOpenerOf(content: Pick<MailContent, 'stream'>): RawMailOpener {
  return async (raw) => Readable.fromWeb((await content.stream(raw)).body as WebReadableStream<Uint8Array>);
}

export interface SmtpTransportDeps {
  readonly servers: Pick<MailServerStore, 'get'>;
  /** The registry's credential source (passwords, XOAUTH2 tokens refreshed as needed). */
  readonly credentials: CredentialSource;
  readonly openRaw: RawMailOpener;
  /** Extra CAs (local/test servers) and timeouts. @default the system's CAs, 30 s */
  readonly connect?: ConnectOptions;
}

interface Pool {
  readonly key: string;
  readonly transport: Transporter;
  rejections: number;
}

/** {@link OutboundTransport} for routes of kind `smtp`; see the module comment. Create one per Lambda instance. */
export class SmtpOutboundTransport implements OutboundTransport {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly deps: SmtpTransportDeps) {}

  /**
   * Sends `raw` through the route's server. Resolves with the server's queue answer (`250 2.0.0 Ok:
   * queued as …`) as the provider message id.
   * @throws TransientError, PermanentError (a 5xx with the server's words), IntegrationFault
   */
  async send(route: OutboundRoute, raw: BlobRef, envelope: OutboundEnvelope, record: OutboxRecord): Promise<{ readonly providerMessageId: string }> {
    if (route.kind !== 'smtp') throw new Error(`the SMTP transport cannot send route ${route.kind}`);
    const server = await this.deps.servers.get(route.serverId);
    if (!server || server.type !== 'smtp') throw new PermanentError(R.smtpIntegrationNotFound, `SMTP server ${route.serverId} no longer exists; record ${record.id} cannot be sent through it`);
    if (!server.enabled) throw new IntegrationFault(server.id, R.smtpUnavailable, `SMTP server ${server.name} is disabled; its sends wait until it is turned on`);
    const credentials = await this.credentialsOf(server);
    const pool = this.poolFor(server, credentials);
    try {
      const info = (await pool.transport.sendMail({ envelope: { from: envelope.returnPath, to: [...envelope.recipients] }, raw: await this.deps.openRaw(raw) })) as { response?: string; messageId?: string };
      pool.rejections = 0;
      return { providerMessageId: (info.response ?? info.messageId ?? record.messageId).slice(0, 200) };
    } catch (err) {
      const { error, rejection } = classifySmtpSendError(err, server, credentials);
      if (!rejection) throw error;
      pool.rejections += 1;
      if (pool.rejections < MAX_CONSECUTIVE_REJECTIONS) throw error;
      pool.rejections = 0;
      throw new IntegrationFault(server.id, R.smtpRepeatedRejections, `${MAX_CONSECUTIVE_REJECTIONS} messages in a row refused; the last: ${error.message}`, { cause: err });
    }
  }

  /** Closes every pooled connection (the local runtime's shutdown; a Lambda just freezes). */
  close(): void {
    for (const pool of this.pools.values()) pool.transport.close();
    this.pools.clear();
  }

  private async credentialsOf(server: MailServer): Promise<MailCredentials> {
    try {
      return await this.deps.credentials.credentialsFor(server);
    } catch (err) {
      if (!(err instanceof MailConnectionError)) throw err;
      // No secret, a refused grant: no retry helps until the admin fixes the server and saves it.
      throw new IntegrationFault(server.id, R.smtpAuthenticationFailed, `${server.name}: ${err.message}`, { cause: err });
    }
  }

  /** The pool of `server`, replaced (the old one closed) when its settings or credentials changed. */
  private poolFor(server: MailServer, credentials: MailCredentials): Pool {
    const secret = credentials.kind === 'password' ? credentials.password : credentials.accessToken;
    const key = `${server.updatedAt}\n${createHash('sha256').update(`${credentials.user}\n${secret}`).digest('hex')}`;
    const current = this.pools.get(server.id);
    if (current?.key === key) return current;
    current?.transport.close();
    const pool: Pool = { key, transport: createSmtpTransport(server, credentials, this.deps.connect ?? {}) as Transporter, rejections: current?.rejections ?? 0 };
    this.pools.set(server.id, pool);
    return pool;
  }
}
