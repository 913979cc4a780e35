/**
 * `postroom server auth <id>`: prints the OAuth2 consent URL of a server that uses the
 * authorization-code flow (issue 10 item 3). The admin opens it in a browser, signs in as the
 * mailbox (or an admin of it) and consents; the provider sends the browser back to the API's
 * `/oauth2/callback`, which stores the refresh token. Registered beside the registry's `server`
 * commands (commands/server.ts); the app-only flows need no consent, and the help says what to
 * grant for them instead.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

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
}
