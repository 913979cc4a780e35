/**
 * Every specific machine code the HTTP API answers with, in one place (STYLE.md habit 13). Where
 * `error.code` (core/error-codes.ts) says the family of a failure (`not-found`, `conflict`,
 * `validation`), `error.reason` says exactly what went wrong as `<entity>.<problem>`
 * (`queue.id-taken`, `address.domain-not-served`), and `issues[].reason` does so for one field
 * when its `code` (`invalid`, `conflict`) says too little. The CLI (lambdas/cli/messages.en.ts)
 * and the console key their text on these, so a reason is never renamed or reused for another
 * meaning; the English messages beside them may change.
 *
 * test/unit/core/error-reasons.test.ts fails when lambdas/ uses a reason that is not listed here
 * or when a listed reason is used nowhere.
 */
import { API_ERROR_CODES, type ApiErrorCode } from './error-codes.ts';

/** The reasons, keyed by a name for reading; the values are what the API answers. */
export const ERROR_REASONS = {
  // The request itself
  /** 400: the body or the parameters failed validation; `issues` say which fields and why. */
  requestInvalid: 'request.invalid',
  /** 400: an HTTP-level malformed request that is not about one field. */
  requestMalformed: 'request.malformed',
  /** 415, or a `body` field issue: the body is not JSON. */
  requestNotJson: 'request.not-json',
  /** 413: the body is larger than the API accepts. */
  requestTooLarge: 'request.too-large',
  /** 403: the local API refused a request a web page sent (a foreign `Origin` or `Host`). */
  requestForbiddenOrigin: 'request.forbidden-origin',
  /** 404: no route serves this path. */
  routeNotFound: 'route.not-found',
  /** 405: the path is served, but not for this method (the `Allow` header lists the methods). */
  routeMethodNotAllowed: 'route.method-not-allowed',
  /** 500: a bug on the server; the details are logged, never answered. */
  serverInternal: 'server.internal',
  /** 503: the service is briefly unavailable; retry. */
  serverUnavailable: 'server.unavailable',
  /** A field issue: a value (a length, a count, a number) outside its range; the message says the range. */
  valueOutOfRange: 'value.out-of-range',
  /** A field issue: a list cursor that this list did not hand out. */
  cursorInvalid: 'cursor.invalid',

  // Queues and agents
  /** 404, or a field issue: the queue asked for or named does not exist. */
  queueNotFound: 'queue.not-found',
  /** 409: a queue with this id exists already. */
  queueIdTaken: 'queue.id-taken',
  /** 409: the queue still has waiting interactions. */
  queueNotEmpty: 'queue.not-empty',
  /** 409: an agent or an address route still uses the queue. */
  queueInUse: 'queue.in-use',
  /** 409: the interaction's queue was removed meanwhile; transfer the interaction instead. */
  queueRemoved: 'queue.removed',
  /** 404: no agent with this id is registered. */
  agentNotFound: 'agent.not-found',
  /** 409: an agent with this id is registered already. */
  agentIdTaken: 'agent.id-taken',
  /** 409: the agent holds interactions whose queue no longer exists; transfer them first. */
  agentHoldsOrphans: 'agent.holds-orphans',
  /** A field issue: not a valid skill list (a skill that is no slug, too many skills). */
  skillsInvalid: 'skills.invalid',
  /** A field issue: not an ISO 639-1 language code. */
  languageUnknown: 'language.unknown',
  /** A field issue: a priority outside the bounds the score order holds. */
  priorityOutOfRange: 'priority.out-of-range',

  // Interactions
  /** 404: no interaction with this id. */
  interactionNotFound: 'interaction.not-found',
  /** 409: the action needs a claimed interaction and this one is not claimed. */
  interactionNotClaimed: 'interaction.not-claimed',
  /** 409: the interaction is claimed by another agent than the one acting. */
  interactionClaimedByOther: 'interaction.claimed-by-other',
  /** 409: the interaction is claimed, and the request did not say by which agent it acts. */
  interactionAgentRequired: 'interaction.agent-required',
  /** 409: the interaction has no queue to go back to; transfer it to a queue instead. */
  interactionNoQueue: 'interaction.no-queue',
  /** 409: the interaction kept changing while the action was applied; try again. */
  interactionBusy: 'interaction.busy',
  /** 404: the interaction has no attachment with this index. */
  attachmentNotFound: 'attachment.not-found',
  /** 404: the stored mail (raw message or part) is no longer in storage. */
  storedMailNotFound: 'stored-mail.not-found',

  // Address routes
  /** 404: no route for this address. */
  addressNotFound: 'address.not-found',
  /** 409: the address has a route already. */
  addressExists: 'address.exists',
  /** 409: the address route changed since it was read; read it again and retry. */
  addressChanged: 'address.changed',
  /** 409: other address routes send as this address (their from address). */
  addressInUse: 'address.in-use',
  /** A field issue: not a bare, lower-case e-mail address. */
  addressMalformed: 'address.malformed',
  /** A field issue: the address is not on one of the organisation's mail domains. */
  addressDomainNotServed: 'address.domain-not-served',
  /** A field issue: the from address is neither this address nor another configured one. */
  addressFromNotConfigured: 'address.from-not-configured',
  /** A field issue: the from name is empty, too long or not on one line. */
  addressFromNameInvalid: 'address.from-name-invalid',
  /** A field issue: more distinct BCC recipients than an address route may have. */
  addressTooManyBcc: 'address.too-many-bcc',

  // Flows and templates
  /** 404, or a field issue: the flow (or flow version) asked for or named does not exist. */
  flowNotFound: 'flow.not-found',
  /** 409: an address route or a flow version still names the flow. */
  flowInUse: 'flow.in-use',
  /** 409: the flow is being deleted; nothing may start naming it. */
  flowBeingDeleted: 'flow.being-deleted',
  /** A field issue (`body`): the flow is too large to store as one item. */
  flowTooLarge: 'flow.too-large',
  /** A field issue: the flow's patterns together compile to more steps than routing may run. */
  flowPatternsTooComplex: 'flow.patterns-too-complex',
  /** A field issue: a `matches` pattern that is not a valid, bounded regular expression. */
  flowPatternInvalid: 'flow.pattern-invalid',
  /** A field issue: a condition's header is not an RFC 5322 header name. */
  flowHeaderNameInvalid: 'flow.header-name-invalid',
  /** A field issue: a verdict condition that names no verdict. */
  flowVerdictMissing: 'flow.verdict-missing',
  /** A field issue: a value outside a condition's closed vocabulary (verdict statuses, languages). */
  flowValueUnknown: 'flow.value-unknown',
  /** A field issue: an auto-acknowledgement that names no template and lacks its own subject or body. */
  flowAckTextMissing: 'flow.ack-text-missing',
  /** A field issue: a tag list that is empty, too long, or holds a tag that is no slug. */
  flowTagsInvalid: 'flow.tags-invalid',
  /** 404, or a field issue: the template asked for or named does not exist. */
  templateNotFound: 'template.not-found',
  /** 409: a flow still names the template. */
  templateInUse: 'template.in-use',
  /** A field issue: a `{{placeholder}}` that templates do not know. */
  templateUnknownPlaceholder: 'template.unknown-placeholder',
  /** A field issue: a template subject that spans more than one line. */
  templateSubjectMultiline: 'template.subject-multiline',

  // Dead letters
  /** 404: no dead letter with this id. */
  deadLetterNotFound: 'dead-letter.not-found',
  /** 409: the dead letter was redriven already. */
  deadLetterAlreadyRedriven: 'dead-letter.already-redriven',
  /** 503: this API was deployed without the inbound queue; redrive is not available. */
  deadLetterRedriveUnavailable: 'dead-letter.redrive-unavailable',

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

  // E-mail domains and their DNS records
  /** A field issue: not a DNS domain name (labels of 1-63 characters, 253 in all, a TLD), or too long for the names its records need. */
  domainNameInvalid: 'domain.name-invalid',
  /** A field issue: the MAIL FROM domain is not a subdomain of the domain (SES requires one). */
  domainMailFromNotSubdomain: 'domain.mail-from-not-subdomain',
  /** 404: no domain of this name is served. */
  domainNotFound: 'domain.not-found',
  /** 409: a domain of this name is served already (or is being added by the other owner). */
  domainExists: 'domain.exists',
  /** A field issue (`name`): the organisation serves as many domains as the deployment setting postroom:maxDomains allows. */
  domainLimitReached: 'domain.limit-reached',
  /** 409: the domain is declared in the CDK app; change or remove it in postroom:domains and deploy. */
  domainOwnedByStack: 'domain.owned-by-stack',
  /** 409: address routes are still on the domain; remove them first. */
  domainInUse: 'domain.in-use',
  /** 409: the domain's setup did not finish (SES has not given its DKIM tokens yet); run the add again. */
  domainIncomplete: 'domain.incomplete',
  /** 409: the domain changed or was removed while it was being set up or checked; run the command again. */
  domainChanged: 'domain.changed',
  /** A field issue: an SMTP server that sends for the domain is not a valid IP address, CIDR or host name. */
  spfSenderInvalid: 'spf.sender-invalid',
  /** A field issue: the SPF record the domain publishes breaks RFC 7208's syntax (a malformed IP, an unknown mechanism). */
  spfRecordInvalid: 'spf.record-invalid',
  /** A field issue: the domain publishes more than one SPF record, which makes SPF fail (RFC 7208 3.2). */
  spfMultipleRecords: 'spf.multiple-records',
  /** A field issue: the SPF record needs more than 10 DNS lookups (RFC 7208 4.6.4), or its includes loop. */
  spfTooManyLookups: 'spf.too-many-lookups',
  /** A field issue: an include or redirect of the SPF record names a domain without exactly one valid SPF record. */
  spfIncludeInvalid: 'spf.include-invalid',

  // Mail servers (inbound POP3/IMAP, outbound SMTP)
  /** A field issue: the host is neither a host name nor an IPv4/IPv6 address, or the SNI server name is no host name. */
  mailServerHostInvalid: 'mail-server.host-invalid',
  /** A field issue: a text setting holds control characters, or a password holds characters no mail protocol can send (NUL, CR, LF). */
  mailServerTextInvalid: 'mail-server.text-invalid',
  /** A field issue: the host is an IP address and TLS is used, so the TLS SNI server name is required. */
  mailServerSniRequired: 'mail-server.sni-required',
  /** A field issue: STARTTLS can only be required without implicit TLS. */
  mailServerStartTlsWithTls: 'mail-server.starttls-with-tls',
  /** A field issue: a password was given for a server that authenticates with OAuth2. */
  mailServerPasswordNotAllowed: 'mail-server.password-not-allowed',
  /** A field issue: a server with Basic authentication cannot be enabled without a password. */
  mailServerPasswordRequired: 'mail-server.password-required',
  /** A field issue: a setting that this type of server does not have (an IMAP folder on POP3, additional senders on IMAP). */
  mailServerOptionNotForType: 'mail-server.option-not-for-type',
  /** A field issue: an inbound server cannot be enabled without a routing (an address route or a flow). */
  mailServerRoutingRequired: 'mail-server.routing-required',
  /** A field issue: an SMTP server whose user is no e-mail address needs at least one additional sender address. */
  mailServerSenderRequired: 'mail-server.sender-required',
  /** A field issue: another server is the template server already; there is at most one. */
  mailServerTemplateTaken: 'mail-server.template-taken',
  /** A field issue (`oauth2`): a server with OAuth2 authentication needs its OAuth2 settings (provider, flow, client id). */
  mailServerOAuth2Required: 'mail-server.oauth-settings-required',
  /** A field issue (`oauth2`): OAuth2 settings were given for a server with Basic authentication. */
  mailServerOAuth2NotAllowed: 'mail-server.oauth-settings-not-allowed',
  /** 404: no mail server has this id. */
  mailServerNotFound: 'mail-server.not-found',
  /** 409: the mail server changed since it was read; read it again and retry. */
  mailServerChanged: 'mail-server.changed',
  /** 422: saving an enabled server tested its connection, and the test failed; nothing was stored (save it inactive to keep it). */
  mailServerConnectionFailed: 'mail-server.connection-failed',
  /** 503: this deployment cannot test mail server connections yet, so an enabled server cannot be saved; save it disabled. */
  mailServerTestUnavailable: 'mail-server.test-unavailable',
  /** A field issue: an OAuth2 setting the provider and flow need is missing (the settings, a tenant, an endpoint). */
  mailServerOAuth2SettingRequired: 'mail-server.oauth-setting-required',
  /** A field issue: an OAuth2 setting is malformed (an endpoint that is not https, a scope, a date, a tenant). */
  mailServerOAuth2SettingInvalid: 'mail-server.oauth-setting-invalid',
  /** A field issue: the provider does not offer this OAuth2 flow (Google has no client credentials, Microsoft no service account). */
  mailServerOAuth2FlowNotForProvider: 'mail-server.oauth-flow-not-for-provider',
  /** 409: consent is only for a server with OAuth2 authentication and the authorization-code flow. */
  mailServerOAuth2NoConsent: 'mail-server.oauth-no-consent',
  /** A field issue (`type`): the registry holds the most SMTP servers a deployment may have (20, seed 004); delete one first. */
  mailServerSmtpLimitReached: 'mail-server.smtp-limit-reached',

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

/**
 * The conflicts that had their own top-level `code` before reasons existed; clients read those
 * codes, so they stay. Every other conflict's code is `conflict`, told apart by its reason.
 */
export const CONFLICT_CODES: Readonly<Partial<Record<ErrorReason, ApiErrorCode>>> = {
  [ERROR_REASONS.flowInUse]: API_ERROR_CODES.flowInUse,
  [ERROR_REASONS.templateInUse]: API_ERROR_CODES.templateInUse,
  [ERROR_REASONS.flowBeingDeleted]: API_ERROR_CODES.flowBeingDeleted,
  [ERROR_REASONS.addressChanged]: API_ERROR_CODES.addressChanged,
};

/** One of {@link ERROR_REASONS}. */
export type ErrorReason = (typeof ERROR_REASONS)[keyof typeof ERROR_REASONS];

/** Every reason, for checks that a reason read from outside (a client, a test) is one of them. */
export const ALL_ERROR_REASONS: readonly ErrorReason[] = Object.values(ERROR_REASONS);
