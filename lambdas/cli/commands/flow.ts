/**
 * `postroom flow put|list|show|versions|remove`: flows are JSON files kept by the admin (in git,
 * ideally); `put` stores the file as the flow's next version, and `show --version n` reads any
 * earlier one, so a change can be compared and rolled back by putting an old version again.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { FlowDefinition, FlowRule, FlowSummary } from '../../core/routing/flow.ts';
import type { CliContext } from '../context.ts';
import { readCliFile } from '../cli-file.ts';
import { CliError } from '../errors.ts';
import { formatTable } from '../format.ts';

/** A flow file larger than this is not a flow (the API's own limits are far below it). */
export const MAX_FLOW_FILE_BYTES = 1024 * 1024;

/** A flow version as the API returns it. */
export type FlowJson = FlowDefinition & { readonly id: string; readonly version: number; readonly createdAt: string };

interface VersionsJson {
  readonly id: string;
  readonly versions: { version: number; name: string; rules: number; createdAt: string }[];
}

/** Registers the `flow` commands. */
export function registerFlow(program: Command, ctx: CliContext): void {
  const flow = program.command('flow').description('versioned routing flows');

  flow
    .command('put')
    .description('store a flow file as the next version of flow <id>')
    .argument('<id>')
    .requiredOption('--file <path>', 'the flow definition (JSON)')
    .option('--json', 'print the API JSON')
    .action(async (id: string, options: { file: string; json?: boolean }, command: Command) => {
      const definition = await readFlowFile(resolve(ctx.io.cwd, options.file));
      const out = await (await ctx.api(command)).write<{ flow: FlowJson }>('PUT', `flows/${encodeURIComponent(id)}`, definition);
      if (options.json) ctx.io.out(`${JSON.stringify(out, null, 2)}\n`);
      else ctx.io.out(`Stored flow ${id} version ${out?.flow.version ?? '?'} (${definition.rules.length} rules).\n`);
    });

  flow
    .command('list')
    .description('list flows and their current versions')
    .option('--json', 'print the API JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<{ flows: FlowSummary[] }>('flows');
      ctx.io.out(options.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatFlowList(body.flows)}\n`);
    });

  flow
    .command('show')
    .description('show the current (or a given) version of a flow')
    .argument('<id>')
    .option('--version <n>', 'an earlier version')
    .option('--json', 'print the API JSON')
    .action(async (id: string, options: { version?: string; json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<{ flow: FlowJson }>(`flows/${encodeURIComponent(id)}`, { version: options.version });
      ctx.io.out(options.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatFlow(body.flow)}\n`);
    });

  flow
    .command('versions')
    .description('list the versions of a flow')
    .argument('<id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const body = await (await ctx.api(command)).get<VersionsJson>(`flows/${encodeURIComponent(id)}/versions`);
      const rows = body.versions.map((v) => [String(v.version), v.name, String(v.rules), v.createdAt]);
      ctx.io.out(`${formatTable(['version', 'name', 'rules', 'created'], rows)}\n`);
    });

  flow
    .command('remove')
    .description('remove a flow and its history (refused while an address routes to it)')
    .argument('<id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      await (await ctx.api(command)).write('DELETE', `flows/${encodeURIComponent(id)}`);
      ctx.io.out(`Removed flow ${id}.\n`);
    });
}

/**
 * Reads and parses a flow file; the API validates its content.
 * @throws CliError when the file is missing, too large or not JSON
 */
export async function readFlowFile(path: string): Promise<FlowDefinition> {
  const text = (await readCliFile(path, MAX_FLOW_FILE_BYTES)).toString('utf8');
  try {
    return JSON.parse(text) as FlowDefinition;
  } catch (err) {
    throw new CliError(`${path} is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** The table of `flow list`. */
export function formatFlowList(flows: readonly FlowSummary[]): string {
  if (flows.length === 0) return 'No flows.';
  return formatTable(['id', 'name', 'version', 'updated'], flows.map((f) => [f.id, f.name, String(f.version), f.updatedAt]));
}

/** The text of `flow show`: one line per rule, its conditions and its actions. */
export function formatFlow(f: FlowJson): string {
  const lines = [`Flow ${f.id} version ${f.version}: ${f.name}`, `  Created: ${f.createdAt}`];
  if (f.description) lines.push(`  ${f.description}`);
  f.rules.forEach((rule, n) => lines.push(...formatRule(rule, n)));
  return lines.join('\n');
}

function formatRule(rule: FlowRule, n: number): string[] {
  const when = rule.when.length
    ? rule.when
        .map((c) => {
          const subject = c.field === 'header' ? `header ${c.header}` : c.field === 'verdict' ? `verdict ${c.verdict}` : c.field;
          const value = c.op === 'exists' ? '' : c.op === 'in' ? ` [${(c.values ?? []).join(', ')}]` : ` ${JSON.stringify(c.value)}`;
          return `${c.not ? 'not ' : ''}${subject} ${c.op}${value}`;
        })
        .join(' and ')
    : 'always';
  const then = rule.then.map((a) => {
    const { type, ...args } = a;
    return `${type} ${JSON.stringify(args)}`;
  });
  return [`  ${n + 1}. ${rule.name ?? '(unnamed)'}${rule.stop ? ' [stop]' : ''}`, `     when ${when}`, ...then.map((t) => `     then ${t}`)];
}
