/**
 * The mail server registry as the API answers it (lambdas/adapters/api/routes/servers.ts: the
 * record without its secret reference, `hasSecret` instead; `GET /servers/status` rows). Written
 * out here rather than imported from lambdas/core, whose modules need Node's types.
 */

export type ServerType = 'pop3' | 'imap' | 'smtp';
export type ServerState = 'ok' | 'error' | 'needs-reauth' | 'disabled';
export type InboundRouting = { readonly kind: 'address'; readonly address: string } | { readonly kind: 'flow'; readonly flowId: string };

/** OAuth2 settings (core/mailboxes/oauth2-settings.ts). */
export interface OAuth2Settings {
  readonly provider: 'microsoft' | 'google' | 'custom';
  readonly flow: 'authorization-code' | 'client-credentials' | 'service-account';
  readonly clientId: string;
  readonly tenant?: string;
  readonly authorizeUrl?: string;
  readonly tokenUrl?: string;
  readonly scopes?: readonly string[];
  readonly clientSecretExpiresAt?: string;
}

/** `GET /servers/:id`: every setting and the health; never a secret. */
export interface MailServerView {
  readonly id: string;
  readonly type: ServerType;
  readonly name: string;
  readonly description: string;
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly requireStartTls: boolean;
  readonly authType: 'basic' | 'oauth2';
  readonly user: string;
  readonly imapFolder?: string;
  readonly sniServerName?: string;
  readonly disableCompression: boolean;
  readonly routing?: InboundRouting;
  readonly additionalSenders: readonly string[];
  readonly role: 'agent' | 'template';
  readonly enabled: boolean;
  readonly oauth2?: OAuth2Settings;
  readonly backfillDays?: number;
  readonly state: ServerState;
  readonly lastError?: string;
  readonly lastSuccessAt?: string;
  readonly hasSecret: boolean;
  readonly updatedAt: string;
}

/** `GET /servers/status`: one server's health (SRV-9). */
export interface MailServerStatus {
  readonly id: string;
  readonly state: ServerState;
  readonly enabled: boolean;
  readonly lastSuccessAt?: string;
  readonly lastError?: string;
  readonly lastPollAt?: string;
  readonly messagesFetched: number;
  readonly backlog?: number;
  readonly consecutiveFailures: number;
  readonly warnings?: readonly { readonly code?: string; readonly message?: string }[];
}

/** A connection test in words: "connection successful: …" or "connection failed: …". */
export interface TestView {
  readonly ok: boolean;
  readonly message: string;
  readonly reason?: string;
}

/** What a save answers: the stored server, its test when enabled, the consent URL when asked. */
export interface SaveAnswer {
  readonly server: MailServerView;
  readonly test?: TestView;
  readonly consent?: { readonly url: string; readonly expiresAt: string };
}
