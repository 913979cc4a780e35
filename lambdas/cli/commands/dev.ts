/**
 * `postroom dev`: the local runtime (decision 9) in the foreground, until Ctrl-C.
 */
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { DOMAIN_LIMITS } from '../../../contract/recipient-domains.ts';
import { parseLanguageList } from '../../../contract/routing-settings.ts';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { RUNTIME_FILE } from '../target.ts';

/**
 * How the banner and the README call the CLI: works from the repository root right after `npm ci`
 * (`npx postroom` works too, but npm spends seconds on every call).
 */
export const CLI_INVOCATION = 'node bin/postroom.mjs';

/** The defaults `npm start` runs with. */
export const DEV_DEFAULTS = {
  dataDir: '.postroom/data',
  smtpPort: 2525,
  apiPort: 8787,
  domains: ['example.test'],
  defaultQueueId: 'default',
} as const;

/** The options of `startLocalRuntime` that `dev` sets (a subset of lambdas/local/runtime.ts). */
export interface DevOptions {
  dataDir?: string;
  memory?: boolean;
  smtpPort?: number;
  apiPort?: number;
  domains?: string[];
  defaultQueueId?: string;
  /** ISO 639-1 codes language detection chooses among; the runtime's default list when unset. */
  languages?: string[];
  /** DNS servers for SPF/DKIM/DMARC lookups and the domain checks; the system's when unset. */
  dnsServers?: string[];
  /** How many domains the local registry accepts, `--domain` ones included; the runtime's default (2) when unset. */
  maxDomains?: number;
  /** Seconds between the checks that store every domain's status; the runtime's default (60) when unset. */
  domainCheckSeconds?: number;
  /** PEM files of CA certificates the mailbox pollers trust besides the system's (self-signed local mail servers). */
  mailCaFiles?: string[];
  /** Where the runtime records its API URL for later commands (`.postroom` of the current directory). */
  stateDir?: string;
  log?: (line: string) => void;
}

/** What `dev` needs of a started runtime: where it listens, and how to stop it. */
export interface DevRuntime {
  readonly smtp: { readonly host: string; readonly port: number };
  readonly apiUrl: string;
  readonly dataDir?: string;
  stop(): Promise<void>;
}

export interface DevDeps {
  /** Starts the runtime; the real one is loaded only when `dev` runs, so other commands stay light. */
  start(options: DevOptions): Promise<DevRuntime>;
  /** Resolves on the first SIGINT or SIGTERM. */
  untilSignal(): Promise<string>;
}

const defaultDeps: DevDeps = {
  start: async (options) => (await import('../../local/runtime.ts')).startLocalRuntime(options),
  untilSignal: () =>
    new Promise((done) => {
      process.once('SIGINT', () => done('SIGINT'));
      process.once('SIGTERM', () => done('SIGTERM'));
    }),
};

