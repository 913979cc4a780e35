/**
 * `postroom template put|list|show|remove`: the stored auto-acknowledgement templates a flow's
 * `autoAcknowledge` action names by `templateId`. A body is usually several lines, so `put` reads
 * it from a file (`--body-file`) as readily as from the command line (`--body`).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { StoredAckTemplate } from '../../core/routing/ack-template.ts';
import { FLOW_LIMITS } from '../../core/routing/flow.ts';
import type { CliContext } from '../context.ts';
import { readCliFile } from '../cli-file.ts';
import { CliError } from '../errors.ts';
import { formatTable } from '../format.ts';

/** A body file larger than this cannot be a template body (the API refuses far less); 4 bytes per character at most. */
export const MAX_TEMPLATE_FILE_BYTES = FLOW_LIMITS.maxAckBodyChars * 4;

interface PutOptions {
  readonly name: string;
  readonly subject: string;
  readonly body?: string;
  readonly bodyFile?: string;
  readonly json?: boolean;
}

/** Registers the `template` commands. */
export function registerTemplate(program: Command, ctx: CliContext): void {
  const template = program.command('template').description('stored auto-acknowledgement templates');

  template
    .command('put')
    .description('create or replace template <id> (placeholders: {{subject}}, {{from.name}}, {{from.address}}, {{reference}}, {{recipient}})')
    .argument('<id>')
    .requiredOption('--name <name>', 'a name for admins')
    .requiredOption('--subject <subject>', 'the subject, one line')
    .option('--body <text>', 'the body text')
    .option('--body-file <path>', 'a file holding the body text (UTF-8)')
    .option('--json', 'print the API JSON')
    .action(async (id: string, options: PutOptions, command: Command) => {
      const body = await bodyOf(options, ctx.io.cwd);
      const out = await (await ctx.api(command)).write<{ template: StoredAckTemplate }>('PUT', `templates/${encodeURIComponent(id)}`, {
        name: options.name,
        subject: options.subject,
        body,
      });
      if (options.json) ctx.io.out(`${JSON.stringify(out, null, 2)}\n`);
      else ctx.io.out(`Stored template ${id}.\n`);
    });

  template
    .command('list')
    .description('list the stored templates')
    .option('--json', 'print the API JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const out = await (await ctx.api(command)).get<{ templates: StoredAckTemplate[] }>('templates');
      ctx.io.out(options.json ? `${JSON.stringify(out, null, 2)}\n` : `${formatTemplateList(out.templates)}\n`);
    });

  template
    .command('show')
    .description('show a template')
    .argument('<id>')
    .option('--json', 'print the API JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const out = await (await ctx.api(command)).get<{ template: StoredAckTemplate }>(`templates/${encodeURIComponent(id)}`);
      ctx.io.out(options.json ? `${JSON.stringify(out, null, 2)}\n` : `${formatTemplate(out.template)}\n`);
    });

  template
    .command('remove')
    .description('remove a template (refused while a flow names it)')
    .argument('<id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      await (await ctx.api(command)).write('DELETE', `templates/${encodeURIComponent(id)}`);
      ctx.io.out(`Removed template ${id}.\n`);
    });
}

/**
 * The body from `--body` or `--body-file` (exactly one of them).
 * @throws CliError when both or neither are given, or the file cannot be read or is too large
 */
async function bodyOf(options: PutOptions, cwd: string): Promise<string> {
  if ((options.body === undefined) === (options.bodyFile === undefined)) throw new CliError('give exactly one of --body and --body-file');
  if (options.body !== undefined) return options.body;
  const path = resolve(cwd, options.bodyFile!);
  return (await readCliFile(path, MAX_TEMPLATE_FILE_BYTES)).toString('utf8');
}

/** The table of `template list`. */
export function formatTemplateList(templates: readonly StoredAckTemplate[]): string {
  if (templates.length === 0) return 'No templates.';
  return formatTable(['id', 'name', 'subject', 'updated'], templates.map((t) => [t.id, t.name, t.subject, t.updatedAt]));
}

/** The text of `template show`: its name, subject and body as stored, placeholders unrendered. */
export function formatTemplate(t: StoredAckTemplate): string {
  return [`Template ${t.id}: ${t.name}`, `  Updated: ${t.updatedAt}`, `  Subject: ${t.subject}`, '', t.body].join('\n');
}
