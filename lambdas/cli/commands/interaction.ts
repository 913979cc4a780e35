/**
 * `postroom interaction show <id>`: everything about one interaction, in the order an admin asks
 * "where is it and why": state and queue or quarantine reason, headers, verdicts, attachments,
 * preview, and the trail. Also `release|transfer|close <id>`, the agent's actions on an interaction.
 */
import type { Command } from 'commander';
import type { Interaction } from '../../core/interaction.ts';
import type { CliContext } from '../context.ts';
import { formatAddress, formatAge, formatScore, printable } from '../format.ts';
import { registerInteractionContent } from './interaction-content.ts';

type ShownInteraction = Interaction & { readonly score?: number; readonly ageMinutes?: number };

/** What the interaction sent, as `GET /interactions/:id` lists it (`outbox`). */
interface ShownSend {
  readonly id: string;
  readonly purpose: string;
  readonly state: string;
  readonly createdAt: string;
  readonly route?: string;
  readonly failure?: { readonly reason: string; readonly detail: string };
  readonly delivery?: readonly { readonly recipient: string; readonly status: string }[];
}

/** Registers `interaction show <id> [--json]`. */
export function registerInteraction(program: Command, ctx: CliContext): void {
  const interaction = program.command('interaction').description('inspect interactions');
  interaction
    .command('show')
    .description('show one interaction: headers, verdicts, attachments, state and trail')
    .argument('<id>', 'interaction id, e.g. i-abc…')
    .option('--json', 'print the API JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const api = await ctx.api(command);
      const body = await api.get<{ interaction: ShownInteraction; replies?: ShownReply[]; outbox?: ShownSend[] }>(`interactions/${encodeURIComponent(id)}`);
      ctx.io.out(options.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatInteraction(body.interaction, body.replies ?? [], body.outbox ?? [])}\n`);
    });
  registerInteractionActions(interaction, ctx);
  registerInteractionContent(interaction, ctx);
}

/** `interaction release|transfer|close <id>`: what an agent does with an interaction it holds. */
function registerInteractionActions(interaction: Command, ctx: CliContext): void {
  const act = async (command: Command, id: string, action: string, body: object, json?: boolean) => {
    const out = await (await ctx.api(command)).write<{ interaction: ShownInteraction }>('POST', `interactions/${encodeURIComponent(id)}/${action}`, body);
    const i = out!.interaction;
    const where = i.state === 'waiting' ? ` in queue ${i.queueId ?? '-'} (priority ${i.priority}${i.score !== undefined ? `, score ${formatScore(i.score)}` : ''})` : '';
    ctx.io.out(json ? `${JSON.stringify(out, null, 2)}\n` : `Interaction ${printable(i.id)} is ${i.state}${where}.\n`);
  };
  interaction
    .command('release')
    .description('put a claimed interaction back into its queue; its wait time is kept')
    .argument('<id>', 'interaction id')
    .requiredOption('--agent <id>', 'the agent who holds it')
    .option('--json', 'print the API JSON')
    .action((id: string, o: { agent: string; json?: boolean }, command: Command) => act(command, id, 'release', { agentId: o.agent }, o.json));
  interaction
    .command('transfer')
    .description('move an interaction to another queue, optionally with a new priority')
    .argument('<id>', 'interaction id')
    .requiredOption('--queue <id>', 'the target queue')
    .option('--priority <n>', 'new priority (integer)', (v: string) => Number(v))
    .option('--agent <id>', 'the agent who holds it (required when it is claimed)')
    .option('--json', 'print the API JSON')
    .action((id: string, o: { queue: string; priority?: number; agent?: string; json?: boolean }, command: Command) =>
      act(command, id, 'transfer', { queueId: o.queue, ...(o.priority !== undefined && { priority: o.priority }), ...(o.agent !== undefined && { agentId: o.agent }) }, o.json),
    );
  interaction
    .command('close')
    .description('close an interaction the agent has finished')
    .argument('<id>', 'interaction id')
    .requiredOption('--agent <id>', 'the agent who holds it')
    .option('--json', 'print the API JSON')
    .action((id: string, o: { agent: string; json?: boolean }, command: Command) => act(command, id, 'close', { agentId: o.agent }, o.json));
}

/** A further message of the conversation, as `GET /interactions/:id` lists it. */
export interface ShownReply {
  readonly receivedAt: string;
  readonly from?: { readonly address: string; readonly name?: string };
  readonly mailFrom: string;
  readonly subject: string;
  readonly textPreview: string;
  /** `out`: an agent's reply, sent through the outbox (`outboxId`). */
  readonly direction?: 'in' | 'out';
  readonly outboxId?: string;
}

/** The text of `interaction show`. */
export function formatInteraction(i: ShownInteraction, replies: readonly ShownReply[] = [], sends: readonly ShownSend[] = []): string {
  const m = i.message;
  const lines: string[] = [`Interaction ${i.id} (${i.state})`];
  if (i.state === 'waiting') {
    const live = i.score !== undefined ? `, score ${formatScore(i.score)}, waiting ${formatAge(i.ageMinutes ?? 0)}` : '';
    lines.push(`  Queue:        ${i.queueId ?? '-'} (priority ${i.priority}${live})`);
  }
  if (i.quarantine) lines.push(`  Quarantine:   ${i.quarantine.reason}: ${i.quarantine.detail}`);
  if (i.disposition) lines.push(`  Disposition:  ${printable(i.disposition.reason)}: ${printable(i.disposition.detail)}`);
  if (i.agentId) lines.push(`  Agent:        ${printable(i.agentId)} since ${i.claimedAt ?? '-'}`);
  if (i.skills.length || i.language) lines.push(`  Requires:     ${[...i.skills, ...(i.language ? [`language ${i.language}`] : [])].map(printable).join(', ')}`);
  if (i.tags?.length) lines.push(`  Tags:         ${i.tags.map(printable).join(', ')}`);
  lines.push(`  Created:      ${i.createdAt}`);
  lines.push('', 'Headers');
  lines.push(...field('From', formatAddress(m.from)));
  lines.push(...field('To', m.to.map(formatAddress).join(', ') || '-'));
  if (m.cc.length) lines.push(...field('Cc', m.cc.map(formatAddress).join(', ')));
  lines.push(...field('Subject', m.subject || '(no subject)'));
  lines.push(...field('Date', m.date ?? '-'));
  lines.push(...field('Message-ID', m.messageId ?? '-'));
  if (m.inReplyTo) lines.push(...field('In-Reply-To', m.inReplyTo));
  lines.push(...field('Envelope', `MAIL FROM <${m.mailFrom}> RCPT TO ${m.recipients.map((r) => `<${r}>`).join(' ')}`));
  lines.push(...field('Received', `${m.receivedAt} via ${m.transport.kind}`));
  const v = m.verdicts;
  lines.push('', 'Verdicts', `  spam ${v.spam}  virus ${v.virus}  spf ${v.spf}  dkim ${v.dkim}  dmarc ${v.dmarc}`);
  lines.push('', 'Attachments');
  if (m.attachments.length === 0) lines.push('  (none)');
  for (const a of m.attachments) {
    lines.push(`  ${printable(a.filename ?? '(unnamed)')}  ${printable(a.contentType)}  ${formatBytes(a.size)}${a.inline ? '  inline' : ''}`);
  }
  if (m.textPreview) lines.push('', 'Preview', ...printable(m.textPreview).trim().slice(0, 300).split('\n').map((l) => `  ${l}`));
  if (replies.length) {
    lines.push('', `Conversation (${replies.length} more message${replies.length === 1 ? '' : 's'})`);
    for (const r of replies) {
      const preview = printable(r.textPreview).replace(/\s+/g, ' ').trim().slice(0, 120);
      const sent = r.direction === 'out' ? `sent ${printable(r.outboxId ?? '')}  ` : '';
      lines.push(`  ${r.receivedAt}  ${sent}${printable(r.from ? formatAddress(r.from) : r.mailFrom || '<>')}  ${printable(r.subject || '(no subject)')}`);
      if (preview) lines.push(`    ${preview}`);
    }
  }
  if (sends.length) {
    lines.push('', 'Sent');
    for (const o of sends) {
      const failure = o.failure ? `  ${printable(o.failure.reason)}: ${printable(o.failure.detail)}` : '';
      const delivery = (o.delivery ?? []).map((d) => `  ${printable(d.recipient)} ${d.status}`).join('');
      lines.push(`  ${o.createdAt}  ${printable(o.id)}  ${o.purpose}  ${o.state}${o.route ? ` via ${o.route}` : ''}${failure}${delivery}`);
    }
  }
  lines.push('', 'Trail');
  for (const t of i.trail) lines.push(`  ${t.at}  ${printable(t.step)}  ${printable(t.detail)}`);
  return lines.join('\n');
}

function field(name: string, value: string): string[] {
  return [`  ${`${name}:`.padEnd(13)} ${printable(value)}`];
}

/** Bytes as "512 B", "1.2 KB", "3.4 MB". */
export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}