/** Registers `dev` with its options; `deps` is replaceable for tests. */
export function registerDev(program: Command, ctx: CliContext, deps: DevDeps = defaultDeps): void {
  program
    .command('dev')
    .description('run Postroom locally: SMTP in, routing, and the API, on this machine')
    .option('--data <dir>', 'where local data is kept', DEV_DEFAULTS.dataDir)
    .option('--memory', 'keep everything in memory (nothing written to --data)')
    .option('--smtp-port <n>', 'SMTP port', port, DEV_DEFAULTS.smtpPort)
    .option('--api-port <n>', 'HTTP API port', port, DEV_DEFAULTS.apiPort)
    .option('--domain <d...>', 'domains to receive mail for', [...DEV_DEFAULTS.domains])
    .option('--default-queue <id>', 'queue routable mail waits in', DEV_DEFAULTS.defaultQueueId)
    .option('--language <codes>', 'languages to detect, comma-separated ISO 639-1 codes (default en,de,fr,es,it,nl,pt,ja)', languageList)
    .option('--dns <server...>', 'DNS servers (ip or ip:port) for SPF/DKIM/DMARC checks and domain verification; default: the system resolvers')
    .option('--max-domains <n>', `how many domains may be served, --domain ones included (default ${DOMAIN_LIMITS.defaultMaxDomains})`, maxDomains)
    .option('--domain-check <seconds>', 'how often every domain\'s DNS and verification status is checked (default 60)', seconds)
    .option('--mail-ca <pem-file...>', 'CA certificates (PEM) to trust for registered mail servers (polled IMAP/POP3, SMTP sending) with a self-signed certificate')
    .option('--return-path-domain <domain>', 'a served domain for the VERP return paths of mail sent through SMTP servers (their bounces are tracked); default: the From address')
    .action(async (o: { data: string; memory?: boolean; smtpPort: number; apiPort: number; domain: string[]; defaultQueue: string; language?: string[]; dns?: string[]; maxDomains?: number; domainCheck?: number; mailCa?: string[]; returnPathDomain?: string }) => {
      const runtime = await deps.start({
        ...(o.memory ? { memory: true } : { dataDir: resolve(ctx.io.cwd, o.data) }),
        smtpPort: o.smtpPort,
        apiPort: o.apiPort,
        domains: o.domain,
        defaultQueueId: o.defaultQueue,
        ...(o.dns && { dnsServers: o.dns }),
        ...(o.maxDomains !== undefined && { maxDomains: o.maxDomains }),
        ...(o.domainCheck !== undefined && { domainCheckSeconds: o.domainCheck }),
        ...(o.language && { languages: o.language }),
        ...(o.mailCa && { mailCaFiles: o.mailCa.map((f) => resolve(ctx.io.cwd, f)) }),
        ...(o.returnPathDomain && { returnPathDomain: o.returnPathDomain }),
        stateDir: dirname(resolve(ctx.io.cwd, RUNTIME_FILE)),
        log: (line) => ctx.io.err(`${line}\n`),
      }).catch((err: Error) => {
        // A taken port or an unwritable data folder is the user's to fix: say so in one line.
        throw new CliError(`could not start the local runtime: ${err.message}`, { cause: err });
      });
      ctx.io.out(`${devBanner(runtime, o.domain[0] ?? DEV_DEFAULTS.domains[0])}\n`);
      const signal = await deps.untilSignal();
      ctx.io.out(`${signal}: stopping…\n`);
      await runtime.stop();
      ctx.io.out('stopped\n');
    });
}

/** What `dev` prints once up: where things listen and one mail to try. */
export function devBanner(runtime: DevRuntime, domain: string): string {
  const { host, port } = runtime.smtp;
  return [
    `Postroom is running locally.`,
    `  SMTP    ${host}:${port}`,
    `  API     ${runtime.apiUrl}`,
    `  Console ${runtime.apiUrl}/console/  (sign in as a user: ${CLI_INVOCATION} user add NAME --role admin)`,
    `  Data    ${runtime.dataDir ?? '(in memory)'}`,
    `Send a mail:  printf 'Subject: Hello\\r\\n\\r\\nMy order is late.\\r\\n' | curl -s smtp://${host}:${port} --mail-from alice@customer.test --mail-rcpt support@${domain} -T -`,
    `Then:         ${CLI_INVOCATION} queue list      (Ctrl-C stops)`,
  ].join('\n');
}

function languageList(value: string): string[] {
  const codes = parseLanguageList(value);
  if (!codes) throw new InvalidArgumentError('must be comma-separated two-letter language codes, e.g. en,de,fr');
  return codes;
}

function maxDomains(value: string): number {
  const n = Number(value);
  if (!/^\d{1,3}$/.test(value) || n < 1 || n > DOMAIN_LIMITS.maxDomainsCeiling) throw new InvalidArgumentError(`must be a whole number from 1 to ${DOMAIN_LIMITS.maxDomainsCeiling}`);
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d{1,6}$/.test(value) || n < 1) throw new InvalidArgumentError('must be a whole number of seconds, at least 1');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n > 65_535) throw new InvalidArgumentError('must be a port number between 0 and 65535');
  return n;
}
