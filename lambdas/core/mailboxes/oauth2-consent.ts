/**
 * The authorization-code consent (issue 10 item 3; RFC 6749 4.1, PKCE RFC 7636, state RFC 6749
 * 10.12): an admin opens the consent URL, the provider redirects the browser to Postroom's
 * callback with `state` and `code`. The callback cannot be IAM-signed, so the state is what
 * protects it: 32 random bytes, of which only a SHA-256 is stored (in the server's secret, beside
 * the PKCE verifier), accepted once and for 10 minutes. Knowing the server id forges nothing;
 * a used or replaced state matches no stored hash.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PendingConsent } from './oauth2-settings.ts';
import type { ResolvedOAuth2 } from './oauth2-presets.ts';

/**
 * How long a consent URL stays valid: 10 minutes, the lifetime RFC 6749 4.2.1 recommends for an
 * authorization code; an admin who takes longer starts again.
 */
export const OAUTH2_CONSENT_TTL_MS = 10 * 60 * 1000;

/** Random bytes of a state and of a PKCE verifier: 256 bits, beyond guessing (RFC 7636 7.1). */
const STATE_BYTES = 32;

/** A new consent: the `state` for the URL, what to store in the secret, and the PKCE S256 challenge. */
export interface NewConsent {
  readonly state: string;
  readonly pending: PendingConsent;
  readonly codeChallenge: string;
}

/**
 * Starts a consent for server `serverId`: state = base64url(server id) + '.' + 32 random bytes,
 * so the callback finds the server without a lookup table; the verifier is 32 random bytes
 * (43 base64url characters, RFC 7636 4.1). `random` @default node:crypto randomBytes.
 */
export function newConsent(serverId: string, redirectUri: string, now: Date, random: (n: number) => Buffer = randomBytes): NewConsent {
  const state = `${Buffer.from(serverId, 'utf8').toString('base64url')}.${random(STATE_BYTES).toString('base64url')}`;
  const codeVerifier = random(STATE_BYTES).toString('base64url');
  return {
    state,
    pending: { stateHash: sha256Hex(state), codeVerifier, redirectUri, expiresAt: new Date(now.getTime() + OAUTH2_CONSENT_TTL_MS).toISOString() },
    codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url'),
  };
}

/** The server id a state names, or undefined when it is no state of {@link newConsent}. */
export function consentServerId(state: string): string | undefined {
  const m = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(state);
  if (!m) return undefined;
  const id = Buffer.from(m[1]!, 'base64url').toString('utf8');
  return id.length > 0 && Buffer.from(id, 'utf8').toString('base64url') === m[1] ? id : undefined;
}

/**
 * Whether `state` is the pending consent's, in constant time: `ok`, `unknown` (none pending,
 * another or a used one) or `expired`.
 */
export function checkConsentState(pending: PendingConsent | undefined, state: string, now: Date): 'ok' | 'unknown' | 'expired' {
  if (!pending) return 'unknown';
  const a = Buffer.from(sha256Hex(state), 'hex');
  const b = Buffer.from(pending.stateHash, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return 'unknown';
  return Date.parse(pending.expiresAt) > now.getTime() ? 'ok' : 'expired';
}

/**
 * The URL the admin opens: response_type=code, client_id, redirect_uri, scope, state, PKCE S256,
 * `login_hint` = the mailbox (so the admin signs in as the right account), plus the preset's
 * extra parameters (Google: access_type=offline, prompt=consent).
 */
export function consentUrl(resolved: ResolvedOAuth2, clientId: string, c: { state: string; codeChallenge: string; redirectUri: string; loginHint?: string }): string {
  if (!resolved.authorizeUrl) throw new Error('consentUrl: the flow has no authorization endpoint');
  const url = new URL(resolved.authorizeUrl);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: c.redirectUri,
    scope: resolved.scopes.join(' '),
    state: c.state,
    code_challenge: c.codeChallenge,
    code_challenge_method: 'S256',
    ...(c.loginHint && { login_hint: c.loginHint }),
    ...resolved.authorizeParams,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
