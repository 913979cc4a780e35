/**
 * What `postroom server` sends and prints: the API body built from the command's options, and the
 * listing, status and detail of mail servers as plain text. Never prints a secret: the API answers
 * none (`hasSecret` only).
 */
import type { serverView, testView } from '../adapters/api/routes/servers.ts';
import type { MailServerStatus } from '../core/mailboxes/server-save.ts';
import { CliError } from './errors.ts';
import { CLI_TEXT_EN } from './messages.en.ts';
import { formatTable, printable, truncate } from './format.ts';

export type ServerJson = ReturnType<typeof serverView>;
export type TestJson = ReturnType<typeof testView>;

/** The widest last error a table shows; `show` prints it whole. */
const LAST_ERROR_COLUMN_CHARS = 60;

/** The options of `add` and `update` (commander's names). */
export interface ServerOptions {
  type?: string;
  name?: string;
  description?: string;
  host?: string;
  port?: string;
  tls?: boolean;
  requireStarttls?: boolean;
  auth?: string;
  user?: string;
  folder?: string;
  sni?: string;
  compression?: boolean;
  routeAddress?: string;
  routeFlow?: string;
  sender?: string[];
  role?: string;
  enable?: boolean;
  disable?: boolean;
  backfillDays?: string;
  oauth2Provider?: string;
  oauth2Flow?: string;
  oauth2ClientId?: string;
  oauth2Tenant?: string;
  oauth2AuthorizeUrl?: string;
  oauth2TokenUrl?: string;
  oauth2Scope?: string[];
  oauth2SecretExpires?: string;
  reauthenticate?: boolean;
  saveInactive?: boolean;
}

/** A whole number option, or a usage error naming it. */
function integer(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,6}$/.test(value.trim())) throw new CliError(`${option} must be a whole number`);
  return Number(value);
}

/** The API body of `add` or `update`: only the options given, and the password when one was read. */
export function serverBody(o: ServerOptions, password: string | undefined): Record<string, unknown> {
  if (o.routeAddress !== undefined && o.routeFlow !== undefined) throw new CliError(CLI_TEXT_EN.oneOf('--route-address', '--route-flow'));
  if (o.enable && o.disable) throw new CliError(CLI_TEXT_EN.oneOf('--enable', '--disable'));
  const port = integer(o.port, '--port');
  const backfillDays = integer(o.backfillDays, '--backfill-days');
  const oauth2 = o.oauth2Provider ?? o.oauth2Flow ?? o.oauth2ClientId;
  return {
    ...(o.type !== undefined && { type: o.type.toLowerCase() }),
    ...(o.name !== undefined && { name: o.name }),
    ...(o.description !== undefined && { description: o.description }),
    ...(o.host !== undefined && { host: o.host }),
    ...(port !== undefined && { port }),
    ...(o.tls !== undefined && { tls: o.tls }),
    ...(o.requireStarttls !== undefined && { requireStartTls: o.requireStarttls }),
    ...(o.auth !== undefined && { authType: o.auth.toLowerCase() }),
    ...(o.user !== undefined && { user: o.user }),
    ...(password !== undefined && { password }),
    ...(o.folder !== undefined && { imapFolder: o.folder }),
    ...(o.sni !== undefined && { sniServerName: o.sni }),
    ...(o.compression !== undefined && { disableCompression: !o.compression }),
    ...(o.routeAddress !== undefined && { routing: { kind: 'address', address: o.routeAddress } }),
    ...(o.routeFlow !== undefined && { routing: { kind: 'flow', flowId: o.routeFlow } }),
    ...(o.sender !== undefined && { additionalSenders: o.sender }),
    ...(o.role !== undefined && { role: o.role.toLowerCase() }),
    ...(o.enable && { enabled: true }),
    ...(o.disable && { enabled: false }),
    ...(backfillDays !== undefined && { backfillDays }),
    ...(oauth2 !== undefined && {
      oauth2: {
        provider: o.oauth2Provider ?? '',
        flow: o.oauth2Flow ?? '',
        clientId: o.oauth2ClientId ?? '',
        ...(o.oauth2Tenant && { tenant: o.oauth2Tenant }),
        ...(o.oauth2AuthorizeUrl && { authorizeUrl: o.oauth2AuthorizeUrl }),
        ...(o.oauth2TokenUrl && { tokenUrl: o.oauth2TokenUrl }),
        ...(o.oauth2Scope && { scopes: o.oauth2Scope }),
        ...(o.oauth2SecretExpires && { clientSecretExpiresAt: o.oauth2SecretExpires }),
        ...(o.reauthenticate && { reauthenticateOnSave: true }),
      },
    }),
    ...(o.saveInactive && { onConnectionFailure: 'save-inactive' }),
  };
}

