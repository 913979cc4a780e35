/**
 * One local runtime for one browser test file, set up as a contact center would be: a domain
 * verified for SES sending (its records published on a loopback DNS server, as
 * test/integration/runtime/outbound.test.ts does), an address route into the default queue, and
 * users made with the CLI (`postroom user add`). Everything talks to the runtime through the CLI
 * or SMTP, as people do; the browser talks to it through the console.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../lambdas/cli/program.ts';
import type { Domain } from '../../../lambdas/core/domains/domain.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { eventually } from '../../support/eventually.ts';
import { publish, readBindFragment, SES_PUBLISHED } from '../../support/zone-fragment.ts';

/** The CLI's answer. */
export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A started runtime with its CLI. */
export interface ConsoleRuntime {
  readonly runtime: LocalRuntime;
  /** `<api>/console/`, what `npm start` prints. */
  readonly consoleUrl: string;
  readonly domain: string;
  /** The address customers write to (routed to the default queue). */
  readonly supportAddress: string;
  readonly dir: string;
  postroom(...args: string[]): Promise<CliResult>;
  /** Runs the CLI with `--json`, expects success, and parses the answer. */
  json<T>(...args: string[]): Promise<T>;
  /** Why the console cannot be used on this runtime (not served), or undefined. */
  consoleMissing(): Promise<string | undefined>;
  stop(): Promise<void>;
}

/** Options of {@link startConsoleRuntime}. */
export interface ConsoleRuntimeOptions {
  /** The organisation's domain. @default 'support.example.org' (SES_PUBLISHED's records) */
  readonly domain?: string;
  /** The runtime's languages for routing. @default none (the runtime's default) */
  readonly languages?: readonly string[];
}

/** Starts DNS and the runtime, verifies the domain for SES sending and adds the support address. */
export async function startConsoleRuntime(options: ConsoleRuntimeOptions = {}): Promise<ConsoleRuntime> {
  const domain = options.domain ?? 'support.example.org';
  const dir = await mkdtemp(join(tmpdir(), 'postroom-e2e-'));
  const dns: TestDnsServer = await startTestDns(SES_PUBLISHED);
  const runtime = await startLocalRuntime({
    memory: true,
    smtpPort: 0,
    apiPort: 0,
    stateDir: join(dir, '.postroom'),
    domains: [domain],
    dnsServers: [dns.server],
    domainCheckSeconds: 1,
    ...(options.languages && { languages: options.languages }),
    log: () => {},
  });
  const postroom = async (...args: string[]): Promise<CliResult> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--api', runtime.apiUrl, ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, cwd: dir });
    return { code, out: out.join(''), err: err.join('') };
  };
  const json = async <T>(...args: string[]): Promise<T> => {
    const r = await postroom(...args, '--json');
    if (r.code !== 0) throw new Error(`postroom ${args.join(' ')} failed (${r.code}): ${r.err}`);
    return JSON.parse(r.out) as T;
  };
  const supportAddress = `help@${domain}`;
  try {
    publish(dns, readBindFragment((await postroom('domain', 'records', domain, '--bind')).out));
    await eventually(async () => (await json<{ domains: Domain[] }>('domain', 'list')).domains.some((d) => d.name === domain && d.status?.verifiedForSending), {
      what: `${domain} verified for sending`,
    });
    const added = await postroom('address', 'add', supportAddress, '--from-name', 'Kundenservice', '--queue', 'default');
    if (added.code !== 0) throw new Error(`address add failed: ${added.err}`);
  } catch (err) {
    await runtime.stop();
    await dns.stop();
    throw err;
  }
  const consoleUrl = `${runtime.apiUrl}/console/`;
  return {
    runtime,
    consoleUrl,
    domain,
    supportAddress,
    dir,
    postroom,
    json,
    consoleMissing: async () => {
      const res = await fetch(`${consoleUrl}config.json`);
      if (!res.ok) return `the runtime does not serve the console yet (GET /console/config.json answered ${res.status}): needs the local issuer and console site (helper "identity")`;
      const index = await fetch(consoleUrl).then((r) => r.text());
      return index.includes('id="root"') ? undefined : 'console/dist is not built: run npm run build:console';
    },
    stop: async () => {
      await runtime.stop();
      await dns.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Adds a user with the CLI and returns why not when the CLI has no `user` command yet (helper
 * "identity"), so a test can skip with that reason. Agents also get an agent record serving `queues`.
 * The password is given with `--password`, as an admin who sets one does: it is permanent (status
 * CONFIRMED, as Cognito's AdminSetUserPassword with Permanent), so these users sign in without the
 * new-password step that a generated temporary password leads to.
 */
export async function addUser(
  rt: ConsoleRuntime,
  user: { readonly username: string; readonly password: string; readonly role: 'agent' | 'supervisor' | 'admin'; readonly languages?: readonly string[]; readonly queues?: readonly string[] },
): Promise<string | undefined> {
  const made = await rt.postroom('user', 'add', user.username, '--role', user.role, '--password', user.password);
  if (made.code !== 0) return `postroom user add failed (${made.code}): ${made.err.trim() || made.out.trim()}`;
  if (user.role === 'agent') {
    const agent = await rt.postroom('agent', 'add', user.username, '--name', user.username, '--language', ...(user.languages ?? ['en']), '--queue', ...(user.queues ?? ['default']));
    if (agent.code !== 0) throw new Error(`agent add failed: ${agent.err}`);
  }
  return undefined;
}

/** Waits until `count` interactions wait in `queueId` (`postroom queue list`). @default queueId 'default', timeoutMs 30 s */
export async function waitForWaiting(rt: ConsoleRuntime, count: number, queueId = 'default', timeoutMs = 30_000): Promise<void> {
  await eventually(async () => {
    const { queues } = await rt.json<{ queues: { queueId: string; interactions: unknown[] }[] }>('queue', 'list');
    const waiting = queues.find((q) => q.queueId === queueId)?.interactions.length ?? 0;
    if (waiting < count) throw new Error(`${waiting} of ${count} waiting`);
    return true;
  }, { what: `${count} interactions waiting in ${queueId}`, timeoutMs });
}
