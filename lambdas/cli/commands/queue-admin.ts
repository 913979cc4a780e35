/**
 * `postroom queue add|remove`: create a queue, remove an empty one (the API refuses, with the
 * number waiting, while interactions wait in it).
 */
import type { Command } from 'commander';
import type { CliContext, QueueJson } from '../context.ts';
import { printable } from '../format.ts';

/** Adds `add` and `remove` to the existing `queue` command. */
export function registerQueueAdmin(queue: Command, ctx: CliContext): void {
  queue
    .command('add')
    .description('create a queue')
    .argument('<id>', 'lower-case slug, e.g. billing')
    .requiredOption('--name <name>', 'display name')
    .option('--description <text>', 'what the queue is for')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { name: string; description?: string; json?: boolean }, command: Command) => {
      const api = await ctx.api(command);
      const body = await api.write<{ queue: QueueJson }>('POST', 'queues', { id, name: o.name, ...(o.description !== undefined && { description: o.description }) });
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `Created queue ${printable(id)} (${printable(o.name)}).\n`);
    });
  queue
    .command('remove')
    .description('remove a queue no agent or address route uses and no interaction waits in')
    .argument('<id>', 'queue id')
    .action(async (id: string, _o: object, command: Command) => {
      await (await ctx.api(command)).write('DELETE', `queues/${encodeURIComponent(id)}`);
      ctx.io.out(`Removed queue ${printable(id)}.\n`);
    });
}
