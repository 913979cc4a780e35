/**
 * Starts DynamoDB Local (the jar shipped in amplify-dynamodb-simulator) in memory on 127.0.0.1,
 * so integration suites can run against Amazon's own emulator as well as dynalite.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RunningService } from '../../lambdas/local/services.ts';

/** The JVM needs a few seconds to start; a minute covers a loaded CI machine. */
const STARTUP_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 200;
const STOP_TIMEOUT_MS = 10_000;

const require = createRequire(import.meta.url);

/**
 * Starts DynamoDB Local on a free loopback port and resolves once it answers HTTP.
 * @throws Error with a clear message when `java` is not on PATH or the jar does not start
 */
export async function startDynamoDbLocal(): Promise<RunningService> {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error('DynamoDB Local needs Java 17+ on PATH (`java -version` failed); install a JRE to run these tests');
  }
  const emulator = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  const port = await freePort();
  const child = spawn(
    'java',
    [`-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`, '-jar', join(emulator, 'DynamoDBLocal.jar'), '-inMemory', '-port', String(port)],
    { cwd: emulator, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, child);
  } catch (err) {
    await stopProcess(child);
    throw new Error(`DynamoDB Local did not start: ${(err as Error).message}\n${stderr}`);
  }
  return { endpoint, stop: () => stopProcess(child) };
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`java exited with code ${child.exitCode}`);
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(1_000) });
      return; // any HTTP answer (DynamoDB Local replies 400 to a bare GET) means it is up
    } catch {
      await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
    }
  }
  throw new Error(`no answer on ${endpoint} within ${STARTUP_TIMEOUT_MS} ms`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
