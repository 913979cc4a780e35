/**
 * The mail server form's state (strings and flags as the inputs hold them) and its translation to
 * and from the API's body. Pure, so it is tested without a browser (test/unit/console). An edit
 * sends `null` for a cleared optional setting (PATCH semantics); an empty password keeps the stored one.
 */
import type { MailServerView, ServerType } from '../api/types.ts';

export interface ServerDraft {
  readonly type: ServerType;
  readonly name: string;
  readonly description: string;
  readonly host: string;
  /** '' for the default port of the type and TLS. */
  readonly port: string;
  readonly tls: boolean;
  readonly requireStartTls: boolean;
  readonly authType: 'basic' | 'oauth2';
  readonly user: string;
  readonly password: string;
  readonly imapFolder: string;
  readonly sniServerName: string;
  readonly disableCompression: boolean;
  readonly routingKind: '' | 'address' | 'flow';
  readonly routingAddress: string;
  readonly routingFlowId: string;
  /** One address per line. */
  readonly additionalSenders: string;
  readonly role: 'agent' | 'template';
  readonly enabled: boolean;
  readonly backfillDays: string;
  readonly oauth2Provider: 'microsoft' | 'google' | 'custom';
  readonly oauth2Flow: 'authorization-code' | 'client-credentials' | 'service-account';
  readonly oauth2ClientId: string;
  readonly oauth2Tenant: string;
  readonly oauth2AuthorizeUrl: string;
  readonly oauth2TokenUrl: string;
  /** Space-separated. */
  readonly oauth2Scopes: string;
  readonly clientSecretExpiresAt: string;
  readonly reauthenticateOnSave: boolean;
  /** Stored with `PUT /servers/:id/oauth2/secret` after the save; never read back. */
  readonly clientSecret: string;
  readonly privateKey: string;
}

/** What each group of the form's fields gets: the draft, its setter, the last save's error, the pickers' options. */
export interface FieldsProps {
  readonly draft: ServerDraft;
  readonly set: (patch: Partial<ServerDraft>) => void;
  readonly error: unknown;
  readonly editing: boolean;
  readonly options: { readonly addresses: readonly string[]; readonly flows: readonly string[] } | undefined;
}

/** A new server's draft: IMAP with TLS, Basic, disabled (seed defaults). */
export const EMPTY_DRAFT: ServerDraft = {
  type: 'imap',
  name: '',
  description: '',
  host: '',
  port: '',
  tls: true,
  requireStartTls: false,
  authType: 'basic',
  user: '',
  password: '',
  imapFolder: '',
  sniServerName: '',
  disableCompression: false,
  routingKind: '',
  routingAddress: '',
  routingFlowId: '',
  additionalSenders: '',
  role: 'agent',
  enabled: false,
  backfillDays: '',
  oauth2Provider: 'microsoft',
  oauth2Flow: 'authorization-code',
  oauth2ClientId: '',
  oauth2Tenant: '',
  oauth2AuthorizeUrl: '',
  oauth2TokenUrl: '',
  oauth2Scopes: '',
  clientSecretExpiresAt: '',
  reauthenticateOnSave: false,
  clientSecret: '',
  privateKey: '',
};

/** The draft of stored server `s` (secrets empty: they are never read back). */
export function draftOf(s: MailServerView): ServerDraft {
  return {
    ...EMPTY_DRAFT,
    type: s.type,
    name: s.name,
    description: s.description,
    host: s.host,
    port: String(s.port),
    tls: s.tls,
    requireStartTls: s.requireStartTls,
    authType: s.authType,
    user: s.user,
    imapFolder: s.imapFolder ?? '',
    sniServerName: s.sniServerName ?? '',
    disableCompression: s.disableCompression,
    routingKind: s.routing?.kind ?? '',
    routingAddress: s.routing?.kind === 'address' ? s.routing.address : '',
    routingFlowId: s.routing?.kind === 'flow' ? s.routing.flowId : '',
    additionalSenders: s.additionalSenders.join('\n'),
    role: s.role,
    enabled: s.enabled,
    backfillDays: s.backfillDays === undefined ? '' : String(s.backfillDays),
    ...(s.oauth2 && {
      oauth2Provider: s.oauth2.provider,
      oauth2Flow: s.oauth2.flow,
      oauth2ClientId: s.oauth2.clientId,
      oauth2Tenant: s.oauth2.tenant ?? '',
      oauth2AuthorizeUrl: s.oauth2.authorizeUrl ?? '',
      oauth2TokenUrl: s.oauth2.tokenUrl ?? '',
      oauth2Scopes: (s.oauth2.scopes ?? []).join(' '),
      clientSecretExpiresAt: s.oauth2.clientSecretExpiresAt ?? '',
    }),
  };
}

