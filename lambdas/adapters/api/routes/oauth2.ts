/**
 * The OAuth2 consent routes (issue 10 item 3): `POST /servers/:id/oauth2/consent` answers the
 * consent URL an admin opens (IAM-authorized like every route); `GET /oauth2/callback` is where the
 * provider sends the admin's browser back. A browser redirect cannot be signed, so API Gateway
 * serves the callback without an authorizer (lib/constructs/admin-api.ts) and the consent state
 * alone protects it (unguessable, single use, 10 minutes: core/mailboxes/oauth2-consent.ts).
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { OAUTH2_CALLBACK_PATH } from '../../../../contract/oauth2.ts';
import { completeConsent, consentPage, startConsent, storeClientSecrets, type ConsentDeps } from '../../oauth2/consent.ts';
import { jsonBody, parseBody, parseParams } from '../validation.ts';

/** What the consent routes need: the consent service's ports and where the provider sends the browser back. */
export interface OAuth2ApiDeps extends ConsentDeps {
  /**
   * The API's own `/oauth2/callback` URL, registered with the provider as the redirect URI (deployed:
   * OAUTH2_REDIRECT_URI). @default the consent request's own origin + /oauth2/callback (the local
   * runtime's API address, which is only known once it listens)
   */
  readonly redirectUri?: string;
  /**
   * Runs after a client secret or private key is stored: new credentials reset an SMTP server's
   * integration and resume its held sends (SPEC OUT-5). @default nothing
   */
  readonly onSecretStored?: (serverId: string) => Promise<void>;
}

/** Mail server ids are short opaque tokens; anything else cannot name one. */
const serverParams = z.object({ id: z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be a mail server id')) });

/**
 * Sizes of the OAuth2 secrets an admin stores: Entra ID client secrets are 40 characters, Google's
 * about 35; a 4096-bit RSA key in PKCS#8 PEM is about 3.3 KB. Far above both, far below the API's body limit.
 */
export const OAUTH2_SECRET_LIMITS = { maxClientSecretChars: 1024, maxPrivateKeyChars: 16_384 } as const;

const secretBody = z
  .strictObject({
    clientSecret: z.optional(z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(OAUTH2_SECRET_LIMITS.maxClientSecretChars, `must be at most ${OAUTH2_SECRET_LIMITS.maxClientSecretChars} characters`))),
    privateKey: z.optional(
      z.string().check(
        z.maxLength(OAUTH2_SECRET_LIMITS.maxPrivateKeyChars, `must be at most ${OAUTH2_SECRET_LIMITS.maxPrivateKeyChars} characters`),
        z.regex(/^-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----\s*$/, 'must be a PEM private key (the private_key of the service account JSON key file)'),
      ),
    ),
  })
  .check(z.refine((b) => b.clientSecret !== undefined || b.privateKey !== undefined, 'give clientSecret, privateKey or both'));

/**
 * Headers of the callback page: never cached (it answers a one-time code), no referrer (the URL
 * held the code), nothing loaded or framed (the page is plain text in HTML).
 */
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
} as const;

/**
 * `POST /servers/:id/oauth2/consent` -> `{ url, expiresAt }`; `PUT /servers/:id/oauth2/secret`
 * `{ clientSecret?, privateKey? }` -> 204; `GET /oauth2/callback?state&code|error` -> an HTML page.
 */
export function oauth2Routes(deps: OAuth2ApiDeps): Hono {
  const routes = new Hono();

  routes.post('/servers/:id/oauth2/consent', async (c) => {
    const { id } = parseParams(serverParams, c.req.param());
    return c.json(await startConsent(deps, id, deps.redirectUri ?? new URL(OAUTH2_CALLBACK_PATH, c.req.url).toString()));
  });

  // The secret goes to the secret store only; the answer is empty, so nothing can echo it.
  routes.put('/servers/:id/oauth2/secret', async (c) => {
    const { id } = parseParams(serverParams, c.req.param());
    await storeClientSecrets(deps, id, parseBody(secretBody, await jsonBody(c.req)));
    await deps.onSecretStored?.(id);
    return c.body(null, 204);
  });

  routes.get(OAUTH2_CALLBACK_PATH, async (c) => {
    const q = c.req.query();
    const outcome = await completeConsent(deps, {
      ...(q.state !== undefined && { state: q.state }),
      ...(q.code !== undefined && { code: q.code }),
      ...(q.error !== undefined && { error: q.error }),
    });
    const page = consentPage(outcome);
    return c.html(page.html, page.status as 200 | 400 | 502, PAGE_HEADERS);
  });

  return routes;
}
