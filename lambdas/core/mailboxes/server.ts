/**
 * The mail server registry's record (issue 10 item 1; SPEC SRV-1..SRV-10; seed
 * manage-email-servers.de.txt): one registry for the inbound POP3/IMAP mailboxes Postroom polls
 * and the outbound SMTP servers it sends through, and the ports the API stores them behind.
 *
 * Secrets (passwords, OAuth2 tokens) never sit in this record (SRV-10): it names where the secret
 * lives (`secretRef`), and only the {@link SecretStore} holds the value. That keeps them out of
 * DynamoDB, out of API answers and out of every log line that prints a server.
 */

import type { OAuth2Settings } from './oauth2-settings.ts';

/** POP3 and IMAP are polled for inbound mail; SMTP sends outbound mail (seed step 1). */
export type MailServerType = 'pop3' | 'imap' | 'smtp';

/** Basic: user and password (also app passwords, seed step 15). OAuth2: SASL XOAUTH2 with a token. */
export type MailServerAuthType = 'basic' | 'oauth2';

/** An agent server carries agents' mail; the template server the organisation's template mail (SRV-8). */
export type MailServerRole = 'agent' | 'template';

/** What the pollers and the connection test last found (SRV-9); `disabled` while not enabled. */
export type MailServerState = 'ok' | 'error' | 'needs-reauth' | 'disabled';

/** Where an inbound server's mail goes (SRV-4): the routing of an address route, or a flow. */
export type InboundRouting = { readonly kind: 'address'; readonly address: string } | { readonly kind: 'flow'; readonly flowId: string };

/** True for the types Postroom polls (POP3, IMAP). */
export function isInboundType(type: MailServerType): boolean {
  return type !== 'smtp';
}

/** Limits of a mail server's settings, in characters (Unicode code points), from the seed. */
export const MAIL_SERVER_LIMITS = {
  /** Seed step 2: a name of up to 200 characters, any Unicode. */
  maxNameChars: 200,
  /** Seed step 2: a description of up to 250 characters, any Unicode. */
  maxDescriptionChars: 250,
  /** Seed step 3: a host name or IP address of up to 70 characters. */
  maxHostChars: 70,
  /** Seed step 6: a user name (usually an address) of up to 255 characters. */
  maxUserChars: 255,
  /** Seed step 6: a password of up to 255 characters (Basic authentication only). */
  maxPasswordChars: 255,
  /** Seed step 8: an IMAP inbox folder of up to 255 characters. */
  maxImapFolderChars: 255,
  /** Seed step 8: a TLS SNI server name of up to 255 characters. */
  maxSniServerNameChars: 255,
  /**
   * Additional sender addresses of one SMTP server (seed step 9 sets none): 100 addresses of at
   * most 254 characters keep the record far below DynamoDB's 400 KB item limit (decision 12).
   */
  maxAdditionalSenders: 100,
} as const;

/**
 * The port a server listens on when the admin names none (seed step 4): IANA's implicit-TLS port
 * when TLS is set (IMAPS 993, POP3S 995, SMTP submissions 465, RFC 8314), otherwise the plain port
 * that may upgrade with STARTTLS (143, 110, and submission 587 rather than relay port 25).
 */
export const DEFAULT_MAIL_SERVER_PORTS: Readonly<Record<MailServerType, { readonly tls: number; readonly plain: number }>> = {
  imap: { tls: 993, plain: 143 },
  pop3: { tls: 995, plain: 110 },
  smtp: { tls: 465, plain: 587 },
};

/** The IMAP folder polled when the admin names none (seed step 8). */
export const DEFAULT_IMAP_FOLDER = 'INBOX';

/** How far back the first poll of a new inbound server fetches, in days, when the admin names nothing (issue 10 item 5). */
export const DEFAULT_BACKFILL_DAYS = 7;

/**
 * The default port for `type` with or without implicit TLS ({@link DEFAULT_MAIL_SERVER_PORTS}).
 */
export function defaultPort(type: MailServerType, tls: boolean): number {
  const ports = DEFAULT_MAIL_SERVER_PORTS[type];
  return tls ? ports.tls : ports.plain;
}

/** What an admin configures, with the defaults applied (server-rules.ts normalizes an input into this). */
export interface MailServerSettings {
  readonly type: MailServerType;
  /** 1-200 characters. */
  readonly name: string;
  /** Up to 250 characters; '' when none. */
  readonly description: string;
  /** A host name (Unicode labels allowed) or an IPv4/IPv6 address; lower-case; up to 70 characters. */
  readonly host: string;
  /** 1-65535; default {@link defaultPort}. */
  readonly port: number;
  /** Implicit TLS from the first byte. Default true. */
  readonly tls: boolean;
  /** Without implicit TLS: refuse to log in unless the server upgrades with STARTTLS. Default false. */
  readonly requireStartTls: boolean;
  /** Default basic. */
  readonly authType: MailServerAuthType;
  /** The login; for inbound servers the mailbox, for SMTP the default sender when it is an address (SRV-7). */
  readonly user: string;
  /** IMAP only: the folder polled; default INBOX. */
  readonly imapFolder?: string;
  /** The TLS SNI name; required when the host is an IP address and TLS is used. */
  readonly sniServerName?: string;
  /** IMAP only: never negotiate COMPRESS=DEFLATE. Default false. */
  readonly disableCompression: boolean;
  /** Inbound only: where fetched mail goes; required to enable an inbound server (SRV-4). */
  readonly routing?: InboundRouting;
  /** SMTP only: further From addresses this server sends as (SRV-7), lower-case. Default none. */
  readonly additionalSenders: readonly string[];
  /** Default agent; `template` only for SMTP, and for at most one server (SRV-8). */
  readonly role: MailServerRole;
  /** Polled (inbound) or used for sending (SMTP). Default false. */
  readonly enabled: boolean;
  /** With authType oauth2: provider, flow and client (oauth2-settings.ts); its secrets live in the SecretStore. */
  readonly oauth2?: OAuth2Settings;
  /** Inbound only: how far back the first poll fetches (the bounded backfill). Default 7 days. */
  readonly backfillDays?: number;
}

