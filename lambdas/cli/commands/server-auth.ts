/**
 * `postroom server auth <id>`: prints the OAuth2 consent URL of a server that uses the
 * authorization-code flow (issue 10 item 3). The admin opens it in a browser, signs in as the
 * mailbox (or an admin of it) and consents; the provider sends the browser back to the API's
 * `/oauth2/callback`, which stores the refresh token. Registered beside the registry's `server`
 * commands (commands/server.ts); the app-only flows need no consent, and the help says what to
 * grant for them instead.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';

/** Where a client secret may come from besides stdin: never the command line, which `ps` and shell history show. */
export const OAUTH2_CLIENT_SECRET_ENV = 'POSTROOM_OAUTH2_CLIENT_SECRET';

/** A service account key file is a few KB; anything past 64 KiB is not one. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** What the help prints about the flows that need no browser (Microsoft 365 and Google documentation). */
export const APP_ONLY_HELP = `
Consent is for the authorization-code flow only. The app-only flows need none:
  Microsoft 365 client credentials (scope https://outlook.office365.com/.default): in Entra ID grant the
    application permission of the server type (Office 365 Exchange Online: IMAP.AccessAsApp,
    POP.AccessAsApp or SMTP.SendAsApp) with admin consent, register the app's service principal in
    Exchange Online (New-ServicePrincipal) and give it the mailbox (Add-MailboxPermission -AccessRights FullAccess).
  Google service account: enable domain-wide delegation for its client id with the scope
    https://mail.google.com/ in the Admin console; Postroom signs for the server's user (JWT sub).
Register the redirect URI with the provider: the API URL + /oauth2/callback.`;

/** Adds `auth` to the `server` command group (created when the registry's commands are not registered). */
export function registerServerAuth(program: Command, ctx: CliContext): void {
  const server = program.commands.find((c) => c.name() === 'server') ?? program.command('server').description('mail servers (POP3, IMAP, SMTP)');
  server
    .command('auth')
    .description('print the OAuth2 consent URL of server <id> (authorization-code flow); open it within 10 minutes')
    .argument('<id>')
    .option('--json', 'print the API JSON')
    .addHelpText('after', APP_ONLY_HELP)
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const out = await (await ctx.api(command)).write<{ url: string; expiresAt: string }>('POST', `servers/${encodeURIComponent(id)}/oauth2/consent`);
      if (options.json) ctx.io.out(`${JSON.stringify(out, null, 2)}\n`);
      else ctx.io.out(`Open this URL in a browser and sign in as the account of server ${id}; it works once, until ${out?.expiresAt}:\n${out?.url}\n`);
    });

  server
    .command('oauth2-secret')
    .description(`store the OAuth2 client secret (stdin or ${OAUTH2_CLIENT_SECRET_ENV}) and/or a service account key of server <id>`)
    .argument('<id>')
    .option('--client-secret-stdin', `read the client secret from stdin (or set ${OAUTH2_CLIENT_SECRET_ENV}); never on the command line`)
    .option('--key-file <path>', 'a Google service account JSON key file (its private_key is stored) or a PEM private key')
    .action(async (id: string, options: { clientSecretStdin?: boolean; keyFile?: string }, command: Command) => {
      const clientSecret = options.clientSecretStdin ? await readStdin() : ctx.io.env[OAUTH2_CLIENT_SECRET_ENV] || undefined;
      const privateKey = options.keyFile ? await privateKeyOf(resolve(ctx.io.cwd, options.keyFile)) : undefined;
      if (clientSecret === undefined && privateKey === undefined) throw new CliError(`give --client-secret-stdin (or ${OAUTH2_CLIENT_SECRET_ENV}) or --key-file`);
      await (await ctx.api(command)).write('PUT', `servers/${encodeURIComponent(id)}/oauth2/secret`, { ...(clientSecret !== undefined && { clientSecret }), ...(privateKey !== undefined && { privateKey }) });
      ctx.io.out(`Stored the OAuth2 ${[clientSecret !== undefined && 'client secret', privateKey !== undefined && 'private key'].filter(Boolean).join(' and ')} of server ${id}.\n`);
    });
}

/** stdin to its end, one trailing line break dropped (as `echo` adds it). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new CliError('--client-secret-stdin: nothing was read from stdin');
  return text;
}

/** The PEM key of a service account JSON key file (`private_key`), or the file itself when it is PEM. */
async function privateKeyOf(path: string): Promise<string> {
  const text = (await readFile(path)).subarray(0, MAX_KEY_FILE_BYTES + 1).toString('utf8');
  if (text.length > MAX_KEY_FILE_BYTES) throw new CliError(`${path} is larger than a key file (${MAX_KEY_FILE_BYTES} bytes)`);
  if (text.trimStart().startsWith('{')) {
    const key = (JSON.parse(text) as { private_key?: unknown }).private_key;
    if (typeof key !== 'string') throw new CliError(`${path} has no private_key: use the service account's JSON key file`);
    return key;
  }
  return text;
}
