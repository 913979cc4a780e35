/**
 * The names of the Lambdas' environment variables: the CDK constructs set them (each in exactly one
 * place, lib/constructs) and the validating getters of lambdas/adapters/env.ts read them, so a
 * renamed variable cannot leave one side behind.
 */

/** Environment variable names by what they carry. */
export const ENV = {
  interactionsTable: 'INTERACTIONS_TABLE',
  queuesTable: 'QUEUES_TABLE',
  configTable: 'CONFIG_TABLE',
  mailBucket: 'MAIL_BUCKET',
  /** How many domains the organisation may serve (DOMAIN_LIMITS). */
  maxDomains: 'MAX_DOMAINS',
  /** Postroom's SES configuration set, which every domain identity is associated with. */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** The receipt rule set and rule whose recipient list the domain registry owns. */
  receiptRuleSet: 'RECEIPT_RULE_SET',
  receiptRule: 'RECEIPT_RULE',
  /** The EventBridge bus domain events (verified, drift) go to. */
  eventBus: 'EVENT_BUS_NAME',
  defaultQueueId: 'DEFAULT_QUEUE_ID',
  defaultPriority: 'DEFAULT_PRIORITY',
  threadWindowDays: 'THREAD_WINDOW_DAYS',
  inboundQueueUrl: 'INBOUND_QUEUE_URL',
  /** The outbound queue: notices `{ outboxId }` for the sender (issue 11). */
  outboundQueueUrl: 'OUTBOUND_QUEUE_URL',
  /** The outbound queue's maxReceiveCount: the sender's last receive before the DLQ gives up. */
  outboundMaxReceiveCount: 'OUTBOUND_MAX_RECEIVE_COUNT',
  /**
   * The deployment's bounce domain (a served domain): SMTP sends carry `bounces+<outboxId>@` it as
   * MAIL FROM (VERP), and ingest reads the DSNs that come back to it. Unset: SMTP sends use the From
   * address as MAIL FROM and their bounces reach that mailbox, untracked.
   */
  returnPathDomain: 'RETURN_PATH_DOMAIN',
  languages: 'ROUTING_LANGUAGES',
  contentDelivery: 'CONTENT_DELIVERY',
  deadLetterBucket: 'DEAD_LETTER_BUCKET',
  /** The FIFO queue of mailbox poll jobs (message group = server id). */
  pollJobQueueUrl: 'POLL_JOB_QUEUE_URL',
  /** The queue of delayed ticks that trigger POP3's 20-s and 40-s slots. */
  pollTickQueueUrl: 'POLL_TICK_QUEUE_URL',
  /** The API's OAuth2 redirect URI (its URL + /oauth2/callback), which consent URLs name. */
  oauth2RedirectUri: 'OAUTH2_REDIRECT_URI',
  /** The console's token issuer (the Cognito user pool's issuer URL); its JWKS is `<issuer>/.well-known/jwks.json`. */
  authIssuer: 'AUTH_ISSUER',
  /** The console's app client id: tokens of other clients are refused. */
  authClientId: 'AUTH_CLIENT_ID',
  /** The Cognito user pool the users routes manage (admin function only). */
  userPoolId: 'USER_POOL_ID',
} as const;
