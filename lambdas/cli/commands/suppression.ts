/**
 * `postroom suppression list|add|lift ADDRESS`: the recipients the outbox refuses to send to (hard
 * bounces and complaints that came back from SES or as DSNs, and addresses an admin added by hand),
 * newest first, an admin's suppression of an address, and the lift of one once the address works
 * again (issue 11 item 4).
 */
import type { Command } from 'commander';
import type { Suppression } from '../../core/outbound/outbound-ports.ts';
import type { CliContext } from '../context.ts';
import { formatTable, nextPageHint, printable, truncate } from '../format.ts';

/** One page at the API's maximum; older ones are reached with the printed `--cursor`. */
const PAGE_SIZE = 200;
/** How much of the bounce's diagnostic words a table row shows; --json prints all of it. */
const DETAIL_COLUMN = 60;

/** Registers `suppression list [--cursor <c>] [--json]`, `suppression add <address> [--note <text>] [--json]` and `suppression lift <address>`. */
export function registerSuppression(program: Command, ctx: CliContext): void {
  const suppression = program.command('suppression').description('list, add and lift suppressed recipients (hard bounces, complaints, by hand)');
  suppression
    .command('list')
    .description('list suppressed recipients, newest first, with the reason')
    .option('--cursor <cursor>', 'the next page, from the cursor a listing printed')
    .option('--json', 'print the API JSON')
    .action(async (o: { cursor?: string; json?: boolean }, command: Command) => {
      const api = await ctx.api(command);
      const page = await api.get<{ suppressions: Suppression[]; cursor?: string }>('suppressions', { limit: PAGE_SIZE, cursor: o.cursor });
      ctx.io.out(o.json ? `${JSON.stringify(page, null, 2)}\n` : `${formatSuppressions(page.suppressions, page.cursor)}\n`);
    });
  suppression
    .command('add')
    .description('suppress an address by hand (a customer who wants no more mail, a known-bad address)')
    .argument('<address>', 'the e-mail address the outbox must not send to')
    .option('--note <text>', 'why, for whoever lists it later (who asked, a ticket)')
    .option('--json', 'print the API JSON')
    .action(async (address: string, o: { note?: string; json?: boolean }, command: Command) => {
      const api = await ctx.api(command);
      const body = (await api.write<{ suppression: Suppression; created: boolean }>('POST', 'suppressions', { address, ...(o.note !== undefined && { note: o.note }) }))!;
      if (o.json) return ctx.io.out(`${JSON.stringify(body, null, 2)}\n`);
      const s = body.suppression;
      ctx.io.out(body.created ? `Suppressed ${printable(s.address)}: the outbox will not send to it.\n` : `${printable(s.address)} was suppressed already (${s.reason}, since ${s.at}).\n`);
    });
  suppression
    .command('lift')
    .description('lift the suppression of an address, so the outbox sends to it again')
    .argument('<address>', 'the suppressed e-mail address')
    .action(async (address: string, _o: unknown, command: Command) => {
      await (await ctx.api(command)).write('DELETE', `suppressions/${encodeURIComponent(address)}`);
      ctx.io.out(`The suppression of ${printable(address)} was lifted.\n`);
    });
}

/** The table of `suppression list`, or a sentence when it is empty. */
export function formatSuppressions(items: readonly Suppression[], cursor?: string): string {
  if (items.length === 0) return 'No suppressed recipients.';
  // A manual suppression has no outbox record; who added it stands in that column instead.
  const rows = items.map((s) => [printable(s.address), s.at, s.reason, s.outboxId ?? (s.addedBy !== undefined ? `by ${s.addedBy}` : '-'), truncate(printable(s.detail), DETAIL_COLUMN)]);
  return `${formatTable(['address', 'since', 'reason', 'outbox record / by', 'detail'], rows)}${nextPageHint('postroom suppression list', cursor)}`;
}
