/**
 * The authorization-code consent of a mail server (issue 10 item 3, seed step 7): `postroom server
 * auth ID` gets a consent URL ({@link startConsent}); the provider sends the admin's browser to
 * `/oauth2/callback`, which {@link completeConsent} answers: the state is checked and spent, the
 * code exchanged (PKCE), the refresh token stored in the server's secret and the server taken out
 * of needs-reauth. The state rules live in core/mailboxes/oauth2-consent.ts.
 */
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { ERROR_REASONS as R, type ErrorReason } from '../../core/error-reasons.ts';
import { MailConnectionError } from '../../core/mailboxes/connection.ts';
import { checkConsentState, consentServerId, consentUrl, newConsent } from '../../core/mailboxes/oauth2-consent.ts';
import { resolveOAuth2 } from '../../core/mailboxes/oauth2-presets.ts';
import { parseMailServerSecret, serializeMailServerSecret, type MailServerSecret } from '../../core/mailboxes/oauth2-settings.ts';
import { mailServerSecretRef, type MailServer, type MailServerStore, type SecretStore } from '../../core/mailboxes/server.ts';
import { CLEARED_FAILURE } from './server-health.ts';
import type { TokenClient } from './token-client.ts';

export interface ConsentDeps {
  readonly servers: Pick<MailServerStore, 'get' | 'update' | 'setHealth'>;
  readonly secrets: SecretStore;
  readonly tokens: TokenClient;
  readonly now: () => Date;
  /** @default node:crypto randomBytes (tests pass their own to make states predictable) */
  readonly random?: (n: number) => Buffer;
}

/** The consent URL to open, valid until `expiresAt` (10 minutes), once. */
export interface StartedConsent {
  readonly url: string;
  readonly expiresAt: string;
}

/**
 * Starts a consent for server `serverId`, returning to `redirectUri`: a new state and PKCE verifier
 * replace any pending consent (an older URL stops working). A server without a secret reference
 * gets {@link mailServerSecretRef} recorded.
 * @throws NotFoundError `mail-server.not-found`; ConflictError `mail-server.oauth2-no-consent` unless OAuth2 with the authorization-code flow
 */
export async function startConsent(deps: ConsentDeps, serverId: string, redirectUri: string): Promise<StartedConsent> {
  const server = await withSecretRef(deps, await consentServer(deps, serverId));
  const ref = server.secretRef!;
  const consent = newConsent(server.id, redirectUri, deps.now(), deps.random);
  const secret = parseMailServerSecret(await deps.secrets.get(ref));
  await deps.secrets.put(ref, serializeMailServerSecret({ ...secret, oauth2: { ...secret.oauth2, pendingConsent: consent.pending } }));
  const resolved = resolveOAuth2(server.oauth2!, server.type);
  const url = consentUrl(resolved, server.oauth2!.clientId, { state: consent.state, codeChallenge: consent.codeChallenge, redirectUri, loginHint: server.user });
  return { url, expiresAt: consent.pending.expiresAt };
}

/**
 * "Re-authenticate on save" (seed step 7): drops the server's refresh and access tokens, sets its
 * health to needs-reauth and starts a new consent, whose URL the save answers.
 */
export async function reauthenticate(deps: ConsentDeps, server: MailServer, redirectUri: string): Promise<StartedConsent> {
  if (server.secretRef) {
    const secret = parseMailServerSecret(await deps.secrets.get(server.secretRef));
    const { refreshToken: _r, refreshTokenUsedAt: _u, accessToken: _a, accessTokenExpiresAt: _e, ...rest } = secret.oauth2 ?? {};
    await deps.secrets.put(server.secretRef, serializeMailServerSecret({ ...secret, oauth2: rest }));
  }
  await deps.servers.setHealth(server.id, { state: 'needs-reauth', lastError: 'a new OAuth2 consent was requested on save', lastErrorReason: 'needs-reauth' });
  return startConsent(deps, server.id, redirectUri);
}

/** The OAuth2 secrets an admin stores: a confidential client's secret, a service account's PEM key. */
export interface OAuth2ClientSecrets {
  readonly clientSecret?: string;
  readonly privateKey?: string;
}

/**
 * Stores the client secret and/or service-account key of OAuth2 server `serverId` in its secret,
 * beside its tokens (a new client secret does not end the consent). A server without a secret
 * reference gets {@link mailServerSecretRef} recorded. Nothing stored is ever answered.
 * @throws NotFoundError `mail-server.not-found`; ConflictError `mail-server.oauth2-not-allowed` for a Basic server
 */
export async function storeClientSecrets(deps: Pick<ConsentDeps, 'servers' | 'secrets'>, serverId: string, given: OAuth2ClientSecrets): Promise<void> {
  let server = await deps.servers.get(serverId);
  if (!server) throw new NotFoundError(R.mailServerNotFound, 'mail server', serverId);
  if (server.authType !== 'oauth2') throw new ConflictError(R.mailServerOAuth2NotAllowed, `server ${serverId} uses Basic authentication; store its password with postroom server update`);
  server = await withSecretRef(deps, server);
  const secret = parseMailServerSecret(await deps.secrets.get(server.secretRef!));
  await deps.secrets.put(server.secretRef!, serializeMailServerSecret({ ...secret, oauth2: { ...secret.oauth2, ...given } }));
}

