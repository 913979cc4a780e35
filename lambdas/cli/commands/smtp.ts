/**
 * `postroom smtp list|show|update`: SMTP integrations (issue 11 item 5; SPEC OUT-4, OUT-5), the
 * registry's SMTP servers with their sending settings (messages per minute, provider preset) and
 * their one status (the server's state joined with the sending state: ok, disabled, error or
 * needs-reauth, with the last error). The state resets when the server is saved with
 * fixed credentials or toggled off and on (`postroom server update ID --disable`, then `--enable`).
 */
import type { Command } from 'commander';
import type { SmtpIntegrationView } from '../../adapters/dynamodb/smtp-integration-store.ts';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { formatTable, printable } from '../format.ts';

const path = (id: string) => `smtp-integrations/${encodeURIComponent(id)}`;
const PRESETS = ['microsoft365', 'google-workspace', 'custom'];

/** Registers the `smtp` commands. */
export function registerSmtp(program: Command, ctx: CliContext): void {
  const smtp = program.command('smtp').description('SMTP integrations: the sending rate and state of the registry\'s SMTP servers');

  smtp
    .command('list')
    .description('list the SMTP integrations with their rate, state and last error')
    .option('--json', 'print the API JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<{ integrations: SmtpIntegrationView[] }>('smtp-integrations');
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatSmtpList(body.integrations)}\n`);
    });

  smtp
    .command('show')
    .description('show one SMTP integration')
    .argument('<server-id>')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<{ integration: SmtpIntegrationView }>(path(id));
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatSmtpIntegration(body.integration)}\n`);
    });

  smtp
    .command('update')
    .description('set the messages per minute (1-1000) or a provider preset (microsoft365: 30 per minute)')
    .argument('<server-id>')
    .option('--rate <n>', 'messages per minute, 1 to 1000 (makes the preset custom)')
    .option('--preset <name>', `a provider preset: ${PRESETS.join(', ')}`)
    .action(async (id: string, o: { rate?: string; preset?: string }, command: Command) => {
      if (o.rate === undefined && o.preset === undefined) throw new CliError('give --rate, --preset or both');
      if (o.preset !== undefined && !PRESETS.includes(o.preset)) throw new CliError(`--preset must be one of ${PRESETS.join(', ')}`);
      const rate = o.rate === undefined ? undefined : Number(o.rate);
      if (rate !== undefined && !Number.isFinite(rate)) throw new CliError('--rate must be a number');
      const body = { ...(rate !== undefined && { messagesPerMinute: rate }), ...(o.preset !== undefined && { preset: o.preset }) };
      const out = (await (await ctx.api(command)).write<{ integration: SmtpIntegrationView }>('PUT', path(id), body))!;
      ctx.io.out(`Updated ${printable(out.integration.name)}: ${out.integration.messagesPerMinute} messages per minute (${out.integration.preset}).\n`);
    });
}

/** The list as a table: id, name, on/off, status (the server's and the sending state joined), rate, senders, last error. */
export function formatSmtpList(integrations: readonly SmtpIntegrationView[]): string {
  if (integrations.length === 0) return 'No SMTP servers. Add one with postroom server add --type smtp.';
  return formatTable(
    ['id', 'name', 'enabled', 'state', 'per minute', 'senders', 'last error'],
    integrations.map((i) => [i.serverId, i.name, i.enabled ? 'yes' : 'no', i.status, `${i.messagesPerMinute} (${i.preset})`, i.senders.join(', '), i.problem ? `${i.problem.reason}: ${i.problem.detail}` : '']),
  );
}

/** One integration, a line per fact, with what to do when it is not ok. */
export function formatSmtpIntegration(i: SmtpIntegrationView): string {
  const lines = [
    `${printable(i.name)} (${i.serverId})`,
    `  server:      ${printable(i.host)}:${i.port}, ${i.role} server, ${i.enabled ? 'enabled' : 'disabled'}`,
    `  senders:     ${i.senders.map(printable).join(', ') || '(none)'}`,
    `  rate:        ${i.messagesPerMinute} messages per minute (preset ${i.preset})`,
    `  state:       ${i.status}`,
  ];
  const p = i.problem;
  if (p) lines.push(`  last error:  ${printable(p.reason)}${p.at ? ` at ${p.at}` : ''}: ${printable(p.detail)}${p.source === 'server' ? ' (connection test)' : ''}`);
  const todo = whatToDo(i);
  if (todo) lines.push(`  ${todo}`);
  return lines.join('\n');
}

/** What an admin does about an integration's status; undefined when it is ok. */
function whatToDo(i: SmtpIntegrationView): string | undefined {
  switch (i.status) {
    case 'disabled':
      return `Sends through it are refused while its server is disabled. Fix it and enable it (postroom server update ${i.serverId} --enable; the connection is tested first).`;
    case 'needs-reauth':
      return `Its OAuth2 grant is gone; sign in again (postroom server update ${i.serverId} --reauthenticate) and open the consent URL.`;
    case 'error':
      return i.problem?.source === 'server'
        ? `Its last connection test failed. Fix the server and test it again (postroom server test ${i.serverId}).`
        : `Sends through it are held. Fix the credentials and save the server (postroom server update ${i.serverId} --password-stdin), or toggle it off and on; held sends resume at once.`;
    default:
      return undefined;
  }
}
