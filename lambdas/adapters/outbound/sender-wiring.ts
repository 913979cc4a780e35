/**
 * Every piece the sender sends with (issue 11), in one place for the Lambda and the local runtime:
 * the composer (MIME once, into outbound/<id>.eml), the SES v2 transport with Postroom's
 * configuration set, and the SMTP path (integrations, rate limit, VERP return path, pooled
 * transports) with SES as the transport of every other route.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CredentialSource } from '../../core/mailboxes/connection.ts';
import { signedS3 } from '../aws-clients.ts';
import { S3MailContent } from '../content/s3-mail-content.ts';
import type { ConnectOptions } from '../mailboxes/session-types.ts';
import { S3OutboundComposer } from '../mime/compose-outbound.ts';
import { SesTransport } from '../ses/ses-transport.ts';
import { smtpSenderPieces, type SmtpSenderPieces } from '../smtp/smtp-sender-pieces.ts';
import type { SenderEnv, SenderPieces } from './sender-deps.ts';

export interface SenderWiringOptions {
  /** The registry's credential source (passwords, OAuth2 tokens refreshed when expired). */
  readonly credentials: CredentialSource;
  /** Extra trusted CAs for customer SMTP servers (local runtime `--mail-ca`). @default the system's trust */
  readonly connect?: ConnectOptions;
  /** @default a client from the environment (AWS_ENDPOINT_URL_SESV2 points it at the local stand-in) */
  readonly ses?: SESv2Client;
}

/** The sender's pieces plus the SMTP transport to close on shutdown. */
export interface SenderWiring {
  readonly pieces: SenderPieces;
  readonly smtp: SmtpSenderPieces['smtp'];
}

/** Create once per Lambda instance (module scope): the SMTP pools live in the transport. */
export function senderWiring(doc: DynamoDBDocumentClient, s3: S3Client, env: SenderEnv, o: SenderWiringOptions): SenderWiring {
  const ses = new SesTransport(o.ses ?? new SESv2Client({}), s3, { ...(env.configurationSetName && { configurationSetName: env.configurationSetName }) });
  const smtp = smtpSenderPieces(doc, {
    configTable: env.configTable,
    interactionsTable: env.interactionsTable,
    ...(env.returnPathDomain && { returnPathDomain: env.returnPathDomain }),
    credentials: o.credentials,
    content: new S3MailContent(signedS3(), 'stream'),
    other: ses,
    ...(o.connect && { connect: o.connect }),
  });
  return {
    pieces: {
      composer: new S3OutboundComposer(s3, { bucket: env.mailBucket }),
      transport: smtp.transport,
      integrations: smtp.integrations,
      rateLimiter: smtp.rateLimiter,
      returnPathFor: smtp.returnPathFor,
    },
    smtp: smtp.smtp,
  };
}
