/**
 * `postroom address add|list|show|update|remove`: the e-mail addresses of the organisation and
 * where their mail goes (ADR-1..3). Options map one to one onto the API body; `update` changes
 * only what its options name, so a routing change does not have to repeat the from name.
 */
import type { Command } from 'commander';
import type { EmailAddressRoute } from '../../core/routing/model.ts';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { CLI_TEXT_EN } from '../messages.en.ts';
import { formatTable } from '../format.ts';

/** The options `add` and `update` share; commander's `--no-routing` sets `routing: false`. */
export interface AddressOptions {
  readonly fromName?: string;
  readonly fromAddress?: string;
  readonly replyTo?: string;
  readonly bcc?: string[];
  readonly queue?: string;
  readonly skill?: string[];
  readonly language?: string;
  readonly priority?: string;
  readonly flow?: string;
  readonly routing?: boolean;
  readonly spamFlow?: string;
  readonly spamDisconnect?: boolean;
  readonly spamRouting?: boolean;
  readonly json?: boolean;
}

type RouteBody = Omit<EmailAddressRoute, 'address' | 'createdAt' | 'updatedAt'>;

/** The body of `POST`/`PUT /addresses`; without a from address the API uses the address itself. */
export type AddressBody = Omit<RouteBody, 'fromAddress'> & { readonly fromAddress?: string };

/** Registers the `address` commands. */
export function registerAddress(program: Command, ctx: CliContext): void {
  const address = program.command('address').description('e-mail addresses and their routing');
  const withRouteOptions = (command: Command) =>
    command
      .option('--from-name <name>', 'the name customers see on replies')
      .option('--from-address <address>', 'a configured address replies are sent from (default: the address)')
      .option('--reply-to <address>', 'the reply-to customers see')
      .option('--bcc <address...>', 'fixed BCC recipients (at most 5)')
      .option('--queue <id>', 'route all non-spam mail to this queue')
      .option('--skill <skill...>', 'ACD skills the queue target requires')
      .option('--language <code>', 'ISO 639-1 language of the queue target')
      .option('--priority <n>', 'priority of the queue target (score = minutes waited + priority)')
      .option('--flow <id>', 'route all non-spam mail to this flow')
      .option('--no-routing', 'no inbound routing (outbound-only address)')
      .option('--spam-flow <id>', 'route suspected spam to this flow')
      .option('--spam-disconnect', 'disconnect all mail detected as spam')
      .option('--no-spam-routing', 'treat spam like other mail of the address')
      .option('--json', 'print the API JSON');

  withRouteOptions(address.command('add').description('add an address').argument('<address>')).action(
    async (addr: string, options: AddressOptions, command: Command) => {
      if (options.fromName === undefined) throw new CliError('address add needs --from-name');
      const body = { address: addr, ...addressBody(options) };
      const out = await (await ctx.api(command)).write<{ address: EmailAddressRoute }>('POST', 'addresses', body);
      print(ctx, options, out, `Added ${addr}.`);
    },
  );

  withRouteOptions(address.command('update').description('change an address; only the given options change').argument('<address>')).action(
    async (addr: string, options: AddressOptions, command: Command) => {
      const api = await ctx.api(command);
      const { address: existing } = await api.get<{ address: EmailAddressRoute }>(`addresses/${encodeURIComponent(addr)}`);
      const out = await api.write<{ address: EmailAddressRoute }>('PUT', `addresses/${encodeURIComponent(addr)}`, addressBody(options, existing));
      print(ctx, options, out, `Updated ${addr}.`);
    },
  );

  address
    .command('list')
    .description('list addresses and where their mail goes')
    .option('--json', 'print the API JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<{ addresses: EmailAddressRoute[] }>('addresses');
      ctx.io.out(options.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatAddressList(body.addresses)}\n`);
    });

  address
    .command('show')
    .description('show one address')
    .argument('<address>')
    .option('--json', 'print the API JSON')
    .action(async (addr: string, options: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<{ address: EmailAddressRoute }>(`addresses/${encodeURIComponent(addr)}`);
      ctx.io.out(options.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatAddressRoute(body.address)}\n`);
    });

  address
    .command('remove')
    .description('remove an address')
    .argument('<address>')
    .action(async (addr: string, _options: unknown, command: Command) => {
      await (await ctx.api(command)).write('DELETE', `addresses/${encodeURIComponent(addr)}`);
      ctx.io.out(`Removed ${addr}.\n`);
    });
}

/**
 * The API body for the options, on top of `existing` for `update`. Why the checks here: mixing
 * `--queue` with `--flow` is a usage error the user fixes in the command line, not a field error.
 * @throws CliError for contradictory options or a priority that is not an integer
 */
