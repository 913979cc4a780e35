/**
 * OAuth2 expiry warnings and idle-token rules (issue 10 item 3: "an OAuth token expires and nobody
 * notices for days"). Pure: the status view and the dispatcher pass the server, its secret and the time.
 */
import type { MailServerSecret } from './oauth2-settings.ts';
import type { MailServer } from './server.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Warn this many days before a client secret expires: two weeks leave an admin time to rotate it (issue 10 item 3). */
export const CLIENT_SECRET_WARNING_DAYS = 14;

/**
 * A refresh token unused this many days is refreshed anyway: Microsoft expires refresh tokens idle
 * for 90 days; 60 leaves a month of failed attempts before that happens.
 */
export const REFRESH_TOKEN_IDLE_DAYS = 60;

/** At most one `Mail Server Secret Expiring` event per server in this many hours: a reminder, not a flood. */
export const SECRET_EXPIRY_EVENT_INTERVAL_HOURS = 24;

/** One warning on a server, in words an admin understands, with a stable kind to key text on. */
export interface MailServerWarning {
  readonly kind: 'client-secret-expiring' | 'client-secret-expired';
  readonly message: string;
  /** ISO time the client secret expires (a bare date counts from its start, UTC). */
  readonly expiresAt: string;
}

/**
 * The warnings of `server` at `now`: its client secret (`oauth2.clientSecretExpiresAt`) has expired,
 * or expires within {@link CLIENT_SECRET_WARNING_DAYS} days. Empty for Basic servers, servers
 * without a recorded expiry and an unparsable date.
 */
export function oauth2Warnings(server: Pick<MailServer, 'authType' | 'oauth2'>, now: Date): MailServerWarning[] {
  const at = server.authType === 'oauth2' ? server.oauth2?.clientSecretExpiresAt : undefined;
  if (at === undefined) return [];
  const expires = Date.parse(at);
  if (Number.isNaN(expires)) return [];
  const expiresAt = new Date(expires).toISOString();
  const left = expires - now.getTime();
  if (left <= 0) {
    return [{ kind: 'client-secret-expired', expiresAt, message: `the OAuth2 client secret expired on ${expiresAt.slice(0, 10)}: create a new one and store it` }];
  }
  if (left <= CLIENT_SECRET_WARNING_DAYS * DAY_MS) {
    const days = Math.ceil(left / DAY_MS);
    return [{ kind: 'client-secret-expiring', expiresAt, message: `the OAuth2 client secret expires in ${days} day${days === 1 ? '' : 's'} (${expiresAt.slice(0, 10)}): create a new one and store it` }];
  }
  return [];
}

/** True when no expiry event was emitted for the secret in the last {@link SECRET_EXPIRY_EVENT_INTERVAL_HOURS} hours. */
export function expiryEventDue(secret: MailServerSecret, now: Date): boolean {
  const last = secret.oauth2?.expiryWarnedAt;
  return last === undefined || now.getTime() - Date.parse(last) >= SECRET_EXPIRY_EVENT_INTERVAL_HOURS * 60 * 60 * 1000 || Number.isNaN(Date.parse(last));
}

/**
 * True when the stored refresh token was last used (or issued) {@link REFRESH_TOKEN_IDLE_DAYS} days
 * ago or more, so it should be refreshed before the provider expires it. A token without a
 * recorded use counts as idle (refreshing once records it).
 */
export function refreshTokenIdle(secret: MailServerSecret, now: Date, idleDays: number = REFRESH_TOKEN_IDLE_DAYS): boolean {
  const o = secret.oauth2;
  if (!o?.refreshToken) return false;
  const used = o.refreshTokenUsedAt === undefined ? Number.NaN : Date.parse(o.refreshTokenUsedAt);
  return Number.isNaN(used) || now.getTime() - used >= idleDays * DAY_MS;
}
