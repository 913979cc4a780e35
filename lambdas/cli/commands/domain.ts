/**
 * `postroom domain add|list|show|remove|records|check`: the organisation's e-mail domains (issue 9
 * items 1, 4, 5). The API sets them up; this prints the DNS records to publish, and `check`
 * compares DNS with them, through the API's resolvers or, with `--dns`, through the servers given
 * (resolved here, against the plan the API gives). DNS modules load only for commands that use them.
 */
import type { Command } from 'commander';
import type { DomainStatus, Domain } from '../../core/domains/domain.ts';
import type { DnsLookupPort, DnsRecordPlan, SesIdentityStatus } from '../../core/domains/model.ts';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { CLI_TEXT_EN } from '../messages.en.ts';
import { formatTable, printable } from '../format.ts';
import { bindSnippet, recordsJson, recordsTable } from '../domain-records.ts';

/** `GET /domains/:name`. */
interface DomainJson {
  readonly domain: Domain;
  readonly plan?: DnsRecordPlan;
  readonly ses?: SesIdentityStatus;
  readonly summary: string[];
}

/** One checked record, as `POST /domains/:name/check` answers it and `--dns` computes it. */
interface CheckedRecord {
  readonly name: string;
  readonly type: string;
  readonly state: string;
  readonly detail: string;
  readonly optional?: boolean;
}

/** What `check` prints from. */
interface CheckJson {
  readonly verdict: 'ok' | 'action-needed' | 'unknown';
  readonly records: readonly CheckedRecord[];
  readonly ses?: SesIdentityStatus;
  readonly summary?: readonly string[];
}

/** An MX that is SES's inbound endpoint in some region: it does not take mail away from anyone. */
const SES_INBOUND_MX = /^\d+ inbound-smtp\.[a-z0-9-]+\.amazonaws\.com$/;

/** How the API's summary (core/domains/domain-check.ts) points at this command. */
const CHECK_HINT = 'run `postroom domain check`';

const path = (name: string, rest = '') => `domains/${encodeURIComponent(name)}${rest}`;

/** Registers the `domain` commands. */
export function registerDomain(program: Command, ctx: CliContext): void {
  const domain = program.command('domain').description('e-mail domains: SES identity, DKIM, MAIL FROM and their DNS records');

  domain
    .command('add')
    .description('add a domain: creates its SES identity and prints (or publishes to Route 53) its DNS records')
    .argument('<name>')
    .option('--hosted-zone <id>', 'the Route 53 hosted zone to publish the records to (default: the zone found by the name)')
    .option('--mail-from <domain>', 'the MAIL FROM subdomain (default: bounce.<name>)')
    .option('--dmarc-report <address>', 'where DMARC aggregate reports go (rua) in the suggested DMARC record')
    .option('--dns <server...>', 'DNS servers to look up the MX records the domain has today (default: the system\'s)')
    .option('--json', 'print the API JSON')
    .action(async (name: string, o: { hostedZone?: string; mailFrom?: string; dmarcReport?: string; dns?: string[]; json?: boolean }, command: Command) => {
      const api = await ctx.api(command);
      const mx = await (await lookupFor(o.dns)).lookup(name.trim().toLowerCase().replace(/\.$/, ''), 'MX');
      const body = { name, ...(o.hostedZone && { hostedZoneId: o.hostedZone }), ...(o.mailFrom && { mailFromDomain: o.mailFrom }), ...(o.dmarcReport && { dmarcReportAddress: o.dmarcReport }) };
      const out = (await api.write<{ domain: Domain; plan: DnsRecordPlan }>('POST', 'domains', body))!;
      if (o.json) return ctx.io.out(`${JSON.stringify(out, null, 2)}\n`);
      const foreign = mx.kind === 'found' ? mx.values.filter((v) => !SES_INBOUND_MX.test(v)) : [];
      const lines = [`Added ${out.domain.name}.`, ''];
      if (foreign.length) {
        lines.push(`WARNING: ${out.domain.name} has MX records today that are not SES's (${foreign.join(', ')}): the inbound MX below takes over its incoming mail. Onboard a subdomain instead if people receive mail at ${out.domain.name} elsewhere.`, '');
      }
      lines.push(
        out.domain.hostedZoneId
          ? `The records were published to Route 53 hosted zone ${out.domain.hostedZoneId} (the DMARC suggestion is left to you).`
          : 'No Route 53 hosted zone serves this domain: publish these records at your DNS host by hand.',
        '',
        recordsTable(out.plan),
      );
      ctx.io.out(`${lines.join('\n')}\n`);
    });

  domain
    .command('list')
    .description('list the domains and their last check')
    .option('--json', 'print the API JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<{ domains: Domain[] }>('domains');
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatDomainList(body.domains)}\n`);
    });

  domain
    .command('show')
    .description('show one domain and what its status means for mail')
    .argument('<name>')
    .option('--json', 'print the API JSON')
    .action(async (name: string, o: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<DomainJson>(path(name));
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatDomain(body)}\n`);
    });

  domain
    .command('remove')
    .description('remove a domain: its Route 53 records and SES identity, if Postroom created them')
    .argument('<name>')
    .action(async (name: string, _o: unknown, command: Command) => {
      await (await ctx.api(command)).write('DELETE', path(name));
      ctx.io.out(`Removed ${name}.\n`);
    });

  domain
    .command('records')
    .description('print the DNS records to publish: a table (default), a BIND zone fragment or JSON')
    .argument('<name>')
    .option('--json', 'print the records as JSON')
    .option('--bind', 'print the records as a BIND zone fragment')
    .action(async (name: string, o: { json?: boolean; bind?: boolean }, command: Command) => {
      if (o.json && o.bind) throw new CliError(CLI_TEXT_EN.oneOf('--json', '--bind'));
      const { plan } = await (await ctx.api(command)).get<{ plan: DnsRecordPlan }>(path(name, '/records'));
      ctx.io.out(o.json ? recordsJson(plan) : o.bind ? bindSnippet(plan) : `${recordsTable(plan)}\n`);
    });

  domain
    .command('check')
    .description('check every record in DNS and SES\'s status; exit code 1 when something needs action')
    .argument('<name>')
    .option('--dns <server...>', 'resolve here through these DNS servers (ip or ip:port) instead of asking the API to check')
    .action(async (name: string, o: { dns?: string[] }, command: Command) => {
      const api = await ctx.api(command);
      const check = o.dns ? await checkHere(await api.get<DomainJson>(path(name)), await lookupFor(o.dns)) : (await api.write<CheckJson>('POST', path(name, '/check')))!;
      ctx.io.out(`${formatCheck(name, check)}\n`);
      const failed = [check.ses?.identity, check.ses?.dkim, check.ses?.mailFrom].includes('failed') || !check.ses;
      if (check.verdict !== 'ok' || failed) throw new CliError(`domain ${name} needs action: see the records and SES status above`);
    });
}

