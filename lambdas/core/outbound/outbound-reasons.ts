/**
 * The error reasons of the outbound path (issue 11): the outbox, SES, suppressions, SMTP
 * integrations, the composer and send requests. Joined into ERROR_REASONS
 * (core/error-reasons.ts), whose rules they follow.
 */

/** The outbound path's reasons, keyed by a name for reading; the values are what the API answers. */
export const OUTBOUND_ERROR_REASONS = {
  // Outbox (issue 11)
  /** 404: no outbox record with this id. */
  outboxNotFound: 'outbox.not-found',
  /** 409: only an uncertain or failed outbox record can be sent again. */
  outboxNotResendable: 'outbox.not-resendable',
  /** 409: the outbox record moved on (another sender, the sweep) before this change was written. */
  outboxStateChanged: 'outbox.state-changed',
  // SES sending (outbox failures) and the suppression list
  /** An outbox failure: SES refused the message (MessageRejected: its content, or a recipient not verified while in the sandbox). */
  sesMessageRejected: 'ses.message-rejected',
  /** An outbox failure: the custom MAIL FROM domain of the sender's identity is not verified in SES. */
  sesMailFromNotVerified: 'ses.mail-from-not-verified',
  /** An outbox failure: SES has suspended the account's sending. */
  sesAccountSuspended: 'ses.account-suspended',
  /** An outbox failure: sending is paused for the account or for Postroom's configuration set. */
  sesSendingPaused: 'ses.sending-paused',
  /** An outbox failure: SES found the send request invalid. */
  sesRequestInvalid: 'ses.request-invalid',
  /** 404: the address is not on the suppression list. */
  suppressionNotFound: 'suppression.not-found',
  /** A field issue (422): the address an admin suppresses is not exactly one e-mail address. */
  suppressionAddressInvalid: 'suppression.address-invalid',

  // SMTP integrations (a registry SMTP server's sending settings and state) and the SMTP path's failures
  /** 404: no SMTP server of the registry has this id. */
  smtpIntegrationNotFound: 'smtp-integration.not-found',
  /** A field issue: the messages per minute are not a whole number from 1 to 1000. */
  smtpIntegrationRateInvalid: 'smtp-integration.rate-invalid',
  /** A field issue: a provider preset fixes the rate; a different rate needs the preset `custom`. */
  smtpIntegrationPresetConflict: 'smtp-integration.preset-conflict',
  /** The SMTP server refused Postroom's login: the integration is in error and holds its sends until fixed. */
  smtpAuthenticationFailed: 'smtp.authentication-failed',
  /** The SMTP server refused several messages in a row (5xx): the integration is in error and holds its sends. */
  smtpRepeatedRejections: 'smtp.repeated-rejections',
  /** The SMTP server refused a recipient permanently (5xx); the server's words say why. */
  smtpRecipientRejected: 'smtp.recipient-rejected',
  /** The SMTP server refused the message permanently (5xx); the server's words say why. */
  smtpMessageRejected: 'smtp.message-rejected',
  /** The SMTP server answered "try again later" (4xx) or the connection broke; the send is retried. */
  smtpUnavailable: 'smtp.unavailable',
  /** 400: the OAuth2 callback's state is unknown, expired, used already or forged; start the consent again. */
  oauth2StateInvalid: 'oauth.state-invalid',

  // Outbound: why the composer refused an outbox record (the sender records it as the failure)
  /** An address of an outbox record's From, Reply-To, To or Cc is not exactly one valid address, or it has no To or Cc. */
  outboundAddressInvalid: 'outbound.address-invalid',
  /** An outbox record's own Message-ID is not header-safe, or its creation time is no date. */
  outboundRecordInvalid: 'outbound.record-invalid',
  /** The composed message is larger than 40 MB, encoded (SES's limit, and the product's). */
  outboundMessageTooLarge: 'outbound.message-too-large',
  /** A body or attachment of an outbox record is no longer stored (an upload expired or was deleted). */
  outboundContentMissing: 'outbound.content-missing',
  /** A forwarded message holds every MIME boundary the composer tries around it (only a message made to clash does). */
  outboundForwardBoundaryTaken: 'outbound.forward-boundary-taken',
  // Outbound (issue 11): sending through the API, refused before anything is enqueued (422)
  /** A field issue: no way to send from this address: its domain is not verified in SES and no SMTP server sends as it. */
  outboundNoRouteForSender: 'outbound.no-route-for-sender',
  /** A field issue: the sender is neither a configured address nor a sender of an SMTP server (or not one the template server sends as). */
  outboundSenderNotAllowed: 'outbound.sender-not-allowed',
  /** A field issue: a recipient is on the suppression list (a hard bounce or a complaint); lift it first. */
  outboundRecipientSuppressed: 'outbound.recipient-suppressed',
  /** A field issue: more than 50 recipients, the address's fixed BCC included. */
  outboundTooManyRecipients: 'outbound.too-many-recipients',
  /** A field issue: the message has no recipient (a forward or a new e-mail needs `to`). */
  outboundRecipientsRequired: 'outbound.recipients-required',
  /** A field issue: an attachment names an upload that does not exist (never uploaded, or expired). */
  uploadNotFound: 'upload.not-found',
} as const;
