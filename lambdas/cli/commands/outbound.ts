/**
 * Sending from the command line (issue 11 item 1): `postroom interaction reply ID` (reply,
 * `--all`, `--forward --to ...`), `postroom send` (a new e-mail, or a notification from a stored
 * template with `--var k=v`), and the outbox: `postroom outbox list|show|resend`. Attachments are
 * uploaded first, straight to storage (`POST /uploads` answers a presigned PUT), then named by id.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { CLI_TEXT_EN } from '../messages.en.ts';
import { formatOutbox, formatOutboxList, type OutboxJson } from './outbox-format.ts';
import { formatTable, nextPageHint } from '../format.ts';
import { readRuntimeFile } from '../target.ts';
import type { ApiClient } from '../api-client.ts';

/** Media types by file extension for attachments; anything else is sent as application/octet-stream. */
const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.pdf': 'application/pdf', '.txt': 'text/plain', '.csv': 'text/csv', '.html': 'text/html', '.htm': 'text/html',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.zip': 'application/zip',
  '.json': 'application/json', '.eml': 'message/rfc822', '.ics': 'text/calendar',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** `Name <a@b.example>` or `a@b.example` as the API takes it. */
export function parseAddressArg(text: string): { address: string; name?: string } {
  const named = /^\s*"?([^"<]*?)"?\s*<([^<>]+)>\s*$/.exec(text);
  if (named) return { address: named[2]!.trim(), ...(named[1] && { name: named[1] }) };
  return { address: text.trim() };
}

interface BodyOptions {
  readonly text?: string;
  readonly textFile?: string;
  readonly htmlFile?: string;
  readonly attach?: string[];
  readonly cc?: string[];
  readonly bcc?: string[];
  readonly subject?: string;
  readonly requestId?: string;
  readonly json?: boolean;
}

/** Registers `interaction reply`, `send` and `outbox list|show|resend`. */
export function registerOutbound(program: Command, ctx: CliContext): void {
  const interaction = program.commands.find((c) => c.name() === 'interaction') ?? program.command('interaction').description('inspect interactions');
  const withBody = (command: Command) =>
    command
      .option('--text <text>', 'the text body')
      .option('--text-file <file>', 'the text body from a file (UTF-8)')
      .option('--html-file <file>', 'an HTML body from a file (UTF-8)')
      .option('--attach <file...>', 'files to attach (uploaded first; 40 MB per message in total)')
      .option('--cc <address...>', 'Cc recipients (`a@b` or `Name <a@b>`)')
      .option('--bcc <address...>', 'Bcc recipients')
      .option('--subject <text>', 'the subject')
      .option('--request-id <id>', 'an idempotency key: the same key never sends twice (default: a new one)')
      .option('--json', 'print the API JSON');

  withBody(
    interaction
      .command('reply')
      .description('answer an interaction you hold: from the address the customer wrote to, threaded')
      .argument('<id>', 'interaction id')
      .requiredOption('--agent <id>', 'the agent who holds it')
      .option('--all', 'reply to all: the other To and Cc recipients too')
      .option('--forward', 'forward it (with the original attached) to --to')
      .option('--to <address...>', 'recipients (required with --forward)'),
  ).action(async (id: string, o: BodyOptions & { agent: string; all?: boolean; forward?: boolean; to?: string[] }, command: Command) => {
    if (o.all && o.forward) throw new CliError(CLI_TEXT_EN.oneOf('--all', '--forward'));
    const api = await ctx.api(command);
    const body = {
      agentId: o.agent,
      mode: o.forward ? 'forward' : o.all ? 'reply-all' : 'reply',
      ...(o.to && { to: o.to.map(parseAddressArg) }),
      ...(await content(api, ctx, o)),
    };
    const out = await api.write<{ outbox: OutboxJson; enqueued: boolean }>('POST', `interactions/${encodeURIComponent(id)}/reply`, body);
    printSent(ctx, out!, o.json);
  });

  withBody(
    program
      .command('send')
      .description('send a new e-mail, or a notification from a stored template (--template, --var)')
      .requiredOption('--from <address>', 'a configured address, or a sender of an SMTP server')
      .requiredOption('--to <address...>', 'recipients')
      .option('--template <id>', 'a stored template: its subject and body, with --var values')
      .option('--var <name=value...>', 'template variables: subject, from.name, from.address, reference, recipient')
      .option('--agent <id>', 'who sends (default: admin)'),
  ).action(async (o: BodyOptions & { from: string; to: string[]; template?: string; var?: string[]; agent?: string }, command: Command) => {
    const api = await ctx.api(command);
    const body = {
      from: parseAddressArg(o.from),
      to: o.to.map(parseAddressArg),
      ...(o.agent && { agentId: o.agent }),
      ...(o.template && { template: o.template, variables: variables(o.var ?? []) }),
      ...(await content(api, ctx, o)),
    };
    const out = await api.write<{ outbox: OutboxJson; enqueued: boolean }>('POST', 'send', body);
    printSent(ctx, out!, o.json);
  });

  const outbox = program.command('outbox').description('what Postroom sends: pending, sending, sent, failed, uncertain');
  outbox
    .command('list')
    .description('outbox records, newest first')
    .option('--state <state>', 'pending, sending, sent, failed or uncertain')
    .option('--interaction <id>', 'only those of one interaction')
    .option('--limit <n>', 'page size (1-200)')
    .option('--cursor <cursor>', 'the next page, from a previous list')
    .option('--json', 'print the API JSON')
    .option('--captured', 'npm start only: the mail the local SES stand-in captured (what SES would have delivered)')
    .action(async (o: { state?: string; interaction?: string; limit?: string; cursor?: string; json?: boolean; captured?: boolean }, command: Command) => {
      if (o.captured) return void ctx.io.out(await capturedList(ctx, o.json));
      const page = await (await ctx.api(command)).get<{ outbox: OutboxJson[]; cursor?: string }>('outbox', { state: o.state, interaction: o.interaction, limit: o.limit, cursor: o.cursor });
      ctx.io.out(o.json ? `${JSON.stringify(page, null, 2)}\n` : `${formatOutboxList(page.outbox)}${nextPageHint('postroom outbox list', page.cursor)}`);
    });
  outbox
    .command('show')
    .description('one outbox record: addresses, state, route, failure, delivery events')
    .argument('<id>')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { json?: boolean }, command: Command) => {
      const out = await (await ctx.api(command)).get<{ outbox: OutboxJson }>(`outbox/${encodeURIComponent(id)}`);
      ctx.io.out(o.json ? `${JSON.stringify(out, null, 2)}\n` : `${formatOutbox(out.outbox)}\n`);
    });
  outbox
    .command('resend')
    .description('send an uncertain or failed message again, with the same Message-ID')
    .argument('<id>')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { json?: boolean }, command: Command) => {
      const out = await (await ctx.api(command)).write<{ outbox: OutboxJson }>('POST', `outbox/${encodeURIComponent(id)}/resend`, {});
      ctx.io.out(o.json ? `${JSON.stringify(out, null, 2)}\n` : `Outbox ${out!.outbox.id} is ${out!.outbox.state} again; it will be sent with Message-ID ${out!.outbox.messageId}.\n`);
    });
}

