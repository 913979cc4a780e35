/**
 * The README's examples work together as written: on the local runtime with its default domain,
 * the CLI commands of the README (queue, agent, address, the example flow, taken from README.md
 * itself) set up routing, a refund request arrives over SMTP, and the agent the README registers
 * takes it with `agent next`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../lambdas/cli/program.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { eventually } from '../../support/eventually.ts';
import { sendMail } from '../../support/smtp-client.ts';
import { runtimeKeyEnv } from '../../support/runtime-auth.ts';

const INVOCATION = 'node bin/postroom.mjs ';

/** The README's command lines (continuations joined), without the invocation, split as a shell does. */
function readmeCommands(readme: string): string[][] {
  const lines = readme.replace(/\\\n\s*/g, '').split('\n');
  return lines.filter((l) => l.startsWith(INVOCATION)).map((l) => shellWords(l.slice(INVOCATION.length).replace(/\s+#.*$/, '')));
}

function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

describe('the README examples, run together', () => {
  let runtime: LocalRuntime;
  let dns: TestDnsServer;
  let dir: string;
  let commands: string[][];

  const postroom = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--api', runtime.apiUrl, ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: { ...runtimeKeyEnv(runtime) }, cwd: dir });
    return { code, out: out.join(''), err: err.join('') };
  };
  /** Runs the README's command that starts with `prefix` (exactly one must). */
  const readmeRun = async (...prefix: string[]) => {
    const matching = commands.filter((c) => prefix.every((word, i) => c[i] === word));
    expect(matching, `README commands starting with ${prefix.join(' ')}`).toHaveLength(1);
    const run = await postroom(...matching[0]!);
    expect(run, `${prefix.join(' ')}: ${run.err}`).toMatchObject({ code: 0 });
    return run;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'postroom-readme-'));
    dns = await startTestDns({});
    // The README's local set-up: `npm start` with its defaults (domain example.test, queue default).
    runtime = await startLocalRuntime({ memory: true, smtpPort: 0, apiPort: 0, stateDir: dir, dnsServers: [dns.server], log: () => {} });
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    commands = readmeCommands(readme);
    const flow = /```json\n(\{\n\s+"name": "Support triage"[\s\S]*?)```/.exec(readme)?.[1];
    expect(flow, 'the example flow in README.md').toBeDefined();
    await writeFile(join(dir, 'triage.json'), flow!);
  });
  afterAll(async () => {
    await runtime?.stop();
    await dns?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("routes a refund request by the example flow to the README's agent, who takes it with next", async () => {
    // Prepare: the README's commands, in the README's order
    await readmeRun('queue', 'add', 'billing');
    await readmeRun('agent', 'add', 'ann');
    await readmeRun('address', 'add');
    await readmeRun('flow', 'put', 'triage');
    await readmeRun('address', 'update');

    // Act: a customer asks for a refund at the README's address
    await sendMail(runtime.smtp.port, {
      from: 'Ada <ada@customer.example>',
      to: 'help@example.test',
      subject: 'Refund for order 4711',
      text: 'Please refund my order 4711; the parcel never arrived.',
    });
    const listed = await eventually(
      async () => {
        const run = await postroom('queue', 'list', '--queue', 'billing', '--json');
        return JSON.parse(run.out).interactions.length > 0 ? run : undefined;
      },
      { what: 'the refund request in queue billing' },
    );
    const next = await readmeRun('agent', 'next', 'ann');

    // Assess
    const waiting = JSON.parse(listed.out).interactions[0];
    expect(next.out).toMatch(new RegExp(`^Claimed ${waiting.id} from queue billing `));
    expect(next.out).toContain('Subject: Refund for order 4711');
  });
});
