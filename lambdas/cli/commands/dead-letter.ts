/**
 * `postroom dead-letter list|show|redrive`: inbound messages that exhausted their retries, with
 * the reason, and their redrive once the cause is fixed (ARCHITECTURE.md decision 11).
 */
import type { Command } from 'commander';
import type { RedriveAllResult } from '../../core/dead-letter-redrive.ts';
import type { DeadLetter } from '../../core/dead-letters.ts';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { formatTable, printable, truncate } from '../format.ts';

/** One page at the API's maximum; older ones are reached with --json's cursor. */
const PAGE_SIZE = 200;
/** `redrive --all` stops after this many API calls, so a dead letter that keeps failing cannot loop it forever. */
const MAX_REDRIVE_CALLS = 100;
/** How much of the reason a table row shows; `show` prints all of it. */
const REASON_COLUMN = 60;

type DeadLetterSummary = Omit<DeadLetter, 'body' | 'bodyObject'>;

/** Registers `dead-letter list [--state] [--json]`, `show <id> [--json]`, `redrive [id] [--all] [--json]`. */
export function registerDeadLetter(program: Command, ctx: CliContext): void {
  const deadLetter = program.command('dead-letter').description('inspect and redrive inbound messages that exhausted their retries');
  deadLetter
    .command('list')
    .description('list dead letters, newest first, with the reason')
    .option('--state <state>', 'dead (waiting for a redrive) or redriven', 'dead')
    .option('--json', 'print the API JSON')
    .action(async (o: { state: string; json?: boolean }, command: Command) => {
      const api = await ctx.api(command);
      const page = await api.get<{ deadLetters: DeadLetterSummary[]; cursor?: string }>('dead-letters', { state: o.state, limit: PAGE_SIZE });
      ctx.io.out(o.json ? `${JSON.stringify(page, null, 2)}\n` : `${formatDeadLetters(page.deadLetters, page.cursor)}\n`);
    });
  deadLetter
    .command('show')
    .description('show one dead letter: reason, transport key, interaction, original body')
    .argument('<id>', 'dead letter id, e.g. dl-…')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<{ deadLetter: DeadLetter }>(`dead-letters/${encodeURIComponent(id)}`);
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatDeadLetter(body.deadLetter)}\n`);
    });
  deadLetter
    .command('redrive')
    .description('send a dead letter (or all dead ones with --all) back to the inbound queue; never creates a duplicate')
    .argument('[id]', 'dead letter id')
    .option('--all', 'redrive every dead letter in state dead')
    .option('--json', 'print the API JSON')
    .action(async (id: string | undefined, o: { all?: boolean; json?: boolean }, command: Command) => {
      if ((id === undefined) === !o.all) throw new CliError('give either a dead letter id or --all');
      const api = await ctx.api(command);
      if (id !== undefined) {
        const out = await api.write<{ deadLetter: DeadLetterSummary }>('POST', `dead-letters/${encodeURIComponent(id)}/redrive`);
        ctx.io.out(o.json ? `${JSON.stringify(out, null, 2)}\n` : `Dead letter ${printable(id)} was redriven to the inbound queue.\n`);
        return;
      }
      const results: RedriveAllResult[] = [];
      let cursor: string | undefined;
      do {
        const path = `dead-letters/redrive${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`;
        const out = (await api.write<RedriveAllResult>('POST', path))!;
        results.push(out);
        cursor = out.cursor;
      } while (cursor !== undefined && results.length < MAX_REDRIVE_CALLS);
      const redriven = results.flatMap((r) => r.redriven);
      const failed = results.flatMap((r) => r.failed);
      ctx.io.out(o.json ? `${JSON.stringify({ redriven, failed }, null, 2)}\n` : `${formatRedriveAll(redriven, failed)}\n`);
    });
}

/** The table of `dead-letter list`, or a sentence when it is empty. */
export function formatDeadLetters(items: readonly DeadLetterSummary[], cursor?: string): string {
  if (items.length === 0) return 'No dead letters.';
  const rows = items.map((d) => [d.id, d.deadLetteredAt, d.state, d.interactionId ?? '-', d.reason.code, truncate(printable(d.reason.message), REASON_COLUMN)]);
  const table = formatTable(['id', 'dead-lettered', 'state', 'interaction', 'code', 'reason'], rows);
  return cursor ? `${table}\n(more: use --json for the cursor)` : table;
}

/** The text of `dead-letter show`. */
export function formatDeadLetter(d: DeadLetter): string {
  const attempts = d.reason.attempts !== undefined ? ` (${d.reason.attempts} failed attempts, last at ${d.reason.at ?? '-'})` : '';
  const lines = [
    `Dead letter ${d.id} (${d.state})`,
    `  Reason:        ${printable(d.reason.code)}: ${printable(d.reason.message)}${attempts}`,
    `  Dead-lettered: ${d.deadLetteredAt} after ${d.receiveCount} receives${d.sentAt ? `, first sent ${d.sentAt}` : ''}`,
    `  Transport:     ${printable(d.transportKey ?? '- (not an inbound notification)')}`,
    `  Interaction:   ${d.interactionId ?? '-'}`,
  ];
  if (d.redrivenAt) lines.push(`  Redriven:      ${d.redrivenAt}`);
  lines.push('', `Body (${d.bodyBytes} bytes)`, d.body !== undefined ? `  ${printable(d.body).slice(0, 2_000)}` : `  stored as ${printable(d.bodyObject ?? '-')}`);
  return lines.join('\n');
}

function formatRedriveAll(redriven: readonly string[], failed: readonly { id: string; code: string }[]): string {
  const lines = [`Redrove ${redriven.length} dead letter${redriven.length === 1 ? '' : 's'} to the inbound queue.`];
  for (const f of failed) lines.push(`  not redriven: ${f.id} (${f.code})`);
  return lines.join('\n');
}
