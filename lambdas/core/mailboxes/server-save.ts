/**
 * The pure steps of saving a mail server (server-service.ts): an update's patch over the stored
 * settings, the secret after a new password, the health a connection test leaves, and the status
 * row of one server. Nothing here touches storage or the network.
 */
import type { ConnectionTestResult } from './connection.ts';
import { parseMailServerSecret, serializeMailServerSecret } from './oauth2-settings.ts';
import { oauth2Warnings, type MailServerWarning } from './oauth2-warnings.ts';
import type { MailServerInput } from './server-rules.ts';
import { defaultPort, type MailServer, type MailServerHealth, type MailServerSettings } from './server.ts';

/**
 * An update's body: every field optional; an omitted field keeps its stored value, `null` clears
 * an optional one (description, port: back to the default, IMAP folder, SNI name, routing, OAuth2
 * settings, backfill days). A password absent or '' keeps the stored secret.
 */
export type MailServerPatch = { readonly [K in keyof MailServerInput]?: MailServerInput[K] | null };

/** The settings fields an update may clear with `null`. */
const CLEARABLE = ['description', 'port', 'imapFolder', 'sniServerName', 'routing', 'oauth2', 'backfillDays', 'additionalSenders'] as const;

/**
 * The input an update stands for: the stored settings with `patch` over them. A stored port that
 * was the default of the stored type and TLS follows a changed type or TLS, unless the patch names
 * a port: the admin never chose it.
 */
export function patchedInput(stored: MailServerSettings, patch: MailServerPatch): MailServerInput {
  const merged: Record<string, unknown> = { ...settingsOf(stored) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) {
      if ((CLEARABLE as readonly string[]).includes(key)) delete merged[key];
      continue;
    }
    merged[key] = value;
  }
  const typeOrTlsChanged = merged.type !== stored.type || merged.tls !== stored.tls;
  if (patch.port === undefined && typeOrTlsChanged && stored.port === defaultPort(stored.type, stored.tls)) delete merged.port;
  // A POP3 or SMTP server has no folder: the stored INBOX default of an IMAP server turned POP3 goes.
  if (patch.imapFolder === undefined && merged.type !== 'imap' && stored.type === 'imap') delete merged.imapFolder;
  return merged as unknown as MailServerInput;
}

/** Only the settings of a record (what an admin configured), without id, secretRef, health or times. */
export function settingsOf(server: MailServerSettings): MailServerSettings {
  const s = server as Partial<MailServer>;
  return {
    type: s.type!,
    name: s.name!,
    description: s.description!,
    host: s.host!,
    port: s.port!,
    tls: s.tls!,
    requireStartTls: s.requireStartTls!,
    authType: s.authType!,
    user: s.user!,
    ...(s.imapFolder !== undefined && { imapFolder: s.imapFolder }),
    ...(s.sniServerName !== undefined && { sniServerName: s.sniServerName }),
    disableCompression: s.disableCompression!,
    ...(s.routing !== undefined && { routing: s.routing }),
    additionalSenders: s.additionalSenders ?? [],
    role: s.role!,
    enabled: s.enabled!,
    ...(s.oauth2 !== undefined && { oauth2: s.oauth2 }),
    ...(s.backfillDays !== undefined && { backfillDays: s.backfillDays }),
  };
}

/** The stored secret with a new password: `password` replaced, the OAuth2 fields kept. */
export function secretWithPassword(stored: string | undefined, password: string): string {
  return serializeMailServerSecret({ ...parseMailServerSecret(stored), password });
}

/**
 * The health a save leaves: enabled and tested ok (`ok`, the success time, no error, the failure
 * count reset); saved inactive after a failed test (`disabled` with the failure); saved disabled
 * without a test (`disabled`, the last error kept as history).
 */
export function healthAfterSave(enabled: boolean, result: ConnectionTestResult | undefined, at: string): MailServerHealth {
  if (result?.ok && enabled) {
    return { state: 'ok', lastSuccessAt: at, lastError: undefined, lastErrorReason: undefined, consecutiveFailures: 0, nextPollAt: undefined, ...backlogOf(result) };
  }
  if (result && !result.ok) return { state: 'disabled', lastError: result.message, lastErrorReason: result.reason };
  return { state: 'disabled' };
}

/**
 * The health a test of a stored server leaves: a success clears the error (`ok` when enabled); a
 * failure records it (`needs-reauth` on its reason, else `error` when enabled); a disabled server
 * stays `disabled` otherwise.
 */
export function healthAfterTest(server: MailServer, result: ConnectionTestResult, at: string): MailServerHealth {
  if (result.ok) {
    return { state: server.enabled ? 'ok' : 'disabled', lastSuccessAt: at, lastError: undefined, lastErrorReason: undefined, ...backlogOf(result) };
  }
  const state = result.reason === 'needs-reauth' ? 'needs-reauth' : server.enabled ? 'error' : 'disabled';
  return { state, lastError: result.message, lastErrorReason: result.reason };
}

function backlogOf(result: ConnectionTestResult): Partial<MailServerHealth> {
  return result.ok && result.backlog !== undefined ? { backlog: result.backlog } : {};
}

/** One row of `GET /servers/status` and `postroom server status` (SRV-9). */
export interface MailServerStatus {
  readonly id: string;
  readonly name: string;
  readonly type: MailServer['type'];
  readonly host: string;
  readonly enabled: boolean;
  readonly state: MailServer['state'];
  readonly lastSuccessAt?: string;
  readonly lastError?: string;
  readonly lastErrorReason?: string;
  readonly lastPollAt?: string;
  readonly messagesFetched: number;
  readonly backlog?: number;
  readonly consecutiveFailures: number;
  readonly nextPollAt?: string;
  /** OAuth2 client secret expiring within 14 days or expired (oauth2-warnings.ts); absent when none. */
  readonly warnings?: readonly MailServerWarning[];
}

/** The status row of `server`; counters never polled are 0. `now` (for the warnings) @default none: no warnings. */
export function statusOf(server: MailServer, now?: Date): MailServerStatus {
  const warnings = now ? oauth2Warnings(server, now) : [];
  return {
    id: server.id,
    name: server.name,
    type: server.type,
    host: server.host,
    enabled: server.enabled,
    state: server.state,
    ...(server.lastSuccessAt !== undefined && { lastSuccessAt: server.lastSuccessAt }),
    ...(server.lastError !== undefined && { lastError: server.lastError }),
    ...(server.lastErrorReason !== undefined && { lastErrorReason: server.lastErrorReason }),
    ...(server.lastPollAt !== undefined && { lastPollAt: server.lastPollAt }),
    messagesFetched: server.messagesFetched ?? 0,
    ...(server.backlog !== undefined && { backlog: server.backlog }),
    consecutiveFailures: server.consecutiveFailures ?? 0,
    ...(server.nextPollAt !== undefined && { nextPollAt: server.nextPollAt }),
    ...(warnings.length > 0 && { warnings }),
  };
}
