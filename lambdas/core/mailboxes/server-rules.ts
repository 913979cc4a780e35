/**
 * The rules a mail server's settings must keep (SRV-1, SRV-3, SRV-4, SRV-7, SRV-8; seed
 * manage-email-servers.de.txt), as pure functions that answer one problem per field. The API
 * loads what the rules refer to (address routes, flows, the current template server) and passes
 * it in a {@link MailServerContext}; nothing here reads storage or touches the network.
 */
import { ERROR_REASONS as R } from '../error-reasons.ts';
import { assertNoProblems, fieldMessages, problem, type FieldProblem, type FieldProblems } from '../field-problems.ts';
import { isMailAddress } from '../routing/address-route-rules.ts';
import {
  DEFAULT_IMAP_FOLDER,
  MAIL_SERVER_LIMITS as L,
  defaultPort,
  isInboundType,
  type InboundRouting,
  type MailServerAuthType,
  type MailServerRole,
  type MailServerSettings,
  type MailServerType,
} from './server.ts';
import type { OAuth2Settings } from './oauth2-settings.ts';
import { oauth2SettingsProblems } from './oauth2-presets.ts';
import { backfillProblems, oauth2Problems } from './server-option-rules.ts';
import { charCount, hasControlCharacters, hostKind, isSendablePassword, normalizeHost } from './server-text.ts';

/** A mail server as an admin writes it (the API body after its schema); omitted fields take their defaults. */
export interface MailServerInput {
  readonly type: MailServerType;
  readonly name: string;
  readonly description?: string;
  readonly host: string;
  readonly port?: number;
  readonly tls?: boolean;
  readonly requireStartTls?: boolean;
  readonly authType?: MailServerAuthType;
  readonly user: string;
  /** Basic only; goes to the SecretStore, never into the record. Absent or '' keeps a stored one. */
  readonly password?: string;
  readonly imapFolder?: string;
  readonly sniServerName?: string;
  readonly disableCompression?: boolean;
  readonly routing?: InboundRouting;
  readonly additionalSenders?: readonly string[];
  readonly role?: MailServerRole;
  readonly enabled?: boolean;
  /** With authType oauth2 (required then): provider, flow, client (server-option-rules.ts). */
  readonly oauth2?: OAuth2Settings;
  /** Inbound only: days the first poll fetches back; @default DEFAULT_BACKFILL_DAYS when absent. */
  readonly backfillDays?: number;
}

/** An input with its defaults applied: the settings to store and, apart from them, the password to keep secret. */
export interface NormalizedMailServer {
  readonly settings: MailServerSettings;
  readonly password?: string;
}

/** What the rules need to know about the rest of the configuration. */
export interface MailServerContext {
  /** The id of the server being changed; absent when one is added. */
  readonly serverId?: string;
  /** The id of the current template server, if there is one (SRV-8: at most one). */
  readonly templateServerId?: string;
  /** Lower-case addresses whose route routes inbound mail (a queue or a flow; not outbound-only routes). */
  readonly addresses: ReadonlySet<string>;
  readonly flows: ReadonlySet<string>;
  /** True when a secret is stored for the server already, so a Basic server may be enabled without a new password. @default false */
  readonly storedSecret?: boolean;
}

/**
 * The settings as they are stored, and the password apart. Defaults: description '', TLS on
 * (RFC 8314 prefers implicit TLS), STARTTLS not required, Basic authentication, the port of the
 * type and TLS, IMAP folder INBOX (IMAP only), compression allowed, no additional senders, role
 * agent, disabled. Text is trimmed (never the password, whose spaces are part of it); name and
 * description are NFC so one visible text counts and compares the same however it was typed;
 * host and SNI name are lower-case; addresses lower-case and de-duplicated in order. A value that
 * does not belong to the type (a folder on POP3) is kept, so the rules can refuse it rather than
 * silently drop what the admin wrote.
 */
