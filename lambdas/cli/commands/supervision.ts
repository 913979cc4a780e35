/**
 * The supervisor's and flow editor's commands (issue 12 items 3 and 4), added to the existing
 * groups: `interaction assign ID --agent A`, `interaction search TEXT [--state]`,
 * `quarantine reroute ID [--queue Q]` and `flow dry-run ID|--file flow.json --message file.eml|
 * --interaction ID`. The API decides; these print its answer.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Interaction, TrailEntry } from '../../core/interaction.ts';
import type { CliContext } from '../context.ts';
import { readCliFile } from '../cli-file.ts';
import { CliError } from '../errors.ts';
import { COLUMN_LIMITS, formatAddress, formatTable, nextPageHint, printable, truncate } from '../format.ts';
import { readFlowFile } from './flow.ts';

/** A pasted message larger than this is refused by the API (FLOW_DRY_RUN_LIMITS); read no more. */
export const MAX_DRY_RUN_MESSAGE_FILE_BYTES = 1_000_000;

interface SearchJson {
  readonly interactions: readonly Interaction[];
  readonly cursor?: string;
  readonly searched: { readonly by: string; readonly from?: string; readonly to?: string; readonly note: string };
}

interface DryRunJson {
  readonly flow: { readonly id: string; readonly version: number };
  readonly trail: readonly TrailEntry[];
  readonly outcome: Record<string, unknown> & { readonly disposition: string; readonly acknowledgement?: { readonly to: string; readonly subject: string } };
}

/** Registers the commands; call after the `interaction`, `quarantine` and `flow` groups exist. */
export function registerSupervision(program: Command, ctx: CliContext): void {
  const group = (name: string) => program.commands.find((c) => c.name() === name) ?? program.command(name);
  const interaction = group('interaction');
  interaction
    .command('assign')
    .description('assign a waiting interaction to an agent (supervisor)')
    .argument('<id>', 'interaction id')
    .requiredOption('--agent <id>', 'the agent who gets it; it must serve the interaction\'s queue')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { agent: string; json?: boolean }, command: Command) => {
      const out = await (await ctx.api(command)).write<{ interaction: Interaction }>('POST', `interactions/${encodeURIComponent(id)}/assign`, { agentId: o.agent });
      ctx.io.out(o.json ? `${JSON.stringify(out, null, 2)}\n` : `Interaction ${printable(id)} is assigned to agent ${printable(out!.interaction.agentId ?? o.agent)}.\n`);
    });
  interaction
    .command('search')
    .description('find interactions by sender address, reference token or subject words (supervisor)')
    .argument('<text>', 'an address (exact), a reference token (PR-…) or words of the subject')
    .option('--state <state>', 'open, closed or all', 'all')
    .option('--cursor <cursor>', 'the next page, from the cursor a search printed')
    .option('--json', 'print the API JSON')
    .action(async (text: string, o: { state: string; cursor?: string; json?: boolean }, command: Command) => {
      const page = await (await ctx.api(command)).get<SearchJson>('interactions', { q: text, state: o.state, cursor: o.cursor });
      ctx.io.out(o.json ? `${JSON.stringify(page, null, 2)}\n` : `${formatSearch(page, text)}\n`);
    });

  group('quarantine')
    .command('reroute')
    .description('route a quarantined interaction judged a false positive into a queue (supervisor)')
    .argument('<id>', 'interaction id')
    .option('--queue <id>', 'the queue (default: the queue of its address route)')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { queue?: string; json?: boolean }, command: Command) => {
      const out = await (await ctx.api(command)).write<{ interaction: Interaction }>('POST', `quarantine/${encodeURIComponent(id)}/reroute`, o.queue !== undefined ? { queueId: o.queue } : {});
      ctx.io.out(o.json ? `${JSON.stringify(out, null, 2)}\n` : `Interaction ${printable(id)} waits in queue ${printable(out!.interaction.queueId ?? '-')}.\n`);
    });

  group('flow')
    .command('dry-run')
    .description('show what a flow would do with a message; nothing is stored or sent (admin)')
    .argument('[id]', 'a stored flow (its current version)')
    .option('--file <flow.json>', 'an unsaved flow definition instead of a stored one')
    .option('--message <file.eml>', 'a message file (RFC 5322)')
    .option('--interaction <id>', 'the message of a stored interaction instead')
    .option('--json', 'print the API JSON')
    .action(async (id: string | undefined, o: { file?: string; message?: string; interaction?: string; json?: boolean }, command: Command) => {
      if ((id === undefined) === (o.file === undefined)) throw new CliError('name a stored flow (ID) or give --file, not both');
      if ((o.message === undefined) === (o.interaction === undefined)) throw new CliError('give --message or --interaction, not both');
      const body = {
        ...(id !== undefined ? { flowId: id } : { flow: await readFlowFile(resolve(ctx.io.cwd, o.file!)) }),
        ...(o.message !== undefined ? { raw: await readMessage(resolve(ctx.io.cwd, o.message)) } : { interactionId: o.interaction }),
      };
      const out = await (await ctx.api(command)).write<DryRunJson>('POST', 'flows/dry-run', body);
      ctx.io.out(o.json ? `${JSON.stringify(out, null, 2)}\n` : `${formatDryRun(out!)}\n`);
    });
}

async function readMessage(path: string): Promise<string> {
  return (await readCliFile(path, MAX_DRY_RUN_MESSAGE_FILE_BYTES)).toString('utf8');
}

/** The table of `interaction search`, with how far it looked. */
export function formatSearch(page: SearchJson, text: string): string {
  const s = page.searched;
  const scope = `Searched by ${s.by}${s.from ? ` from ${s.from}` : ''}${s.to ? ` to ${s.to}` : ''}: ${s.note}.`;
  if (page.interactions.length === 0) return `No interactions found.\n${scope}`;
  const rows = page.interactions.map((i) => [
    i.id,
    i.message.receivedAt,
    i.state,
    truncate(formatAddress(i.message.from) === '-' ? i.message.mailFrom || '<>' : formatAddress(i.message.from), COLUMN_LIMITS.from),
    truncate(i.message.subject || '(no subject)', COLUMN_LIMITS.subject),
  ]);
  return `${formatTable(['id', 'received', 'state', 'from', 'subject'], rows)}\n${scope}${nextPageHint(`postroom interaction search ${JSON.stringify(text)}`, page.cursor)}`;
}

/** The text of `flow dry-run`: the outcome, then the trail. */
export function formatDryRun(out: DryRunJson): string {
  const o = out.outcome;
  const where = o.disposition === 'queue' ? `queue ${o.queueId} with priority ${o.priority}` : o.disposition === 'attach' ? `attached to ${o.interactionId}` : `${o.disposition} (${o.reason})`;
  const needs = [...((o.skills as string[] | undefined) ?? []).map((s) => `skill ${s}`), ...(o.language ? [`language ${o.language}`] : [])];
  const lines = [`Flow ${printable(out.flow.id)} v${out.flow.version}: ${printable(where)}${needs.length ? `, requiring ${needs.map(printable).join(', ')}` : ''}`];
  if (o.acknowledgement) lines.push(`  would acknowledge to ${printable(o.acknowledgement.to)}: "${printable(o.acknowledgement.subject)}"`);
  lines.push('', 'Trail (nothing was stored or sent)');
  for (const t of out.trail) lines.push(`  ${printable(t.step)}  ${printable(t.detail)}`);
  return lines.join('\n');
}
