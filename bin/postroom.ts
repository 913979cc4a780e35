/**
 * Entry of the `postroom` CLI (bundled into dist/cli by scripts/build-cli.mjs, or run through tsx
 * by postroom.mjs): runs the program with the process's streams and exits with its code.
 */
import { runCli } from '../lambdas/cli/program.ts';

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});
// Flush what was written, then exit: lingering keep-alive sockets must not hold the terminal.
await new Promise<void>((done) => process.stdout.write('', () => done()));
process.exit(code);