export function normalizeMailServer(input: MailServerInput): NormalizedMailServer {
  const tls = input.tls ?? true;
  const lower = (s: string) => s.trim().toLowerCase();
  const folder = input.imapFolder?.trim() || undefined;
  const sni = input.sniServerName === undefined ? undefined : normalizeHost(input.sniServerName) || undefined;
  const settings: MailServerSettings = {
    type: input.type,
    name: input.name.trim().normalize('NFC'),
    description: (input.description ?? '').trim().normalize('NFC'),
    host: normalizeHost(input.host),
    port: input.port ?? defaultPort(input.type, tls),
    tls,
    requireStartTls: input.requireStartTls ?? false,
    authType: input.authType ?? 'basic',
    user: input.user.trim(),
    ...((folder !== undefined || input.type === 'imap') && { imapFolder: folder ?? DEFAULT_IMAP_FOLDER }),
    ...(sni !== undefined && { sniServerName: sni }),
    disableCompression: input.disableCompression ?? false,
    ...(input.routing && { routing: input.routing.kind === 'address' ? { kind: 'address', address: lower(input.routing.address) } : input.routing }),
    additionalSenders: [...new Set((input.additionalSenders ?? []).map(lower))],
    role: input.role ?? 'agent',
    enabled: input.enabled ?? false,
    ...(input.oauth2 && { oauth2: input.oauth2 }),
    ...(input.backfillDays !== undefined && { backfillDays: input.backfillDays }),
  };
  return { settings, ...(input.password !== undefined && input.password !== '' && { password: input.password }) };
}

/**
 * Checks normalized settings against the rules and answers one message per invalid field (empty
 * when valid), keyed by the JSON path of the API body (`routing.flowId`, `additionalSenders[2]`).
 */
export function mailServerErrors(server: NormalizedMailServer, ctx: MailServerContext): Record<string, string> {
  return fieldMessages(mailServerProblems(server, ctx));
}

/** {@link mailServerErrors} with each field's reason (core/error-reasons.ts) beside its message. */
export function mailServerProblems(server: NormalizedMailServer, ctx: MailServerContext): FieldProblems {
  const s = server.settings;
  const fields: FieldProblems = {};
  const set = (path: string, p: FieldProblem | undefined) => {
    if (p) fields[path] = p;
  };
  set('name', textProblem(s.name, L.maxNameChars, true));
  set('description', textProblem(s.description, L.maxDescriptionChars, false));
  set('host', textProblem(s.host, L.maxHostChars, true) ?? hostProblem(s.host));
  set('user', textProblem(s.user, L.maxUserChars, true));
  if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65_535) fields.port = problem(R.valueOutOfRange, 'must be a port number from 1 to 65535');
  Object.assign(fields, tlsProblems(s), passwordProblems(server, ctx), typeProblems(s), routingProblems(s, ctx), senderProblems(s));
  // The OAuth2 part's rules (endpoints, flow per provider, tenant, scopes, dates) first; the basic ones win on a shared field.
  Object.assign(fields, s.authType === 'oauth2' && s.oauth2 ? oauth2SettingsProblems(s.oauth2, s.type) : {}, oauth2Problems(s), backfillProblems(s));
  if (s.role === 'template' && s.type === 'smtp' && ctx.templateServerId !== undefined && ctx.templateServerId !== ctx.serverId) {
    fields.role = problem(R.mailServerTemplateTaken, `server ${ctx.templateServerId} is the template server already; make it an agent server first`);
  }
  return fields;
}

/**
 * {@link mailServerErrors} as a guard.
 * @throws ValidationError with every field's message and reason when the settings break a rule
 */
export function assertValidMailServer(server: NormalizedMailServer, ctx: MailServerContext): void {
  assertNoProblems(mailServerProblems(server, ctx));
}

/** A text setting's problem: control characters, then its length in characters (1-max when required). */
function textProblem(value: string, max: number, required: boolean): FieldProblem | undefined {
  if (hasControlCharacters(value)) return problem(R.mailServerTextInvalid, 'must not hold control characters or line breaks');
  const n = charCount(value);
  if (n > max || (required && n === 0)) return problem(R.valueOutOfRange, required ? `must be 1-${max} characters` : `must be at most ${max} characters`);
  return undefined;
}

function hostProblem(host: string): FieldProblem | undefined {
  return hostKind(host) ? undefined : problem(R.mailServerHostInvalid, 'must be a host name (mail.example.com) or an IPv4 or IPv6 address');
}

/**
 * TLS settings: STARTTLS can only be required of a plain connection, and a TLS connection to an IP
 * address needs the SNI name the certificate is checked against (seed step 8). SNI is a host
 * name, never an address (RFC 6066 3). A required STARTTLS uses TLS too, so it needs the name as well.
 */