/** A number as typed: the number, or the text itself so the API names the field's problem. */
function numberOrText(text: string): number | string {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

const lines = (text: string) => text.split(/[\n,]/).map((l) => l.trim()).filter(Boolean);

/**
 * The body of `POST /servers` (`editing` false: empty optional settings left out) or
 * `PATCH /servers/:id` (`editing` true: empty optional settings sent as `null`, which clears them).
 */
export function bodyOf(d: ServerDraft, editing: boolean): Record<string, unknown> {
  const optional = (value: unknown, empty: boolean) => (empty ? (editing ? null : undefined) : value);
  const inbound = d.type !== 'smtp';
  const body: Record<string, unknown> = {
    type: d.type,
    name: d.name,
    description: optional(d.description, d.description === ''),
    host: d.host,
    port: optional(numberOrText(d.port), d.port.trim() === ''),
    tls: d.tls,
    requireStartTls: d.tls ? false : d.requireStartTls,
    authType: d.authType,
    user: d.user,
    ...(d.authType === 'basic' && d.password !== '' && { password: d.password }),
    imapFolder: optional(d.imapFolder, d.type !== 'imap' || d.imapFolder === ''),
    sniServerName: optional(d.sniServerName, d.sniServerName === ''),
    disableCompression: d.type === 'imap' && d.disableCompression,
    routing: optional(
      d.routingKind === 'address' ? { kind: 'address', address: d.routingAddress } : { kind: 'flow', flowId: d.routingFlowId },
      !inbound || d.routingKind === '',
    ),
    additionalSenders: optional(lines(d.additionalSenders), d.type !== 'smtp' || lines(d.additionalSenders).length === 0),
    role: d.type === 'smtp' ? d.role : 'agent',
    enabled: d.enabled,
    backfillDays: optional(numberOrText(d.backfillDays), !inbound || d.backfillDays.trim() === ''),
    oauth2: optional(oauth2Of(d), d.authType !== 'oauth2'),
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

function oauth2Of(d: ServerDraft): Record<string, unknown> {
  const scopes = d.oauth2Scopes.split(/\s+/).filter(Boolean);
  return {
    provider: d.oauth2Provider,
    flow: d.oauth2Flow,
    clientId: d.oauth2ClientId,
    ...(d.oauth2Tenant && { tenant: d.oauth2Tenant }),
    ...(d.oauth2AuthorizeUrl && { authorizeUrl: d.oauth2AuthorizeUrl }),
    ...(d.oauth2TokenUrl && { tokenUrl: d.oauth2TokenUrl }),
    ...(scopes.length > 0 && { scopes }),
    ...(d.clientSecretExpiresAt && { clientSecretExpiresAt: d.clientSecretExpiresAt }),
    ...(d.reauthenticateOnSave && { reauthenticateOnSave: true }),
  };
}

/** The OAuth2 secret to store after the save, when the admin typed one. */
export function secretOf(d: ServerDraft): { clientSecret?: string; privateKey?: string } | undefined {
  if (d.authType !== 'oauth2' || (d.clientSecret === '' && d.privateKey === '')) return undefined;
  return { ...(d.clientSecret && { clientSecret: d.clientSecret }), ...(d.privateKey && { privateKey: d.privateKey }) };
}