/** The servers as a table: name, type, host, state, last error. */
export function formatServerList(servers: readonly ServerJson[]): string {
  if (servers.length === 0) return 'No mail servers. Add one with: postroom server add --type imap --name ... --host ... --user ...';
  const rows = servers.map((s) => [s.id, s.name, s.type, `${s.host}:${s.port}`, s.state, truncate(s.lastError ?? '-', LAST_ERROR_COLUMN_CHARS)]);
  return formatTable(['id', 'name', 'type', 'host', 'state', 'last error'], rows);
}

/** Every server's health as a table (SRV-9). */
export function formatServerStatus(servers: readonly MailServerStatus[]): string {
  if (servers.length === 0) return 'No mail servers.';
  const rows = servers.map((s) => [
    s.name,
    s.type,
    s.state,
    s.lastSuccessAt ?? '-',
    String(s.messagesFetched),
    s.backlog === undefined ? '-' : String(s.backlog),
    String(s.consecutiveFailures),
    s.nextPollAt ?? '-',
    truncate(s.lastError ?? '-', LAST_ERROR_COLUMN_CHARS),
  ]);
  // Warnings (an OAuth2 client secret expiring or expired) under the table: one line each, never cut.
  const warnings = servers.flatMap((s) => (s.warnings ?? []).map((w) => `warning: ${s.name}: ${w.message}`));
  return [formatTable(['name', 'type', 'state', 'last success', 'fetched', 'backlog', 'failures', 'next poll', 'last error'], rows), ...warnings].join('\n');
}

/** One server: every setting and its health, one per line. */
export function formatServer(s: ServerJson): string {
  const routing = s.routing ? (s.routing.kind === 'address' ? `address ${s.routing.address}` : `flow ${s.routing.flowId}`) : '-';
  const lines: [string, string | undefined][] = [
    ['Type', s.type],
    ['Description', s.description || undefined],
    ['Host', `${s.host}:${s.port} (${s.tls ? 'TLS' : s.requireStartTls ? 'STARTTLS required' : 'STARTTLS if offered'})`],
    ['Auth', `${s.authType}${s.oauth2 ? ` (${s.oauth2.provider}, ${s.oauth2.flow})` : ''}`],
    ['User', s.user],
    ['Secret', s.hasSecret ? 'stored' : 'none'],
    ['Folder', s.imapFolder],
    ['SNI', s.sniServerName],
    ['Compression', s.type === 'imap' ? (s.disableCompression ? 'disabled' : 'allowed') : undefined],
    ['Routing', s.type === 'smtp' ? undefined : routing],
    ['Senders', s.additionalSenders.length ? s.additionalSenders.join(', ') : undefined],
    ['Role', s.type === 'smtp' ? s.role : undefined],
    ['Backfill', s.backfillDays === undefined ? undefined : `${s.backfillDays} days`],
    ['Enabled', s.enabled ? 'yes' : 'no'],
    ['State', s.state],
    ['Last success', s.lastSuccessAt],
    ['Last error', s.lastError],
  ];
  const shown = lines.filter(([, v]) => v !== undefined).map(([k, v]) => `  ${`${k}:`.padEnd(14)}${printable(v!)}`);
  return [`Server ${printable(s.name)} (${s.id})`, ...shown].join('\n');
}

/** What a save says: the server and, when it was tested, the test in words. */
export function formatSaved(verb: string, s: ServerJson, test: TestJson | undefined): string {
  const head = `${verb} ${printable(s.name)} (${s.id}), ${s.enabled ? 'enabled' : 'disabled'}.`;
  if (!test) return head;
  return test.ok ? `${head}\n${printable(test.message)}` : `${head}\n${printable(test.message)}; saved inactive.`;
}
