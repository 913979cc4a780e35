/**
 * The reply composer's rules, pure so unit tests can pin them: who a reply goes to by default (as
 * the API's composeReply decides it, so what the agent sees is what is sent), the 50-recipient
 * limit, address lists typed as text, and templates with their variables filled from the interaction.
 */
import type { AddressRouteView, InteractionView, MailAddress, OutboxSummary } from '../api/types.ts';

/** Recipients per agent e-mail, BCC and the address's fixed BCC included (ARCHITECTURE.md's limits). */
export const MAX_RECIPIENTS = 50;

export type ReplyMode = 'reply' | 'reply-all' | 'forward';

/** The address route the customer wrote to: its From is what the reply is sent as. */
export function routeFor(interaction: InteractionView, routes: readonly AddressRouteView[]): AddressRouteView | undefined {
  const m = interaction.message;
  const written = [...m.recipients, ...m.to.map((a) => a.address), ...m.cc.map((a) => a.address)].map((a) => a.toLowerCase());
  const byAddress = new Map(routes.map((r) => [r.address.toLowerCase(), r]));
  for (const a of written) {
    const route = byAddress.get(a);
    if (route) return route;
  }
  return undefined;
}

/** Who a reply goes to before the agent edits it (mirrors the API's composeReply). */
export function replyDefaults(mode: ReplyMode, interaction: InteractionView, routes: readonly AddressRouteView[]): { to: MailAddress[]; cc: MailAddress[] } {
  if (mode === 'forward') return { to: [], cc: [] };
  const m = interaction.message;
  const customer: MailAddress = m.from ?? { address: m.mailFrom };
  if (mode === 'reply') return { to: [customer], cc: [] };
  const own = new Set(routes.flatMap((r) => [r.address.toLowerCase(), r.fromAddress.toLowerCase()]));
  const notOwn = (a: MailAddress) => !own.has(a.address.toLowerCase());
  const to = unique([customer, ...m.to.filter(notOwn)]);
  const cc = unique(m.cc.filter(notOwn)).filter((a) => !to.some((t) => same(t, a)));
  return { to, cc };
}

/** Every recipient the message will have, the route's fixed BCC included. */
export function countRecipients(lists: readonly (readonly MailAddress[])[], fixedBcc = 0): number {
  return lists.reduce((n, l) => n + l.length, 0) + fixedBcc;
}

/**
 * Parses what the agent typed: addresses separated by commas, semicolons or new lines, each
 * `a@b` or `Name <a@b>`. Checking is the API's (it answers per field); this only splits.
 */
export function parseAddressList(text: string): MailAddress[] {
  return text
    .split(/[,;\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const angle = /^(.*)<([^<>]+)>$/.exec(part);
      if (!angle) return { address: part };
      const name = angle[1]!.trim().replace(/^"(.*)"$/, '$1');
      return name ? { address: angle[2]!.trim(), name } : { address: angle[2]!.trim() };
    });
}

/** The list as the agent edits it. */
export function formatAddressList(list: readonly MailAddress[]): string {
  return list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');
}

/** The reference token (`PR-XXXXXXXX`) as the subjects of what the interaction sent show it. */
export function referenceOf(interaction: InteractionView, outbox: readonly OutboxSummary[] = []): string {
  for (const subject of [...outbox.map((o) => o.subject), interaction.message.subject]) {
    const match = /(?:^|[^0-9A-Za-z])(PR-[0-9A-Z]{8})(?![0-9A-Za-z])/.exec(subject);
    if (match) return match[1]!;
  }
  return '';
}

/** The template variables an interaction fills (the API's TEMPLATE_PLACEHOLDERS). */
export function templateVariables(interaction: InteractionView, recipient: string, reference: string): Record<string, string> {
  const m = interaction.message;
  return {
    subject: m.subject,
    'from.name': m.from?.name ?? '',
    'from.address': m.from?.address ?? m.mailFrom,
    reference,
    recipient,
  };
}

/** Replaces `{{name}}` (spaces allowed inside the braces) by its variable; unknown names stay as typed. */
export function fillTemplate(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => variables[name] ?? whole);
}

function same(a: MailAddress, b: MailAddress): boolean {
  return a.address.toLowerCase() === b.address.toLowerCase();
}

function unique(list: readonly MailAddress[]): MailAddress[] {
  const out: MailAddress[] = [];
  for (const a of list) if (!out.some((b) => same(a, b))) out.push(a);
  return out;
}
