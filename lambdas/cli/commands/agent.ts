/**
 * `postroom agent add|update|list|show|remove|next|interactions`: agents, and the ACD "next" from a
 * terminal. Every command is one API call; what is printed comes from mail and is made printable.
 */
import type { Command } from 'commander';
import type { CliContext, InteractionJson, PageJson } from '../context.ts';
import { formatAddress, formatAge, formatScore, formatTable, nextPageHint, printable } from '../format.ts';
import type { Agent } from '../../core/agents/model.ts';

/** Registers the `agent` command and its subcommands. */
export function registerAgent(program: Command, ctx: CliContext): void {
  const agent = program.command('agent').description('register agents and take work as one');
  agent
    .command('add')
    .description('register an agent with skills, languages (ISO 639-1) and the queues it serves')
    .argument('<id>', 'agent id, e.g. anna')
    .requiredOption('--name <name>', 'display name')
    .option('--skill <skills...>', 'skills the agent has', [])
    .requiredOption('--language <codes...>', 'languages the agent speaks, e.g. en de')
    .requiredOption('--queue <ids...>', 'queues the agent takes work from')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { name: string; skill: string[]; language: string[]; queue: string[]; json?: boolean }, command: Command) => {
      const api = await ctx.api(command);
      const body = await api.write<{ agent: Agent }>('POST', 'agents', { id, name: o.name, skills: o.skill, languages: o.language, queues: o.queue });
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `Registered agent ${printable(id)}.\n${formatAgents([body!.agent])}\n`);
    });
  agent
    .command('update')
    .description('change an agent\'s name, skills, languages or queues; what it holds stays claimed')
    .argument('<id>', 'agent id')
    .option('--name <name>', 'display name')
    .option('--skill <skills...>', 'skills the agent has (replaces the list)')
    .option('--no-skills', 'remove every skill')
    .option('--language <codes...>', 'languages the agent speaks (replaces the list)')
    .option('--queue <ids...>', 'queues the agent takes work from (replaces the list)')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { name?: string; skill?: string[]; skills?: boolean; language?: string[]; queue?: string[]; json?: boolean }, command: Command) => {
      const api = await ctx.api(command);
      // PUT replaces the whole agent: what is not given is kept as registered.
      const { agent: current } = await api.get<{ agent: Agent }>(`agents/${encodeURIComponent(id)}`);
      const skills = o.skills === false ? [] : (o.skill ?? current.skills);
      const body = await api.write<{ agent: Agent }>('PUT', `agents/${encodeURIComponent(id)}`, { name: o.name ?? current.name, skills, languages: o.language ?? current.languages, queues: o.queue ?? current.queues });
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `Updated agent ${printable(id)}.\n${formatAgents([body!.agent])}\n`);
    });
  agent
    .command('list')
    .description('list registered agents')
    .option('--json', 'print the API JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<{ agents: Agent[] }>('agents');
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `${body.agents.length ? formatAgents(body.agents) : 'No agents registered.'}\n`);
    });
  agent
    .command('show')
    .description('show one agent')
    .argument('<id>', 'agent id')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<{ agent: Agent }>(`agents/${encodeURIComponent(id)}`);
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatAgents([body.agent])}\n`);
    });
  agent
    .command('remove')
    .description('remove an agent; the interactions it holds go back to their queues, wait time kept')
    .argument('<id>', 'agent id')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).write<{ agentId: string; released: number }>('DELETE', `agents/${encodeURIComponent(id)}`);
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatAgentRemoved(id, body?.released ?? 0)}\n`);
    });
  agent
    .command('next')
    .description("claim the highest-scoring interaction the agent may take from its queues")
    .argument('<agent>', 'agent id')
    .option('--json', 'print the API JSON (null when nothing waits)')
    .action(async (id: string, o: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).write<{ interaction: InteractionJson }>('POST', `agents/${encodeURIComponent(id)}/next`);
      if (o.json) return ctx.io.out(`${JSON.stringify(body ?? null, null, 2)}\n`);
      ctx.io.out(body ? `${formatClaimed(body.interaction)}\n` : `Nothing waiting for agent ${printable(id)}.\n`);
    });
  agent
    .command('interactions')
    .description('list the interactions the agent holds')
    .argument('<agent>', 'agent id')
    .option('--cursor <cursor>', 'the next page, from the cursor a listing printed')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { cursor?: string; json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<PageJson<InteractionJson>>(`agents/${encodeURIComponent(id)}/interactions`, { limit: 200, cursor: o.cursor });
      if (o.json) return ctx.io.out(`${JSON.stringify(body, null, 2)}\n`);
      const rows = body.interactions.map((i) => [i.id, i.queueId ?? '-', formatAddress(i.message.from), i.message.subject || '(no subject)', i.claimedAt ?? '-']);
      const more = nextPageHint(`postroom agent interactions ${printable(id)}`, body.cursor);
      ctx.io.out(`${rows.length ? formatTable(['id', 'queue', 'from', 'subject', 'claimed'], rows) : `Agent ${printable(id)} holds no interactions.`}${more}\n`);
    });
}

/** The agents as a table: id, name, skills, languages, queues. */
export function formatAgents(agents: readonly Agent[]): string {
  const list = (values: readonly string[]) => (values.length ? values.join(',') : '-');
  return formatTable(
    ['id', 'name', 'skills', 'languages', 'queues'],
    agents.map((a) => [a.id, a.name, list(a.skills), list(a.languages), list(a.queues)]),
  );
}

/** What `agent remove` prints: the agent, and how many interactions went back to their queues. */
export function formatAgentRemoved(id: string, released: number): string {
  const what = released === 1 ? '1 interaction' : `${released} interactions`;
  return `Removed agent ${printable(id)}; released ${what} back to ${released === 1 ? 'its queue' : 'their queues'}.`;
}

/** What `agent next` prints for a claimed interaction: id, queue, sender, subject and its wait. */
export function formatClaimed(i: InteractionJson): string {
  const waited = i.enqueuedAt ? formatAge((Date.parse(i.claimedAt ?? '') - Date.parse(i.enqueuedAt)) / 60_000) : '-';
  const score = i.enqueuedAt ? formatScore((Date.parse(i.claimedAt ?? '') - Date.parse(i.enqueuedAt)) / 60_000 + i.priority) : '-';
  return [
    `Claimed ${i.id} from queue ${i.queueId ?? '-'} (priority ${i.priority}, score ${score}, waited ${waited})`,
    `  From:    ${formatAddress(i.message.from)}`,
    `  Subject: ${printable(i.message.subject || '(no subject)')}`,
  ].join('\n');
}
