/**
 * `postroom server add|list|show|update|duplicate|delete|test|status`: the mail server registry
 * (issue 10 items 1 and 2). An enabled save is tested by the API at once; `--save-inactive` keeps a
 * server whose test failed, disabled. A password is never an argument (shell history, `ps`): it is
 * read from stdin with `--password-stdin`, or from POSTROOM_SERVER_PASSWORD.
 */
import type { Command } from 'commander';
import type { MailServerStatus } from '../../core/mailboxes/server-save.ts';
import type { CliContext, CliIo } from '../context.ts';
import { CliError } from '../errors.ts';
import { formatSaved, formatServer, formatServerList, formatServerStatus, serverBody, type ServerJson, type ServerOptions, type TestJson } from '../server-format.ts';

/** Where a password may come from besides stdin. */
export const SERVER_PASSWORD_ENV = 'POSTROOM_SERVER_PASSWORD';

const path = (id: string, rest = '') => `servers/${encodeURIComponent(id)}${rest}`;
const collect = (value: string, previous: string[] = []) => [...previous, value];

type SaveOptions = ServerOptions & { passwordStdin?: boolean; json?: boolean };
type SaveAnswer = { server: ServerJson; test?: TestJson; consent?: { url: string; expiresAt: string } };

/** Registers the `server` commands. */
export function registerServer(program: Command, ctx: CliContext): void {
  const server = program.command('server').description('mail servers: POP3 and IMAP mailboxes to poll, SMTP servers to send through');

  withSettings(server.command('add').description('add a server; an enabled one is tested first (connection successful / failed: reason)'))
    .requiredOption('--type <type>', 'pop3, imap or smtp')
    .requiredOption('--name <name>', 'up to 200 characters')
    .requiredOption('--host <host>', 'host name or IP address, up to 70 characters')
    .requiredOption('--user <user>', 'the login; for inbound servers the mailbox, for SMTP the default sender')
    .action(async (o: SaveOptions, command: Command) => {
      const body = serverBody(o, await passwordOf(o, ctx.io));
      const out = (await (await ctx.api(command)).write<SaveAnswer>('POST', 'servers', body))!;
      ctx.io.out(o.json ? `${JSON.stringify(out, null, 2)}\n` : `${formatSaved('Added', out.server, out.test)}\n${consentLine(out)}`);
    });

  withSettings(server.command('update').description('change a server: only the options given; an enabled server is tested again').argument('<id>'))
    .option('--type <type>', 'pop3, imap or smtp')
    .option('--name <name>', 'up to 200 characters')
    .option('--host <host>', 'host name or IP address, up to 70 characters')
    .option('--user <user>', 'the login')
    .action(async (id: string, o: SaveOptions, command: Command) => {
      const body = serverBody(o, await passwordOf(o, ctx.io));
      const out = (await (await ctx.api(command)).write<SaveAnswer>('PATCH', path(id), body))!;
      ctx.io.out(o.json ? `${JSON.stringify(out, null, 2)}\n` : `${formatSaved('Updated', out.server, out.test)}\n${consentLine(out)}`);
    });

  server
    .command('list')
    .description('list the servers: name, type, host, state, last error')
    .option('--json', 'print the API JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<{ servers: ServerJson[] }>('servers');
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatServerList(body.servers)}\n`);
    });

  server
    .command('show')
    .description('show one server: its settings and health (never its password)')
    .argument('<id>')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<{ server: ServerJson }>(path(id));
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatServer(body.server)}\n`);
    });

  server
    .command('duplicate')
    .description('copy a server under a new name: disabled, without its password')
    .argument('<id>')
    .requiredOption('--name <name>', 'the copy\'s name')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { name: string; json?: boolean }, command: Command) => {
      const out = (await (await ctx.api(command)).write<SaveAnswer>('POST', path(id, '/duplicate'), { name: o.name }))!;
      ctx.io.out(o.json ? `${JSON.stringify(out, null, 2)}\n` : `${formatSaved('Duplicated as', out.server, undefined)}\n`);
    });

  server
    .command('delete')
    .description('delete a server and its stored password or tokens')
    .argument('<id>')
    .action(async (id: string, _o: unknown, command: Command) => {
      await (await ctx.api(command)).write('DELETE', path(id));
      ctx.io.out(`Deleted ${id}.\n`);
    });

  server
    .command('test')
    .description('connect to a server now (TLS, login, folder or STAT, or EHLO+AUTH) and record the outcome')
    .argument('<id>')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { json?: boolean }, command: Command) => {
      const out = (await (await ctx.api(command)).write<{ server: ServerJson; test: TestJson }>('POST', path(id, '/test')))!;
      if (o.json) return ctx.io.out(`${JSON.stringify(out, null, 2)}\n`);
      if (!out.test.ok) throw new CliError(out.test.message);
      ctx.io.out(`${out.test.message}\n`);
    });

  server
    .command('status')
    .description('every server\'s health: state, last success, messages fetched, backlog, failures, last error')
    .option('--json', 'print the API JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<{ servers: MailServerStatus[] }>('servers/status');
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatServerStatus(body.servers)}\n`);
    });
}

/** The setting options `add` and `update` share (their required ones differ). */
function withSettings(command: Command): Command {
  return command
    .option('--description <text>', 'up to 250 characters')
    .option('--port <port>', 'default: by type and TLS (993/143, 995/110, 465/587)')
    .option('--tls', 'implicit TLS (the default)')
    .option('--no-tls', 'no implicit TLS: STARTTLS when the server offers it')
    .option('--require-starttls', 'without TLS: refuse to log in unless the server upgrades with STARTTLS')
    .option('--no-require-starttls', 'do not require STARTTLS')
    .option('--auth <type>', 'basic (default) or oauth2')
    .option('--password-stdin', `read the password from stdin (or set ${SERVER_PASSWORD_ENV}); never on the command line`)
    .option('--folder <folder>', 'IMAP: the folder polled (default INBOX)')
    .option('--sni <name>', 'TLS SNI server name; required when the host is an IP address')
    .option('--compression', 'IMAP: allow COMPRESS=DEFLATE (the default)')
    .option('--no-compression', 'IMAP: never use COMPRESS=DEFLATE')
    .option('--route-address <address>', 'inbound: route like this address route')
    .option('--route-flow <flowId>', 'inbound: route through this flow')
    .option('--sender <address>', 'SMTP: an additional sender address (repeat the option for more; on update the ones given replace the list)', collect)
    .option('--role <role>', 'SMTP: agent (default) or template')
    .option('--enable', 'enable the server (tests its connection first)')
    .option('--disable', 'disable the server')
    .option('--backfill-days <days>', 'inbound: how far back the first poll fetches (default 7, at most 365)')
    .option('--oauth2-provider <provider>', 'OAuth2: microsoft, google or custom')
    .option('--oauth2-flow <flow>', 'OAuth2: authorization-code, client-credentials or service-account')
    .option('--oauth2-client-id <id>', 'OAuth2: the application (client) id')
    .option('--oauth2-tenant <tenant>', 'OAuth2 (Microsoft): the directory (tenant) id or domain')
    .option('--oauth2-authorize-url <url>', 'OAuth2 (custom provider): the authorization endpoint')
    .option('--oauth2-token-url <url>', 'OAuth2 (custom provider): the token endpoint')
    .option('--oauth2-scope <scope>', 'OAuth2: a scope instead of the preset\'s (repeatable)', collect)
    .option('--oauth2-secret-expires <date>', 'OAuth2: when the client secret expires (warned 14 days ahead)')
    .option('--reauthenticate', 'OAuth2 (authorization code): re-authenticate on save, printing a new consent URL')
    .option('--save-inactive', 'when the connection test fails, save the server disabled instead of refusing')
    .option('--json', 'print the API JSON');
}

/**
 * The password: stdin with `--password-stdin` (one trailing line break dropped, as `echo` adds it),
 * else POSTROOM_SERVER_PASSWORD when set and not empty, else none (an update keeps the stored one).
 */
async function passwordOf(o: SaveOptions, io: CliIo): Promise<string | undefined> {
  if (o.passwordStdin) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
    if (text === '') throw new CliError('--password-stdin: nothing was read from stdin');
    return text;
  }
  const fromEnv = io.env[SERVER_PASSWORD_ENV];
  return fromEnv ? fromEnv : undefined;
}

/** With "re-authenticate on save": the consent URL to open now (see `server auth`). */
function consentLine(out: SaveAnswer): string {
  return out.consent ? `Re-authenticate: open this URL and consent (it works once, until ${out.consent.expiresAt}):\n${out.consent.url}\n` : '';
}