function tlsProblems(s: MailServerSettings): FieldProblems {
  const fields: FieldProblems = {};
  if (s.tls && s.requireStartTls) fields.requireStartTls = problem(R.mailServerStartTlsWithTls, 'only without implicit TLS: with TLS the connection is encrypted from the start');
  const hostIsIp = hostKind(s.host) === 'ipv4' || hostKind(s.host) === 'ipv6';
  if (s.sniServerName !== undefined) {
    const sni = textProblem(s.sniServerName, L.maxSniServerNameChars, true);
    if (sni) fields.sniServerName = sni;
    else if (hostKind(s.sniServerName) !== 'name') fields.sniServerName = problem(R.mailServerHostInvalid, 'must be a host name, not an IP address');
  } else if (hostIsIp && (s.tls || s.requireStartTls)) {
    fields.sniServerName = problem(R.mailServerSniRequired, 'required when the host is an IP address and TLS is used: the name the certificate is checked against');
  }
  return fields;
}

/** A password only with Basic authentication, 1-255 sendable characters; enabling Basic needs one (new or stored). */
function passwordProblems(server: NormalizedMailServer, ctx: MailServerContext): FieldProblems {
  const { settings: s, password } = server;
  if (password === undefined) {
    const missing = s.enabled && s.authType === 'basic' && !(ctx.storedSecret ?? false);
    return missing ? { password: problem(R.mailServerPasswordRequired, 'required to enable a server with Basic authentication') } : {};
  }
  if (s.authType !== 'basic') return { password: problem(R.mailServerPasswordNotAllowed, 'only with Basic authentication; OAuth2 servers never see the password') };
  if (!isSendablePassword(password)) return { password: problem(R.mailServerTextInvalid, 'must not hold NUL, CR or LF: no mail server can receive them') };
  if (charCount(password) > L.maxPasswordChars) return { password: problem(R.valueOutOfRange, `must be 1-${L.maxPasswordChars} characters`) };
  return {};
}

/** Settings that only one type has: the IMAP folder and compression (IMAP), additional senders and the template role (SMTP). */
function typeProblems(s: MailServerSettings): FieldProblems {
  const fields: FieldProblems = {};
  if (s.type !== 'imap') {
    if (s.imapFolder !== undefined) fields.imapFolder = problem(R.mailServerOptionNotForType, 'only for IMAP servers');
    if (s.disableCompression) fields.disableCompression = problem(R.mailServerOptionNotForType, 'only for IMAP servers');
  } else if (s.imapFolder !== undefined) {
    const folder = textProblem(s.imapFolder, L.maxImapFolderChars, true);
    if (folder) fields.imapFolder = folder;
  }
  if (s.type !== 'smtp') {
    if (s.additionalSenders.length > 0) fields.additionalSenders = problem(R.mailServerOptionNotForType, 'only for SMTP servers');
    if (s.role === 'template') fields.role = problem(R.mailServerOptionNotForType, 'only an SMTP server can be the template server');
  }
  return fields;
}

/** Inbound servers need an existing routing to be enabled (SRV-4); SMTP servers route nothing. */
function routingProblems(s: MailServerSettings, ctx: MailServerContext): FieldProblems {
  const r = s.routing;
  if (!isInboundType(s.type)) return r ? { routing: problem(R.mailServerOptionNotForType, 'only for POP3 and IMAP servers') } : {};
  if (!r) return s.enabled ? { routing: problem(R.mailServerRoutingRequired, 'required to enable an inbound server: an address route or a flow') } : {};
  if (r.kind === 'address' && !ctx.addresses.has(r.address)) {
    return { 'routing.address': problem(R.addressNotFound, r.address ? `${r.address} has no address route: add it (address add) or route by a flow` : 'is required: the address route that routes this mailbox\'s mail') };
  }
  if (r.kind === 'flow' && !ctx.flows.has(r.flowId)) return { 'routing.flowId': problem(R.flowNotFound, `flow ${r.flowId} does not exist`) };
  return {};
}

/**
 * SMTP senders (SRV-7): e-mail addresses, at most {@link L.maxAdditionalSenders}; a server whose
 * user is no address needs one, or it would have no From address to send as (seed step 9).
 */
function senderProblems(s: MailServerSettings): FieldProblems {
  if (s.type !== 'smtp') return {};
  const fields: FieldProblems = {};
  if (s.additionalSenders.length > L.maxAdditionalSenders) {
    fields.additionalSenders = problem(R.valueOutOfRange, `at most ${L.maxAdditionalSenders} distinct addresses`);
  }
  s.additionalSenders.forEach((address, i) => {
    if (!isMailAddress(address)) fields[`additionalSenders[${i}]`] = problem(R.addressMalformed, 'must be an e-mail address');
  });
  if (s.additionalSenders.length === 0 && !isMailAddress(s.user.toLowerCase())) {
    fields.additionalSenders = problem(R.mailServerSenderRequired, 'at least one address is required: the user is no e-mail address to send as');
  }
  return fields;
}
