/**
 * The error reasons of the mail server registry (issue 10): fields, connection tests, OAuth2.
 * Joined into ERROR_REASONS (core/error-reasons.ts), whose rules they follow.
 */

/** The mail server registry's reasons, keyed by a name for reading; the values are what the API answers. */
export const MAIL_SERVER_ERROR_REASONS = {
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
} as const;
