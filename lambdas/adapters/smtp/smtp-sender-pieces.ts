/**
 * The SMTP path's pieces of the sender's wiring (adapters/outbound/sender-deps.ts `SenderPieces`):
 * the integration directory (`SMTPI#` over the registry), the `RATE#` token bucket, the VERP
 * return path on the deployment's bounce domain, and a transport that sends SMTP routes through
 * the pooled SMTP transport and every other route through the one given (SES).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CredentialSource } from '../../core/mailboxes/connection.ts';
import type { OutboundTransport, SendRateLimiter, SmtpIntegrationDirectory } from '../../core/outbound/outbound-ports.ts';
import { fromAddressOf, type OutboundRoute, type OutboxRecord } from '../../core/outbound/outbox.ts';
import { verpAddress } from '../../core/outbound/verp.ts';
import type { MailContent } from '../content/mail-content.ts';
import { DynamoMailServerStore } from '../dynamodb/mail-server-store.ts';
import { DynamoSendRateLimiter } from '../dynamodb/send-rate-limiter.ts';
import { DynamoSmtpIntegrationStore } from '../dynamodb/smtp-integration-store.ts';
import type { ConnectOptions } from '../mailboxes/session-types.ts';
import { rawOpenerOf, SmtpOutboundTransport } from './smtp-transport.ts';

export interface SmtpSenderOptions {
  readonly configTable: string;
  readonly interactionsTable: string;
  /** The deployment's bounce domain: SMTP sends carry `bounces+<outboxId>@` it as MAIL FROM. */
  readonly returnPathDomain: string;
  /** The registry's credential source (adapters/oauth2 oauth2Wiring(...).credentials). */
  readonly credentials: CredentialSource;
  /** Reads the composed MIME (S3MailContent in stream mode, or the local file S3). */
  readonly content: Pick<MailContent, 'stream'>;
  /** The transport of every route that is not SMTP (the SES transport). @default none: such a route throws */
  readonly other?: OutboundTransport;
  readonly connect?: ConnectOptions;
}

/** What sender-deps' `SenderPieces` takes from the SMTP path. */
export interface SmtpSenderPieces {
  readonly integrations: SmtpIntegrationDirectory;
  readonly rateLimiter: SendRateLimiter;
  readonly returnPathFor: (route: OutboundRoute, record: OutboxRecord) => string;
  readonly transport: OutboundTransport;
  /** The pooled SMTP transport itself (close it on the local runtime's shutdown). */
  readonly smtp: SmtpOutboundTransport;
}

/**
 * The SMTP pieces over `doc`. Create once per Lambda instance (module scope): the SMTP pools live
 * in the transport and are reused across invocations. Return path: the From address on SES (its
 * custom MAIL FROM applies), the VERP address on SMTP.
 */
export function smtpSenderPieces(doc: DynamoDBDocumentClient, o: SmtpSenderOptions): SmtpSenderPieces {
  const servers = new DynamoMailServerStore(doc, o.configTable);
  const smtp = new SmtpOutboundTransport({ servers, credentials: o.credentials, openRaw: rawOpenerOf(o.content), ...(o.connect && { connect: o.connect }) });
  const other = o.other;
  return {
    integrations: new DynamoSmtpIntegrationStore(doc, o.configTable, servers),
    rateLimiter: new DynamoSendRateLimiter(doc, o.interactionsTable),
    returnPathFor: (route, record) => (route.kind === 'smtp' ? verpAddress(record.id, o.returnPathDomain) : fromAddressOf(record)),
    transport: {
      send: (route, raw, envelope, record) => {
        if (route.kind === 'smtp') return smtp.send(route, raw, envelope, record);
        if (!other) throw new Error(`no transport for route ${route.kind}`);
        return other.send(route, raw, envelope, record);
      },
    },
    smtp,
  };
}
