/**
 * {@link CredentialSource} over the secret store (issue 10 item 3): the pollers, the connection
 * test and the SMTP sender ask it before every session. Basic servers get their stored password;
 * OAuth2 servers the stored access token while it is valid, else a new one (refresh token, client
 * credentials or a service-account JWT), written back to the server's secret at once so the next
 * poll reuses it: a valid token is never refreshed, an expired one once.
 *
 * A refused grant (`needs-reauth`) drops that server's dead tokens and, with a store, sets that
 * server's health to needs-reauth; it reads and writes no other server's secret. Concurrency: the
 * poll queue's message group is the server id, so one server's tokens are refreshed by one poll at
 * a time; a connection test racing a poll at worst refreshes twice, and both tokens are valid.
 */
import { MailConnectionError, type CredentialSource, type MailCredentials } from '../../core/mailboxes/connection.ts';
import { resolveOAuth2 } from '../../core/mailboxes/oauth2-presets.ts';
import { parseMailServerSecret, serializeMailServerSecret, type MailServerSecret } from '../../core/mailboxes/oauth2-settings.ts';
import { refreshTokenIdle, REFRESH_TOKEN_IDLE_DAYS } from '../../core/mailboxes/oauth2-warnings.ts';
import type { MailServer, MailServerStore, SecretStore } from '../../core/mailboxes/server.ts';
import type { TokenClient, TokenSet } from './token-client.ts';

/**
 * An access token within 60 s of its expiry counts as expired: a poll that starts with it must
 * still log in with it, and clocks drift.
 */
export const ACCESS_TOKEN_SKEW_MS = 60_000;

export interface CredentialSourceOptions {
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** When given, a refused grant sets that server's health to needs-reauth at once. @default none (the caller records the error) */
  readonly servers?: Pick<MailServerStore, 'setHealth'>;
}

/** The credential source over `secrets`, asking `tokens` when an access token must be obtained. Defaults: system clock, no store. */
export function storedCredentialSource(secrets: SecretStore, tokens: TokenClient, options: CredentialSourceOptions = {}): CredentialSource {
  const now = options.now ?? (() => new Date());
  return {
    async credentialsFor(server: MailServer): Promise<MailCredentials> {
      const { ref, secret } = await readSecret(secrets, server);
      if (server.authType !== 'oauth2') {
        if (!secret.password) throw new MailConnectionError('no-secret', `no password is stored for server ${server.name}: set one with postroom server update`);
        return { kind: 'password', user: server.user, password: secret.password };
      }
      const o = secret.oauth2;
      if (o?.accessToken && o.accessTokenExpiresAt && Date.parse(o.accessTokenExpiresAt) - ACCESS_TOKEN_SKEW_MS > now().getTime()) {
        return { kind: 'oauth2', user: server.user, accessToken: o.accessToken };
      }
      const fresh = await obtainToken({ secrets, tokens, now, servers: options.servers }, server, ref, secret);
      return { kind: 'oauth2', user: server.user, accessToken: fresh.accessToken };
    },
  };
}

/** What {@link refreshIdleTokens} did: the servers refreshed and those that failed, with the reason. */
export interface IdleRefreshOutcome {
  readonly refreshed: string[];
  readonly failed: { readonly id: string; readonly reason: string; readonly message: string }[];
}

/**
 * Refreshes the refresh tokens of the given servers that sat unused {@link REFRESH_TOKEN_IDLE_DAYS}
 * days or more (an SMTP server that sends rarely, a disabled mailbox), before Microsoft's 90-day
 * idle expiry. Only OAuth2 authorization-code servers with a stored refresh token are touched.
 * One server's failure never stops the others; a refused grant marks that server needs-reauth.
 * Meant for the dispatcher, once per run or less (it reads every OAuth2 server's secret).
 */
