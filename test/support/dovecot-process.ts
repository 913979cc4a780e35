/**
 * Process plumbing for the test Dovecot (test/support/dovecot.ts): who its processes run as, the
 * users file, the certificate, running Dovecot's tools, waiting for listeners, stopping.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import type { DovecotPorts } from './dovecot-config.ts';

/** Dovecot forks its services in well under a second; ten covers a loaded CI machine. */
const STARTUP_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = 25;
/** Dovecot's master takes about a second to stop its children; past five it is stuck, so SIGKILL. */
const STOP_TIMEOUT_MS = 5_000;
/** One doveadm call is a local socket round trip; anything slower means Dovecot is wedged. */
const DOVEADM_TIMEOUT_MS = 15_000;

/**
 * Which users Dovecot's processes and the Maildirs run as: all the current user, except as root,
 * where Dovecot refuses root for login processes and mail access, so Debian's `dovenull` and
 * `dovecot` run login and auth and the Maildirs belong to `nobody`/`nogroup`.
 */
export function processOwners() {
  const me = userInfo();
  if (me.uid !== 0) {
    const group = entry('/etc/group', (fields) => Number(fields[2]) === me.gid)[0] ?? String(me.gid);
    return { loginUser: me.username, internalUser: me.username, internalGroup: group, mailUid: me.uid, mailGid: me.gid };
  }
  const nobody = Number(entry('/etc/passwd', (fields) => fields[0] === 'nobody')[2] ?? 65534);
  const nogroup = Number(entry('/etc/group', (fields) => fields[0] === 'nogroup')[2] ?? 65534);
  return { loginUser: 'dovenull', internalUser: 'dovecot', internalGroup: 'dovecot', mailUid: nobody, mailGid: nogroup };
}

/** The fields of the first line of /etc/passwd or /etc/group that matches (node has no getpwnam). */
function entry(file: string, matches: (fields: string[]) => boolean): string[] {
  return readFileSync(file, 'utf8').split('\n').map((line) => line.split(':')).find(matches) ?? [];
}

/** Writes the passwd-file (PLAIN scheme, test passwords only) atomically, so Dovecot never reads half of it. */
export async function writeUsers(path: string, users: Map<string, string>): Promise<void> {
  const text = [...users].map(([name, password]) => `${name}:{PLAIN}${password}::::::\n`).join('');
  await writeFile(`${path}.tmp`, text, { mode: 0o644 });
  await rename(`${path}.tmp`, path);
}

/** A P-256 key and a self-signed certificate for 127.0.0.1 and the given names, valid two days. */
export async function makeCertificate(keyPath: string, certPath: string, names: readonly string[]): Promise<void> {
  const san = ['IP:127.0.0.1', ...names.map((n) => `DNS:${n}`)].join(',');
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath,
    '-out', certPath, '-days', '2', '-subj', `/CN=${names[0] ?? 'localhost'}`, '-addext', `subjectAltName=${san}`]);
}

/**
 * Runs a tool and resolves with its stdout; rejects with its stderr, or naming the packages to
 * install when the tool is missing. `input` goes to stdin. @default input none
 */
export function run(command: string, args: string[], input?: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = execFile(command, args, { timeout: DOVEADM_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
        reject(new Error(`${command} is not installed (apt-get install dovecot-imapd dovecot-pop3d dovecot-submissiond openssl)`));
      } else if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
    // Only doveadm save reads stdin; the others may exit before a write and raise EPIPE.
    proc.stdin?.on('error', () => undefined);
    proc.stdin?.end(input);
  });
}

/**
 * Resolves once every port answers: the plain ones with a greeting, which proves the login processes
 * run (the master holds the sockets even when they cannot start), the TLS ones by accepting.
 * Rejects when Dovecot exits or 10 s pass.
 */
export async function waitForListeners(ports: DovecotPorts, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined);
  const greets = new Set([ports.imap, ports.pop3, ports.submission]);
  for (const port of Object.values(ports)) {
    while (!(await answers(port, greets.has(port)))) {
      if (child.exitCode !== null) throw new Error(`dovecot exited with code ${child.exitCode}: ${stderr()}`);
      if (Date.now() > deadline) throw new Error(`port ${port} not answering within ${STARTUP_TIMEOUT_MS} ms`);
      await Promise.race([new Promise((r) => setTimeout(r, POLL_INTERVAL_MS)), spawnError]);
    }
  }
}

function answers(port: number, greeting: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => (socket.destroy(), resolve(ok));
    socket.setTimeout(STARTUP_TIMEOUT_MS, () => done(false));
    socket.once(greeting ? 'data' : 'connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

/**
 * SIGTERM to the process group of a child spawned with `detached: true` (Dovecot's master and all
 * it forked), SIGKILL after 5 s; resolves when the master has exited.
 */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const group = -child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(group, name);
    } catch {
      // the group is already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Distinct free loopback ports: all are held open together so the kernel cannot hand one out twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map((server) => new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
      })),
    );
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))));
  }
}