/** `server`, with {@link mailServerSecretRef} recorded when it had no secret reference yet. */
async function withSecretRef(deps: Pick<ConsentDeps, 'servers'>, server: MailServer): Promise<MailServer> {
  if (server.secretRef) return server;
  const withRef: MailServer = { ...server, secretRef: mailServerSecretRef(server.id) };
  if ((await deps.servers.update(withRef, server.updatedAt)) !== 'updated') throw new ConflictError(R.mailServerChanged, `server ${server.id} changed meanwhile; run the command again`);
  return withRef;
}

/** What the callback answers: the consent stored, refused by the admin, or failed (bad state, refused code). */
export type ConsentOutcome =
  | { readonly kind: 'stored'; readonly server: MailServer }
  | { readonly kind: 'denied'; readonly server: MailServer; readonly error: string }
  | { readonly kind: 'failed'; readonly status: 400 | 502; readonly message: string; readonly reason?: ErrorReason };

/**
 * Answers the provider's redirect. The state must be the pending one of the server it names, within
 * 10 minutes; it is spent before anything else, so a replay (even of a failed exchange) is refused.
 * `error` (e.g. access_denied) stores nothing. Otherwise the code is exchanged with the PKCE
 * verifier; the tokens go to the server's secret and its health back to ok (disabled when not enabled).
 */
export async function completeConsent(deps: ConsentDeps, q: { state?: string; code?: string; error?: string }): Promise<ConsentOutcome> {
  const invalid: ConsentOutcome = { kind: 'failed', status: 400, reason: R.oauth2StateInvalid, message: 'This consent link is unknown, expired or used already. Run postroom server auth again.' };
  const id = q.state ? consentServerId(q.state) : undefined;
  const server = id === undefined ? undefined : await deps.servers.get(id);
  if (!server?.secretRef || !q.state) return invalid;
  const ref = server.secretRef;
  const secret = parseMailServerSecret(await deps.secrets.get(ref));
  const pending = secret.oauth2?.pendingConsent;
  if (checkConsentState(pending, q.state, deps.now()) !== 'ok' || !pending) return invalid;
  const { pendingConsent: _spent, ...oauth2 } = secret.oauth2 ?? {};
  await deps.secrets.put(ref, serializeMailServerSecret({ ...secret, oauth2 }));
  if (q.error !== undefined || !q.code) return { kind: 'denied', server, error: (q.error ?? 'no code').slice(0, 100) };
  const settings = server.oauth2;
  if (server.authType !== 'oauth2' || settings?.flow !== 'authorization-code') return { kind: 'failed', status: 400, message: 'This server no longer uses the OAuth2 authorization-code flow.' };
  try {
    const issued = await deps.tokens.exchangeCode({
      tokenUrl: resolveOAuth2(settings, server.type).tokenUrl,
      clientId: settings.clientId,
      ...(oauth2.clientSecret !== undefined && { clientSecret: oauth2.clientSecret }),
      code: q.code,
      codeVerifier: pending.codeVerifier,
      redirectUri: pending.redirectUri,
    });
    if (!issued.refreshToken) return { kind: 'failed', status: 502, message: 'The provider issued no refresh token: the scopes must include offline access (Microsoft: offline_access; Google: access_type=offline).' };
    const at = deps.now().toISOString();
    const stored: MailServerSecret = {
      ...secret,
      oauth2: { ...oauth2, refreshToken: issued.refreshToken, refreshTokenUsedAt: at, accessToken: issued.accessToken, accessTokenExpiresAt: issued.expiresAt },
    };
    await deps.secrets.put(ref, serializeMailServerSecret(stored));
  } catch (err) {
    if (err instanceof MailConnectionError) return { kind: 'failed', status: err.reason === 'needs-reauth' || err.reason === 'authentication' ? 400 : 502, message: err.message };
    throw err;
  }
  // setHealth writes the fields named; an undefined one is removed: the error and any backoff go, so the next poll runs at once.
  await deps.servers.setHealth(server.id, { state: server.enabled ? 'ok' : 'disabled', ...CLEARED_FAILURE });
  return { kind: 'stored', server };
}

/** The small page the admin's browser shows after the redirect; every value is HTML-escaped. */
export function consentPage(outcome: ConsentOutcome): { status: number; html: string } {
  const page = (title: string, text: string) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
  if (outcome.kind === 'stored') return { status: 200, html: page(`Postroom: consent stored for ${outcome.server.name}`, 'You can close this window. The server is polled with the new consent.') };
  if (outcome.kind === 'denied') {
    return { status: 400, html: page(`Postroom: consent refused for ${outcome.server.name}`, `The provider answered ${outcome.error}. Nothing was stored; run postroom server auth ${outcome.server.id} to try again.`) };
  }
  return { status: outcome.status, html: page('Postroom: consent not stored', outcome.message) };
}

/** Escapes the five HTML-significant characters. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

async function consentServer(deps: ConsentDeps, serverId: string): Promise<MailServer> {
  const server = await deps.servers.get(serverId);
  if (!server) throw new NotFoundError(R.mailServerNotFound, 'mail server', serverId);
  if (server.authType !== 'oauth2' || server.oauth2?.flow !== 'authorization-code') {
    throw new ConflictError(R.mailServerOAuth2NoConsent, `server ${serverId} does not use OAuth2 with the authorization-code flow, so it takes no consent`);
  }
  return server;
}
