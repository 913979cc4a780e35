/**
 * The JSON shapes of `POST /servers` and `PATCH /servers/:id`. Only types and hostile-input caps are
 * checked here; the seed's limits (200/250/70/255 characters, counted in code points), defaults
 * and the rules between fields are core's (core/mailboxes/server-rules.ts), which answers them per
 * field with its own message.
 */
import * as z from 'zod/mini';
import type { OAuth2Flow, OAuth2Provider } from '../../../core/mailboxes/oauth2-settings.ts';

/**
 * Caps far above every real value (the seed's largest limit is 255 characters; a UTF-16 string of
 * 255 code points is at most 510 units), so a hostile body is refused before the rules run on it.
 */
export const SERVER_SHAPE_LIMITS = {
  /** Any text setting, in UTF-16 units. */
  maxTextUnits: 1_024,
  /** Additional sender addresses in one body: ten times the rule's 100, so the rule words the refusal. */
  maxSenders: 1_000,
  /** OAuth2 scopes in one body. */
  maxScopes: 50,
} as const;

const text = z.string().check(z.maxLength(SERVER_SHAPE_LIMITS.maxTextUnits, `at most ${SERVER_SHAPE_LIMITS.maxTextUnits} characters`));
const type = z.enum(['pop3', 'imap', 'smtp'], { error: 'must be pop3, imap or smtp' });
const port = z.number({ error: 'must be a port number from 1 to 65535' });
const authType = z.enum(['basic', 'oauth2'], { error: 'must be basic or oauth2' });
const role = z.enum(['agent', 'template'], { error: 'must be agent or template' });
const routing = z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('address'), address: text }), z.strictObject({ kind: z.literal('flow'), flowId: text })], {
  error: 'must be { "kind": "address", "address": … } or { "kind": "flow", "flowId": … }',
});
const senders = z.array(text).check(z.maxLength(SERVER_SHAPE_LIMITS.maxSenders, `at most ${SERVER_SHAPE_LIMITS.maxSenders} addresses`));
const oauth2 = z.strictObject({
  // Any text: the rules answer an unknown provider or flow on its own field (server-option-rules.ts).
  provider: z.pipe(text, z.transform((v) => v as OAuth2Provider)),
  flow: z.pipe(text, z.transform((v) => v as OAuth2Flow)),
  clientId: text,
  tenant: z.optional(text),
  authorizeUrl: z.optional(text),
  tokenUrl: z.optional(text),
  scopes: z.optional(z.array(text).check(z.maxLength(SERVER_SHAPE_LIMITS.maxScopes))),
  clientSecretExpiresAt: z.optional(text),
  reauthenticateOnSave: z.optional(z.boolean({ error: 'must be true or false' })),
});
const backfillDays = z.number({ error: 'must be a whole number of days' });
const onConnectionFailure = z.enum(['refuse', 'save-inactive'], { error: 'must be refuse or save-inactive' });

/** The body of `POST /servers`: a server's settings, and what a failing connection test does. */
export const serverCreateBody = z.strictObject({
  type,
  name: text,
  description: z.optional(text),
  host: text,
  port: z.optional(port),
  tls: z.optional(z.boolean()),
  requireStartTls: z.optional(z.boolean()),
  authType: z.optional(authType),
  user: text,
  password: z.optional(text),
  imapFolder: z.optional(text),
  sniServerName: z.optional(text),
  disableCompression: z.optional(z.boolean()),
  routing: z.optional(routing),
  additionalSenders: z.optional(senders),
  role: z.optional(role),
  enabled: z.optional(z.boolean()),
  oauth2: z.optional(oauth2),
  backfillDays: z.optional(backfillDays),
  onConnectionFailure: z.optional(onConnectionFailure),
});

/** The body of `PATCH /servers/:id`: any field; `null` clears an optional one. */
export const serverUpdateBody = z.strictObject({
  type: z.optional(type),
  name: z.optional(text),
  description: z.optional(z.nullable(text)),
  host: z.optional(text),
  port: z.optional(z.nullable(port)),
  tls: z.optional(z.boolean()),
  requireStartTls: z.optional(z.boolean()),
  authType: z.optional(authType),
  user: z.optional(text),
  password: z.optional(text),
  imapFolder: z.optional(z.nullable(text)),
  sniServerName: z.optional(z.nullable(text)),
  disableCompression: z.optional(z.boolean()),
  routing: z.optional(z.nullable(routing)),
  additionalSenders: z.optional(z.nullable(senders)),
  role: z.optional(role),
  enabled: z.optional(z.boolean()),
  oauth2: z.optional(z.nullable(oauth2)),
  backfillDays: z.optional(z.nullable(backfillDays)),
  onConnectionFailure: z.optional(onConnectionFailure),
});

/** The body of `POST /servers/:id/duplicate`. */
export const serverDuplicateBody = z.strictObject({ name: text });