/** What the pollers and the connection test record about a server (SRV-9); never conditional on the settings' version. */
export interface MailServerHealth {
  readonly state: MailServerState;
  /** ISO time of the last successful poll or connection test. */
  readonly lastSuccessAt?: string;
  /** The last failure in words an admin understands (no secret, no raw protocol dump). */
  readonly lastError?: string;
  /** Why the last attempt failed, as a code (connection.ts ConnectionFailureReason, or `stalled`). */
  readonly lastErrorReason?: string;
  /** ISO time of the last poll attempt, successful or not. */
  readonly lastPollAt?: string;
  /** Polls failed in a row since the last success (drives the backoff and the alarm). */
  readonly consecutiveFailures?: number;
  /** While backing off: the dispatcher enqueues no poll job before this ISO time. */
  readonly nextPollAt?: string;
  /** Messages fetched (stored and enqueued) over the server's life. */
  readonly messagesFetched?: number;
  /** Messages waiting on the server at the last poll (IMAP: beyond the cursor; POP3: not yet fetched). */
  readonly backlog?: number;
  /** ISO time a poll last fetched at least one message (stall detection). */
  readonly lastFetchAt?: string;
}

/** The health fields a stored server carries (MailServerHealth's keys), for the store and the poll health alike. */
export const MAIL_SERVER_HEALTH_FIELDS = [
  'state',
  'lastSuccessAt',
  'lastError',
  'lastErrorReason',
  'lastPollAt',
  'consecutiveFailures',
  'nextPollAt',
  'messagesFetched',
  'backlog',
  'lastFetchAt',
] as const satisfies readonly (keyof MailServerHealth)[];

/** One registered mail server, as the config table stores it. */
export interface MailServer extends MailServerSettings, MailServerHealth {
  /** Assigned by the API; the key. */
  readonly id: string;
  /** Where the password or OAuth2 tokens live in the {@link SecretStore}; absent while none is stored. */
  readonly secretRef?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The config table's mail servers; conditional writes, like the other config stores. */
export interface MailServerStore {
  get(id: string): Promise<MailServer | undefined>;
  /** Every server, by name. */
  list(): Promise<MailServer[]>;
  /** `exists` when a server with that id is stored already. */
  create(server: MailServer): Promise<'created' | 'exists'>;
  /** Replaces the server if it is still at `expectedUpdatedAt` (an admin's edit). */
  update(server: MailServer, expectedUpdatedAt: string): Promise<'updated' | 'missing' | 'conflict'>;
  /**
   * Writes only the health fields, whatever the settings' version: a poll finishing while an admin
   * edits must neither fail nor undo the edit.
   */
  setHealth(id: string, health: MailServerHealth): Promise<'updated' | 'missing'>;
  /** False when it was not there. */
  delete(id: string): Promise<boolean>;
}

/** Where secrets live (Secrets Manager; locally a 0600 file), addressed by a server's `secretRef`. */
export interface SecretStore {
  /** Creates or replaces the secret. */
  put(ref: string, value: string): Promise<void>;
  /** Undefined when no secret is stored under `ref`. */
  get(ref: string): Promise<string | undefined>;
  /** Does nothing when there was none. */
  delete(ref: string): Promise<void>;
}

/**
 * The secret reference of server `id`: a Secrets Manager name (letters, digits and `/_+=.@-`), so
 * the one IAM policy `postroom/mail-servers/*` covers every server's secret and nothing else.
 */
export function mailServerSecretRef(id: string): string {
  return `postroom/mail-servers/${id}`;
}

/**
 * A new record for validated settings: the state is `ok` when enabled (saving an enabled server
 * has just passed the connection test, SRV-6), otherwise `disabled`. `secretRef` @default none.
 */
export function newMailServer(settings: MailServerSettings, id: string, now: string, secretRef?: string): MailServer {
  return {
    ...settings,
    id,
    ...(secretRef !== undefined && { secretRef }),
    state: settings.enabled ? 'ok' : 'disabled',
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * A copy of `server` under `newName` for the admin to adjust (seed: "duplicate"): disabled, an
 * agent server (at most one template server), without its secret reference (the copy must not
 * share or see the original's password or tokens) and without id, health or timestamps. The API
 * validates and stores it like any new server.
 */
export function duplicateMailServer(server: MailServer, newName: string): MailServerSettings {
  const {
    id: _id,
    secretRef: _secret,
    state: _state,
    lastSuccessAt: _ok,
    lastError: _error,
    lastErrorReason: _reason,
    lastPollAt: _poll,
    consecutiveFailures: _failures,
    nextPollAt: _next,
    messagesFetched: _fetched,
    backlog: _backlog,
    lastFetchAt: _fetch,
    createdAt: _c,
    updatedAt: _u,
    ...settings
  } = server;
  return { ...settings, name: newName, enabled: false, role: 'agent' };
}
