/**
 * The `postroom` command line: one commander program for the whole project. Global options say
 * which API to talk to; each command lives in `commands/`.
 */
import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { registerAddress } from './commands/address.ts';
import { registerAgent } from './commands/agent.ts';
import { registerDeadLetter } from './commands/dead-letter.ts';
import { registerDev, type DevDeps } from './commands/dev.ts';
import { registerDomain } from './commands/domain.ts';
import { registerFlow } from './commands/flow.ts';
import { registerSupervision } from './commands/supervision.ts';
import { registerInteraction } from './commands/interaction.ts';
import { registerOutbound } from './commands/outbound.ts';
import { registerDisposed, registerQuarantine } from './commands/quarantine.ts';
import { registerQueue } from './commands/queue.ts';
import { registerServer } from './commands/server.ts';
import { registerServerAuth } from './commands/server-auth.ts';
import { registerSuppression } from './commands/suppression.ts';
import { registerSmtp } from './commands/smtp.ts';
import { registerTemplate } from './commands/template.ts';
import { registerUser } from './commands/user.ts';
import { createContext, type CliContext, type CliIo } from './context.ts';
import { describeError, errorJson } from './errors.ts';
import { API_URL_ENV, DEFAULT_API_URL, RUNTIME_FILE } from './target.ts';

/** The version `postroom --version` prints: the package's own. */
export const CLI_VERSION: string = packageJson.version;

/**
 * Builds the program over `ctx`; it writes through `ctx.io` and never exits the process. With
 * `jsonErrors`, commander keeps its usage errors to itself: {@link runCli} prints them as JSON.
 * @default options.jsonErrors false
 */
export function buildProgram(ctx: CliContext, devDeps?: DevDeps, options: { readonly jsonErrors?: boolean } = {}): Command {
  const program = new Command('postroom')
    .description('Postroom: the e-mail channel of your contact center')
    .option('--api <url>', `API base URL (default: $${API_URL_ENV}, else ${RUNTIME_FILE}, else ${DEFAULT_API_URL})`)
    .option('--stack <name>', 'a deployed stack: its ApiUrl output, requests signed with your AWS credentials')
    .option('--region <region>', 'with --stack: the AWS region of the stack (default: AWS_REGION or your profile\'s region)')
    .addHelpText('after', `\nVersion: postroom --version (or -V) prints ${CLI_VERSION}.`)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.out(s),
      writeErr: (s) => ctx.io.err(s),
      outputError: (s, write) => (options.jsonErrors ? undefined : write(s)),
    });
  registerDev(program, ctx, devDeps);
  registerQueue(program, ctx);
  registerInteraction(program, ctx);
  registerQuarantine(program, ctx);
  registerDisposed(program, ctx);
  registerDeadLetter(program, ctx);
  registerSuppression(program, ctx);
  registerAgent(program, ctx);
  registerUser(program, ctx);
  registerAddress(program, ctx);
  registerFlow(program, ctx);
  registerTemplate(program, ctx);
  registerDomain(program, ctx);
  registerServer(program, ctx);
  // After registerServer: adds `auth` and `oauth2-secret` to its `server` group.
  registerServerAuth(program, ctx);
  registerSmtp(program, ctx);
  // After registerInteraction: adds `reply` to its `interaction` group.
  registerOutbound(program, ctx);
  // After the interaction, quarantine and flow groups: adds assign, search, reroute and dry-run to them.
  registerSupervision(program, ctx);
  for (const command of program.commands) inheritSettings(command, program);
  return program;
}

/**
 * Runs the CLI with `args` (without node and script) and returns the exit code: 0, or 1 after one
 * clear line on stderr (commander's own code for a usage error). With `--json` the error goes to
 * stderr as JSON ({@link errorJson}) instead, so a script reads its reason and fields; stdout then
 * stays the command's result and nothing else, and the exit code says which of the two to read.
 * Never throws.
 */
export async function runCli(args: readonly string[], io: CliIo, devDeps?: DevDeps): Promise<number> {
  // Only in first place: commands have a --version of their own (`flow show <id> --version <n>`),
  // which a program-wide commander option would take from them.
  if (args[0] === '--version' || args[0] === '-V') {
    io.out(`${CLI_VERSION}\n`);
    return 0;
  }
  const json = asksForJson(args);
  const program = buildProgram(createContext(io), devDeps, { jsonErrors: json });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (err) {
    const debug = Boolean(io.env.POSTROOM_DEBUG);
    if (err instanceof CommanderError) {
      // Help and the version are no errors; without --json commander has printed its usage error.
      if (json && !HELP_CODES.has(err.code)) io.err(`${JSON.stringify(errorJson(err, debug), null, 2)}\n`);
      return err.exitCode;
    }
    io.err(json ? `${JSON.stringify(errorJson(err, debug), null, 2)}\n` : `postroom: ${describeError(err, debug)}\n`);
    return 1;
  }
}

/** commander's codes for help or a version it printed: it stops with them, but nothing failed. */
const HELP_CODES: ReadonlySet<string> = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/**
 * Whether the command line asks for JSON: `--json` before any `--`. Read from the arguments, not
 * the parsed options, because a usage error stops commander before it has parsed any. (Given as
 * the value of another option, `--note --json`, it counts too: that run then errs in JSON.)
 */
function asksForJson(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).includes('--json');
}

/** Subcommands do not inherit exitOverride/configureOutput when created before they were set. */
function inheritSettings(command: Command, parent: Command): void {
  command.copyInheritedSettings(parent);
  for (const child of command.commands) inheritSettings(child, command);
}