async function lookupFor(servers: readonly string[] | undefined): Promise<DnsLookupPort> {
  const { createDnsLookup } = await import('../../adapters/dns/dns-lookup.ts');
  try {
    return createDnsLookup(servers?.length ? { servers } : {});
  } catch (err) {
    throw new CliError(`--dns: ${(err as Error).message}`);
  }
}

/** `check --dns`: the DNS half resolved here, against the plan the API checks against; SES's view from the API. */
async function checkHere(shown: DomainJson, lookup: DnsLookupPort): Promise<CheckJson> {
  if (!shown.plan) throw new CliError(`domain ${shown.domain.name} is not set up yet: run postroom domain add again`);
  const { checkDomainDns, spfLookupCounter } = await import('../../core/domains/check-domain-dns.ts');
  const dns = await checkDomainDns(shown.plan, lookup, spfLookupCounter(shown.domain.name, lookup));
  const records = dns.records.map((c) => ({ name: c.record.name, type: c.record.type, state: c.state, detail: c.detail, ...(c.optional && { optional: true }) }));
  // The same sentences as the API's check, from SES's view as the API reads it and DNS as resolved here.
  const { statusSummary } = await import('../../core/domains/domain-check.ts');
  const ses = shown.ses;
  const summary = statusSummary({
    checkedAt: new Date().toISOString(),
    identity: ses?.identity ?? 'failed',
    dkim: ses?.dkim ?? 'failed',
    mailFrom: ses?.mailFrom ?? 'failed',
    verifiedForSending: ses?.verifiedForSending ?? false,
    dns: dns.verdict,
    records: [],
  });
  return { verdict: dns.verdict, records, summary, ...(ses && { ses }) };
}

/** The domain list: one row per domain with its last check, `-` where it was never checked. */
export function formatDomainList(domains: readonly Domain[]): string {
  if (domains.length === 0) return 'No domains. Add one with: postroom domain add <name>';
  const rows = domains.map((d) => {
    const s: Partial<DomainStatus> = d.status ?? {};
    return [d.name, d.owner, d.provisioning ? 'setting up' : (s.identity ?? '-'), s.dkim ?? '-', s.mailFrom ?? '-', s.dns ?? '-', s.checkedAt ?? '-'];
  });
  return formatTable(['name', 'owner', 'identity', 'dkim', 'mail from', 'dns', 'checked at'], rows);
}

/** One domain: its settings, SES's view now, and what its last status means. */
export function formatDomain(body: DomainJson): string {
  const d = body.domain;
  const ses = body.ses;
  return [
    `Domain ${printable(d.name)} (${d.owner === 'stack' ? 'declared in the CDK app' : 'added through the API'})`,
    `  MAIL FROM:  ${printable(d.mailFromDomain)}`,
    `  Records:    ${d.hostedZoneId ? `published to Route 53 zone ${printable(d.hostedZoneId)}` : 'published by hand (postroom domain records)'}`,
    `  Identity:   ${d.sesIdentity === 'created' ? 'created by Postroom' : 'existed before (kept on removal)'}`,
    ...(ses ? [`  SES now:    identity ${ses.identity}, DKIM ${ses.dkim}, MAIL FROM ${ses.mailFrom}`] : ['  SES now:    no identity']),
    `  Checked:    ${d.status?.checkedAt ?? 'never'}`,
    ...body.summary.map((line) => `  - ${printable(line)}`),
  ].join('\n');
}

/** A check: a row per record (state, type, name, detail), then SES's view and the summary. */
export function formatCheck(name: string, check: CheckJson): string {
  const verdict = { ok: 'every required record is right', 'action-needed': 'records need action', unknown: 'DNS could not be read' }[check.verdict];
  const rows = check.records.map((r) => [r.state, r.type, r.name, `${r.optional ? '(optional) ' : ''}${r.detail}`]);
  const ses = check.ses;
  return [
    `DNS of ${printable(name)}: ${verdict}`,
    '',
    formatTable(['state', 'type', 'name', 'detail'], rows),
    '',
    ses ? `SES: identity ${ses.identity}, DKIM ${ses.dkim}, MAIL FROM ${ses.mailFrom}; ${ses.verifiedForSending ? 'may send' : 'may not send yet'}` : 'SES: no identity for this domain',
    // The summary is the one `domain show` prints too; its hint to run this check is noise after it ran.
    ...(check.summary ?? []).filter((line) => !line.includes(CHECK_HINT)).map((line) => `- ${printable(line)}`),
  ].join('\n');
}