export async function refreshIdleTokens(
  servers: readonly MailServer[],
  deps: { readonly secrets: SecretStore; readonly tokens: TokenClient; readonly now?: () => Date; readonly servers?: Pick<MailServerStore, 'setHealth'> },
): Promise<IdleRefreshOutcome> {
  const now = deps.now ?? (() => new Date());
  const outcome: IdleRefreshOutcome = { refreshed: [], failed: [] };
  for (const server of servers) {
    if (server.authType !== 'oauth2' || server.oauth2?.flow !== 'authorization-code' || !server.secretRef) continue;
    try {
      const { ref, secret } = await readSecret(deps.secrets, server);
      if (!refreshTokenIdle(secret, now())) continue;
      await obtainToken({ ...deps, now }, server, ref, secret);
      outcome.refreshed.push(server.id);
    } catch (err) {
      const reason = err instanceof MailConnectionError ? err.reason : 'protocol';
      outcome.failed.push({ id: server.id, reason, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return outcome;
}

interface Deps {
  readonly secrets: SecretStore;
  readonly tokens: TokenClient;
  readonly now: () => Date;
  readonly servers?: Pick<MailServerStore, 'setHealth'> | undefined;
}

async function readSecret(secrets: SecretStore, server: MailServer): Promise<{ ref: string; secret: MailServerSecret }> {
  if (!server.secretRef) throw new MailConnectionError('no-secret', `no secret is stored for server ${server.name}`);
  return { ref: server.secretRef, secret: parseMailServerSecret(await secrets.get(server.secretRef)) };
}

/** A new access token for `server` by its flow, stored back into its secret (rotated refresh token kept). */
async function obtainToken(deps: Deps, server: MailServer, ref: string, secret: MailServerSecret): Promise<TokenSet> {
  const settings = server.oauth2;
  if (!settings) throw new MailConnectionError('authentication', `server ${server.name} uses OAuth2 but has no OAuth2 settings`);
  const resolved = resolveOAuth2(settings, server.type);
  const o = secret.oauth2 ?? {};
  const client = { tokenUrl: resolved.tokenUrl, clientId: settings.clientId, ...(o.clientSecret !== undefined && { clientSecret: o.clientSecret }) };
  let issued: TokenSet;
  try {
    if (settings.flow === 'authorization-code') {
      if (!o.refreshToken) throw new MailConnectionError('needs-reauth', `no OAuth2 consent is stored for server ${server.name}: run postroom server auth ${server.id}`);
      issued = await deps.tokens.refresh({ ...client, refreshToken: o.refreshToken, scopes: resolved.scopes });
    } else if (settings.flow === 'client-credentials') {
      if (o.clientSecret === undefined) throw new MailConnectionError('no-secret', `no OAuth2 client secret is stored for server ${server.name}`);
      issued = await deps.tokens.clientCredentials({ ...client, scopes: resolved.scopes });
    } else {
      if (!o.privateKey) throw new MailConnectionError('no-secret', `no service account private key is stored for server ${server.name}`);
      issued = await deps.tokens.serviceAccount({ ...client, privateKey: o.privateKey, subject: server.user, scopes: resolved.scopes });
    }
  } catch (err) {
    if (err instanceof MailConnectionError && err.reason === 'needs-reauth') await markNeedsReauth(deps, server, ref, err);
    throw err;
  }
  const at = deps.now().toISOString();
  const refreshToken = issued.refreshToken ?? o.refreshToken;
  const next: MailServerSecret = {
    ...secret,
    oauth2: {
      ...o,
      accessToken: issued.accessToken,
      accessTokenExpiresAt: issued.expiresAt,
      ...(refreshToken !== undefined && { refreshToken, refreshTokenUsedAt: at }),
    },
  };
  await deps.secrets.put(ref, serializeMailServerSecret(next));
  return issued;
}

/**
 * A refused grant: the refresh and access tokens are dead, so they are dropped (the next poll asks
 * for a consent rather than hammering the provider), the client secret and key stay; the server's
 * health says needs-reauth with the provider's words. Re-reads the secret so nothing else is lost.
 */
async function markNeedsReauth(deps: Deps, server: MailServer, ref: string, err: MailConnectionError): Promise<void> {
  const current = parseMailServerSecret(await deps.secrets.get(ref));
  if (current.oauth2?.refreshToken || current.oauth2?.accessToken) {
    const { accessToken: _a, accessTokenExpiresAt: _e, refreshToken: _r, refreshTokenUsedAt: _u, ...rest } = current.oauth2;
    await deps.secrets.put(ref, serializeMailServerSecret({ ...current, oauth2: rest }));
  }
  // Only these fields: setHealth leaves the poll counters as the pollers wrote them.
  if (deps.servers) await deps.servers.setHealth(server.id, { state: 'needs-reauth', lastError: err.message, lastErrorReason: 'needs-reauth' });
}
