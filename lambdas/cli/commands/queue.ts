/**
 * `postroom queue list`: what is waiting, in the order agents will get it, with live scores.
 */
import type { Command } from 'commander';
import type { ApiClient } from '../api-client.ts';
import type { CliContext, PageJson, QueueEntryJson, QueueJson } from '../context.ts';
import { CliError } from '../errors.ts';
import { registerQueueAdmin } from './queue-admin.ts';
import { COLUMN_LIMITS, formatAddress, formatAge, formatScore, formatTable, nextPageHint, printable, truncate } from '../format.ts';

/** Pages are fetched at the API's maximum size; a terminal list stops after this many rows. */
export const MAX_ROWS_PER_QUEUE = 1_000;
const PAGE_SIZE = 200;

export interface QueueListing {
  readonly queueId: string;
  readonly interactions: QueueEntryJson[];
  /** Present when the listing stopped at {@link MAX_ROWS_PER_QUEUE}; continue from here. */
  readonly cursor?: string;
}

/** Registers `queue list [--queue <id> [--cursor <c>]] [--json]`, and `queue add|remove` (queue-admin.ts). */
export function registerQueue(program: Command, ctx: CliContext): void {
  const queue = program.command('queue').description('inspect and manage queues');
  registerQueueAdmin(queue, ctx);
  queue
    .command('list')
    .description('list waiting interactions in score order (all queues, or one)')
    .option('--queue <id>', 'only this queue')
    .option('--cursor <cursor>', `with --queue: continue after the first ${MAX_ROWS_PER_QUEUE} rows, from the cursor a listing printed`)
    .option('--json', 'print the API JSON')
    .action(async (options: { queue?: string; cursor?: string; json?: boolean }, command: Command) => {
      if (options.cursor !== undefined && options.queue === undefined) throw new CliError('--cursor needs --queue: a cursor continues one queue');
      const api = await ctx.api(command);
      const ids = options.queue !== undefined ? [options.queue] : (await api.get<{ queues: QueueJson[] }>('queues')).queues.map((q) => q.id);
      const listings: QueueListing[] = [];
      for (const id of ids) listings.push(await listQueue(api, id, options.cursor));
      if (options.json) {
        ctx.io.out(`${JSON.stringify(options.queue !== undefined ? listings[0] : { queues: listings }, null, 2)}\n`);
        return;
      }
      ctx.io.out(`${formatQueueListings(listings, options.queue)}\n`);
    });
}

/**
 * The waiting interactions of one queue, page by page, up to {@link MAX_ROWS_PER_QUEUE}, from the
 * start or from `from` (a cursor an earlier listing returned).
 */
export async function listQueue(api: ApiClient, queueId: string, from?: string): Promise<QueueListing> {
  const interactions: QueueEntryJson[] = [];
  let cursor: string | undefined = from;
  do {
    const page = await api.get<PageJson<QueueEntryJson>>(`queues/${encodeURIComponent(queueId)}/interactions`, { limit: PAGE_SIZE, cursor });
    interactions.push(...page.interactions);
    cursor = page.cursor;
  } while (cursor !== undefined && interactions.length < MAX_ROWS_PER_QUEUE);
  return { queueId, interactions, ...(cursor !== undefined && { cursor }) };
}

/** The table of `queue list`, or a sentence when nothing waits. */
export function formatQueueListings(listings: readonly QueueListing[], onlyQueue?: string): string {
  const rows = listings.flatMap((l) =>
    l.interactions.map((i) => [
      l.queueId,
      i.id,
      truncate(formatAddress(i.from), COLUMN_LIMITS.from),
      truncate(i.subject || '(no subject)', COLUMN_LIMITS.subject),
      formatAge(i.ageMinutes),
      String(i.priority),
      formatScore(i.score),
    ]),
  );
  if (rows.length === 0) return onlyQueue !== undefined ? `No interactions waiting in queue ${onlyQueue}.` : 'No interactions waiting.';
  const table = formatTable(['queue', 'id', 'from', 'subject', 'age', 'priority', 'score'], rows);
  const more = listings
    .filter((l) => l.cursor !== undefined)
    .map((l) => nextPageHint(`postroom queue list --queue ${printable(l.queueId)}`, l.cursor));
  return `${table}${more.join('')}`;
}
