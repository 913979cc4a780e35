/**
 * `postroom quarantine list`: mail that could not be processed, newest first, with the reason.
 * `postroom disposed list`: mail that was disconnected (spam, virus, a flow) or set aside
 * (auto-replies, bounces, list mail), newest first, with the disposition.
 */
import type { Command } from 'commander';
import type { CliContext, DisposedJson, PageJson, QuarantineJson } from '../context.ts';
import { COLUMN_LIMITS, formatAddress, formatTable, nextPageHint, truncate } from '../format.ts';

/** One page at the API's maximum; older mail is reached with the printed `--cursor`. */
const PAGE_SIZE = 200;

/** Registers `quarantine list [--cursor <c>] [--json]`. */
export function registerQuarantine(program: Command, ctx: CliContext): void {
  const quarantine = program.command('quarantine').description('inspect quarantined mail');
  quarantine
    .command('list')
    .description('list quarantined interactions, newest first')
    .option('--cursor <cursor>', 'the next page, from the cursor a listing printed')
    .option('--json', 'print the API JSON')
    .action(async (options: { cursor?: string; json?: boolean }, command: Command) => {
      const api = await ctx.api(command);
      const page = await api.get<PageJson<QuarantineJson>>('quarantine', { limit: PAGE_SIZE, cursor: options.cursor });
      ctx.io.out(options.json ? `${JSON.stringify(page, null, 2)}\n` : `${formatQuarantine(page)}\n`);
    });
}

/** Registers `disposed list [--cursor <c>] [--json]`. */
export function registerDisposed(program: Command, ctx: CliContext): void {
  program
    .command('disposed')
    .description('inspect disconnected spam/virus mail and set-aside automatic mail')
    .command('list')
    .description('list disconnected and set-aside interactions, newest first')
    .option('--cursor <cursor>', 'the next page, from the cursor a listing printed')
    .option('--json', 'print the API JSON')
    .action(async (options: { cursor?: string; json?: boolean }, command: Command) => {
      const api = await ctx.api(command);
      const page = await api.get<PageJson<DisposedJson>>('disposed', { limit: PAGE_SIZE, cursor: options.cursor });
      ctx.io.out(options.json ? `${JSON.stringify(page, null, 2)}\n` : `${formatDisposed(page)}\n`);
    });
}

/** The table of `disposed list`, or a sentence when it is empty. */
export function formatDisposed(page: PageJson<DisposedJson>): string {
  if (page.interactions.length === 0) return 'Nothing was disconnected or set aside.';
  const rows = page.interactions.map((i) => [
    i.id,
    i.receivedAt,
    truncate(i.from ? formatAddress(i.from) : i.mailFrom || '<>', COLUMN_LIMITS.from),
    truncate(i.subject || '(no subject)', COLUMN_LIMITS.subject),
    i.state,
    i.disposition.reason,
  ]);
  const table = formatTable(['id', 'received', 'from', 'subject', 'state', 'reason'], rows);
  return `${table}${nextPageHint('postroom disposed list', page.cursor)}`;
}

/** The table of `quarantine list`, or a sentence when it is empty. */
export function formatQuarantine(page: PageJson<QuarantineJson>): string {
  if (page.interactions.length === 0) return 'Quarantine is empty.';
  const rows = page.interactions.map((i) => [
    i.id,
    i.receivedAt,
    truncate(i.from ? formatAddress(i.from) : i.mailFrom || '<>', COLUMN_LIMITS.from),
    truncate(i.subject || '(no subject)', COLUMN_LIMITS.subject),
    i.quarantine.reason,
  ]);
  const table = formatTable(['id', 'received', 'from', 'subject', 'reason'], rows);
  return `${table}${nextPageHint('postroom quarantine list', page.cursor)}`;
}
