/**
 * Every specific machine code the HTTP API answers with, in one place (STYLE.md habit 13). Where
 * `error.code` (core/error-codes.ts) says the family of a failure (`not-found`, `conflict`,
 * `validation`), `error.reason` says exactly what went wrong as `<entity>.<problem>`
 * (`queue.id-taken`, `address.domain-not-served`), and `issues[].reason` does so for one field
 * when its `code` (`invalid`, `conflict`) says too little. The CLI (lambdas/cli/messages.en.ts)
 * and the console key their text on these, so a reason is never renamed or reused for another
 * meaning; the English messages beside them may change.
 *
 * The mail server registry's and the outbound path's reasons are listed beside their code
 * (mailboxes/mail-server-reasons.ts, outbound/outbound-reasons.ts) and joined here.
 * test/unit/core/error-reasons.test.ts fails when lambdas/ uses a reason that is not listed
 * or when a listed reason is used nowhere.
 */
import { API_ERROR_CODES, type ApiErrorCode } from './error-codes.ts';
import { MAIL_SERVER_ERROR_REASONS } from './mailboxes/mail-server-reasons.ts';
import { OUTBOUND_ERROR_REASONS } from './outbound/outbound-reasons.ts';

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

  // Who is calling (issue 12): 401 unauthenticated, 403 forbidden
  /** 401: the request has no `Authorization: Bearer` token (and no IAM signature). */
  authTokenMissing: 'auth.token-missing',
  /** 401: the token does not verify: signature, issuer, client, token use, or not a JWT at all. */
  authTokenInvalid: 'auth.token-invalid',
  /** 401: the token expired; sign in again (the console refreshes it). */
  authTokenExpired: 'auth.token-expired',
  /** 403: the caller's role is too weak for the route, or the user is in no role group at all. */
  authRoleRequired: 'auth.role-required',
  /** 403: the interaction is neither in one of the agent's queues nor claimed by the agent. */
  authNotYourInteraction: 'auth.not-your-interaction',
  /** 403: the queue is not one of the agent's. */
  authNotYourQueue: 'auth.not-your-queue',

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
  /** 404: no user with this username (the console's sign-in directory). */
  userNotFound: 'user.not-found',
  /** 409: a user with this username exists already. */
  userNameTaken: 'user.name-taken',
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
  /** 409: the interaction is claimed; a supervisor assigns it only after it is released. */
  interactionAlreadyClaimed: 'interaction.already-claimed',
  /** 409: the interaction neither waits in a queue nor is claimed (closed, quarantined, set aside). */
  interactionNotWaiting: 'interaction.not-waiting',
  /** 409: only a quarantined interaction can be re-routed from the quarantine. */
  interactionNotQuarantined: 'interaction.not-quarantined',
  /** 422 field issue: the agent named does not take work from the interaction's queue. */
  agentNotInQueue: 'agent.not-in-queue',
  /** 422 field issue: a quarantined interaction with no queue to go to (no address route with one); name a queue. */
  rerouteQueueRequired: 'reroute.queue-required',
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

  ...MAIL_SERVER_ERROR_REASONS,
  ...OUTBOUND_ERROR_REASONS,
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
