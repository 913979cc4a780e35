/**
 * The SES path of the outbox (issue 11 item 4): one SES v2 SendEmail with the composed MIME as
 * `Content.Raw` (attachments included; SES v2 takes up to 40 MB), the envelope recipients as the
 * destination, Postroom's configuration set (so bounces, complaints and deliveries come back as
 * events) and the tag `outbox=<id>` by which the feedback finds the record again.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { ERROR_REASONS as R, type ErrorReason } from '../../core/error-reasons.ts';
import { DeploymentError, PermanentError, TransientError, type PostroomError } from '../../core/errors.ts';
import type { BlobRef } from '../../core/message.ts';
import type { OutboundEnvelope, OutboundTransport } from '../../core/outbound/outbound-ports.ts';
import { fromAddressOf, type OutboundRoute, type OutboxRecord } from '../../core/outbound/outbox.ts';
import { SES_TAGS } from '../../core/outbound/ses-feedback.ts';
import { isMissingObject, sdkError } from '../aws/sdk-errors.ts';

/** SES allows only ASCII letters, digits, `_` and `-` in tag values, at most 256 of them. */
const SES_TAG_VALUE = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * SES v2 SendEmail refusals that no retry can heal, with the reason recorded on the failed record.
 * Throttling (TooManyRequests, LimitExceeded for the sending rate), 5xx and socket failures are
 * transient by the shared classifier (aws/sdk-errors.ts).
 */
const PERMANENT_SES_ERRORS: Readonly<Record<string, ErrorReason>> = {
  MessageRejected: R.sesMessageRejected,
  MailFromDomainNotVerifiedException: R.sesMailFromNotVerified,
  AccountSuspendedException: R.sesAccountSuspended,
  SendingPausedException: R.sesSendingPaused,
  BadRequestException: R.sesRequestInvalid,
};

/** Names SES v2 uses for "too many sends now": the quota or rate frees up again. */
const TRANSIENT_SES_ERRORS: ReadonlySet<string> = new Set(['TooManyRequestsException', 'LimitExceededException']);

export interface SesTransportOptions {
  /** Postroom's configuration set (its event destination feeds the feedback queue). @default none: no events come back */
  readonly configurationSetName?: string;
}

/**
 * SES v2 SendEmail with `Content.Raw` for routes of kind `ses`. Clients are injected (created once
 * per container by the handler's wiring).
 */
export class SesTransport implements OutboundTransport {
  constructor(
    private readonly ses: SESv2Client,
    private readonly s3: S3Client,
    private readonly options: SesTransportOptions = {},
  ) {}

  /**
   * Sends the stored MIME `raw` to the envelope's recipients; answers SES's message id.
   * @throws TransientError `sending-unavailable` (throttling, 5xx, network), PermanentError with an
   *   `ses.*` reason (rejected, MAIL FROM not verified, account suspended, sending paused, bad request),
   *   DeploymentError `sending-misconfigured` (a missing configuration set, a denied permission)
   */
  async send(route: OutboundRoute, raw: BlobRef, envelope: OutboundEnvelope, record: OutboxRecord): Promise<{ readonly providerMessageId: string }> {
    if (route.kind !== 'ses') throw new DeploymentError('sending-misconfigured', `the SES transport was given a ${route.kind} route`);
    const data = await this.readRaw(raw);
    const tags = [
      { Name: SES_TAGS.outbox, Value: record.id },
      ...(record.interactionId && SES_TAG_VALUE.test(record.interactionId) ? [{ Name: SES_TAGS.interaction, Value: record.interactionId }] : []),
    ].filter((t) => SES_TAG_VALUE.test(t.Value));
    try {
      const out = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: fromAddressOf(record),
          Destination: { ToAddresses: [...envelope.recipients] },
          Content: { Raw: { Data: data } },
          EmailTags: tags,
          ...(this.options.configurationSetName && { ConfigurationSetName: this.options.configurationSetName }),
        }),
      );
      if (!out.MessageId) throw new PermanentError(R.sesRequestInvalid, 'SES SendEmail answered without a MessageId');
      return { providerMessageId: out.MessageId };
    } catch (err) {
      throw sesSendError(err);
    }
  }

  private async readRaw(raw: BlobRef): Promise<Uint8Array> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: raw.bucket, Key: raw.key }));
      if (!out.Body) throw new Error('empty body');
      return await out.Body.transformToByteArray();
    } catch (err) {
      // Why a deployment error: the sender composes and records `raw` before sending; a raw that
      // is gone means the bucket lost it (a lifecycle rule), which no retry heals.
      if (isMissingObject(err)) throw new DeploymentError('storage-misconfigured', `the composed message s3://${raw.bucket}/${raw.key} is missing`, { cause: err });
      throw sdkError(err, 'storage', `reading s3://${raw.bucket}/${raw.key}`);
    }
  }
}

/**
 * Maps one SES v2 SendEmail failure into Postroom's hierarchy: the refusals of
 * {@link PERMANENT_SES_ERRORS} by name, a missing configuration set as a deployment error, the
 * rest by the shared classifier (`sending-…`).
 */
export function sesSendError(err: unknown): PostroomError {
  const e = (err ?? {}) as { name?: string; message?: string };
  const name = e.name ?? '';
  const reason = PERMANENT_SES_ERRORS[name];
  const message = `SES SendEmail failed: ${name || 'Error'}: ${e.message ?? String(err)}`;
  if (reason) return new PermanentError(reason, message, { cause: err });
  if (name === 'NotFoundException') return new DeploymentError('sending-misconfigured', message, { cause: err });
  if (TRANSIENT_SES_ERRORS.has(name)) return new TransientError('sending-unavailable', message, { cause: err });
  return sdkError(err, 'sending', 'SES SendEmail');
}