/** Subject, bodies, copies, attachments (uploaded now) and the request id of a send. */
async function content(api: ApiClient, ctx: CliContext, o: BodyOptions) {
  if (o.text !== undefined && o.textFile !== undefined) throw new CliError(CLI_TEXT_EN.oneOf('--text', '--text-file'));
  const text = o.textFile !== undefined ? await readFile(resolve(ctx.io.cwd, o.textFile), 'utf8') : o.text;
  const html = o.htmlFile !== undefined ? await readFile(resolve(ctx.io.cwd, o.htmlFile), 'utf8') : undefined;
  const attachments: string[] = [];
  for (const file of o.attach ?? []) attachments.push(await upload(api, resolve(ctx.io.cwd, file)));
  return {
    ...(o.subject !== undefined && { subject: o.subject }),
    ...(text !== undefined && { text }),
    ...(html !== undefined && { html }),
    ...(o.cc && { cc: o.cc.map(parseAddressArg) }),
    ...(o.bcc && { bcc: o.bcc.map(parseAddressArg) }),
    ...(attachments.length > 0 && { attachments }),
    requestId: o.requestId ?? randomUUID(),
  };
}

/** Uploads one file by the presigned PUT the API answers; its upload id. */
async function upload(api: ApiClient, path: string): Promise<string> {
  const { size } = await stat(path).catch((err: unknown) => {
    throw new CliError(CLI_TEXT_EN.cannotRead(path, err), { cause: err });
  });
  const contentType = MEDIA_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const ticket = await api.write<{ upload: { uploadId: string; url: string; headers: Record<string, string> } }>('POST', 'uploads', { filename: basename(path), contentType, size });
  const { uploadId, url, headers } = ticket!.upload;
  const res = await fetch(url, { method: 'PUT', headers, body: await readFile(path) });
  if (!res.ok) throw new CliError(`uploading ${basename(path)} failed: storage answered ${res.status}`);
  return uploadId;
}

function variables(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new CliError(`--var ${pair}: expected name=value`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

function printSent(ctx: CliContext, out: { outbox: OutboxJson; enqueued: boolean }, json?: boolean): void {
  const o = out.outbox;
  const what = out.enqueued ? 'Enqueued' : 'Already enqueued';
  ctx.io.out(json ? `${JSON.stringify(out, null, 2)}\n` : `${what} ${o.id} (${o.purpose}, ${o.state}): "${o.subject}"\n  Message-ID: ${o.messageId}\n`);
}

/** One message aws-ses-v2-local captured, as its `/store` answers it. */
interface CapturedJson {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to?: readonly string[]; readonly cc?: readonly string[]; readonly bcc?: readonly string[] };
  readonly subject: string;
  readonly at: number;
}

/** The local runtime's captured SES mail (its address from .postroom/runtime.json), newest first. */
async function capturedList(ctx: CliContext, json: boolean | undefined): Promise<string> {
  const url = readRuntimeFile(ctx.io.cwd)?.sesOutboundUrl;
  if (!url) throw new CliError('no local SES stand-in is recorded in .postroom/runtime.json: --captured lists what npm start captured; start it in this folder');
  const res = await fetch(`${url}/store`).catch((err: Error) => {
    throw new CliError(`the local SES stand-in at ${url} does not answer (is npm start running?): ${err.message}`);
  });
  if (!res.ok) throw new CliError(`the local SES stand-in at ${url} answered HTTP ${res.status}`);
  const emails = ((await res.json()) as { emails: CapturedJson[] }).emails.slice().reverse();
  if (json) return `${JSON.stringify({ captured: emails }, null, 2)}\n`;
  if (emails.length === 0) return `Nothing captured yet (${url}).\n`;
  const rows = emails.map((m) => [new Date(m.at * 1000).toISOString(), m.from, [...(m.destination.to ?? []), ...(m.destination.cc ?? [])].join(', '), m.subject, m.messageId]);
  return `${formatTable(['CAPTURED', 'FROM', 'TO', 'SUBJECT', 'SES MESSAGE ID'], rows)}\nCaptured by the local SES stand-in, never delivered: ${url}\n`;
}