export function addressBody(o: AddressOptions, existing?: RouteBody): AddressBody {
  const targets = [o.queue !== undefined, o.flow !== undefined, o.routing === false].filter(Boolean).length;
  if (targets > 1) throw new CliError(CLI_TEXT_EN.oneOf('--queue', '--flow', '--no-routing'));
  const spams = [o.spamFlow !== undefined, o.spamDisconnect === true, o.spamRouting === false].filter(Boolean).length;
  if (spams > 1) throw new CliError(CLI_TEXT_EN.oneOf('--spam-flow', '--spam-disconnect', '--no-spam-routing'));
  const priority = o.priority === undefined ? undefined : Number(o.priority);
  if (priority !== undefined && (o.priority?.trim() === '' || !Number.isInteger(priority))) throw new CliError('--priority must be an integer');

  const routing = routingOf(o, priority, existing?.routing);
  const spamRouting =
    o.spamFlow !== undefined ? { kind: 'flow' as const, flowId: o.spamFlow }
    : o.spamDisconnect ? { kind: 'disconnect' as const }
    : o.spamRouting === false ? undefined
    : existing?.spamRouting;
  const replyTo = o.replyTo ?? existing?.replyTo;
  const fromAddress = o.fromAddress ?? existing?.fromAddress;
  return {
    fromName: o.fromName ?? existing?.fromName ?? '',
    ...(fromAddress !== undefined && { fromAddress }),
    ...(replyTo !== undefined && { replyTo }),
    bcc: o.bcc ?? [...(existing?.bcc ?? [])],
    routing,
    ...(spamRouting !== undefined && { spamRouting }),
  };
}

function routingOf(o: AddressOptions, priority: number | undefined, existing?: RouteBody['routing']): RouteBody['routing'] {
  const queueOptions = o.skill !== undefined || o.language !== undefined || priority !== undefined;
  if (o.flow !== undefined) return { kind: 'flow', flowId: o.flow };
  if (o.routing === false) return { kind: 'none' };
  const base = existing?.kind === 'queue' && o.queue === undefined ? existing : undefined;
  if (o.queue === undefined && !base) {
    if (queueOptions) throw new CliError('--skill, --language and --priority need --queue');
    if (existing) return existing;
    throw new CliError('say where mail goes: --queue <id>, --flow <id> or --no-routing');
  }
  const language = o.language ?? base?.language;
  return {
    kind: 'queue',
    queueId: o.queue ?? base?.queueId ?? '',
    skills: o.skill ?? [...(base?.skills ?? [])],
    ...(language !== undefined && { language }),
    priority: priority ?? base?.priority ?? 0,
  };
}

/** Where an address's mail goes, in a few words. */
export function describeRouting(r: EmailAddressRoute['routing']): string {
  if (r.kind === 'flow') return `flow ${r.flowId}`;
  if (r.kind === 'none') return 'none (outbound only)';
  const extras = [r.skills.length ? `skills ${r.skills.join(',')}` : '', r.language ? `language ${r.language}` : '', `priority ${r.priority}`];
  return `queue ${r.queueId} (${extras.filter(Boolean).join(', ')})`;
}

function describeSpam(s: EmailAddressRoute['spamRouting']): string {
  return s === undefined ? 'like other mail' : s.kind === 'flow' ? `flow ${s.flowId}` : 'disconnect';
}

/** The table of `address list`, or a sentence when there are none. */
export function formatAddressList(routes: readonly EmailAddressRoute[]): string {
  if (routes.length === 0) return 'No addresses configured.';
  return formatTable(
    ['address', 'from', 'routing', 'spam'],
    routes.map((r) => [r.address, `${r.fromName} <${r.fromAddress}>`, describeRouting(r.routing), describeSpam(r.spamRouting)]),
  );
}

/** The text of `address show`. */
export function formatAddressRoute(r: EmailAddressRoute): string {
  return [
    `Address ${r.address}`,
    `  From:      ${r.fromName} <${r.fromAddress}>`,
    `  Reply-To:  ${r.replyTo ?? '-'}`,
    `  BCC:       ${r.bcc.join(', ') || '-'}`,
    `  Routing:   ${describeRouting(r.routing)}`,
    `  Spam:      ${describeSpam(r.spamRouting)}`,
    `  Updated:   ${r.updatedAt}`,
  ].join('\n');
}

function print(ctx: CliContext, options: AddressOptions, out: { address: EmailAddressRoute } | undefined, done: string): void {
  if (options.json) ctx.io.out(`${JSON.stringify(out, null, 2)}\n`);
  else ctx.io.out(`${done}\n${out ? `${formatAddressRoute(out.address)}\n` : ''}`);
}
