/**
 * Starts a real Dovecot (Debian's dovecot-imapd, -pop3d, -submissiond) from its own generated
 * configuration in a temp folder, on free loopback ports, with a self-signed certificate made by
 * `openssl req -x509` (node:crypto cannot issue X.509 certificates; Debian's dovecot-core depends
 * on openssl). Mailbox changes go through `doveadm`, so UIDs, UIDVALIDITY and flags stay exactly
 * as Dovecot itself keeps them. One instance serves a whole test file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dovecotConfig, dovecotOAuth2Config, dovecotPaths, type DovecotOAuth2Options, type DovecotPorts } from './dovecot-config.ts';
import { freePorts, makeCertificate, processOwners, run, stopProcess, waitForListeners, writeUsers } from './dovecot-process.ts';
import { writeMaildirMessages, type BulkMessage } from './maildir-bulk.ts';
import { startSmtpSink, type SinkMessage } from './smtp-sink.ts';

export type { DovecotOAuth2Options, DovecotPorts } from './dovecot-config.ts';
export type { SinkMessage } from './smtp-sink.ts';
export type { BulkMessage } from './maildir-bulk.ts';

/** Dovecot re-reads the users file at most once a second; three covers a loaded machine. */
const USER_VISIBLE_TIMEOUT_MS = 3_000;

export interface DovecotOptions {
  /** Users created before the server answers, name to password. @default {} */
  readonly users?: Readonly<Record<string, string>>;
  /** Enables XOAUTH2 and OAUTHBEARER through Dovecot's oauth2 passdb. @default undefined (off) */
  readonly oauth2?: DovecotOAuth2Options;
  /** Names in the certificate's subjectAltName besides 127.0.0.1. @default ['localhost'] */
  readonly certificateNames?: readonly string[];
}

/** Counters of one mailbox as `doveadm mailbox status` reports them. */
export interface MailboxStatus {
  readonly messages: number;
  readonly unseen: number;
  readonly uidNext: number;
  readonly uidValidity: number;
}

export interface DovecotServer {
  readonly host: '127.0.0.1';
  readonly ports: DovecotPorts;
  /** The self-signed certificate (PEM), for a client's `ca` option. */
  readonly certificate: string;
  /** What submission relayed, in order of arrival. */
  readonly submitted: readonly SinkMessage[];
  /**
   * Adds a user (Basic auth, Maildir created on first use) and resolves once Dovecot knows it:
   * up to a second, as Dovecot re-reads its users file at most once a second.
   */
  addUser(name: string, password: string): Promise<void>;
  /**
   * Saves a raw message into the user's mailbox (`doveadm save`), creating the folder when missing.
   * Deliveries through this handle are serialized, so the returned UID is the message's own as long
   * as no IMAP client APPENDs to the same folder at that moment. @default folder 'INBOX'
   */
  deliver(user: string, raw: Buffer | string, options?: { folder?: string }): Promise<number>;
  /**
   * Stores many messages at once by writing Maildir files, for mailboxes of thousands (deliver()
   * costs about 50 ms a message); `receivedAt` sets each one's INTERNALDATE. Returns their UIDs in
   * input order. @default folder 'INBOX'
   */
  deliverMany(user: string, messages: readonly BulkMessage[], options?: { folder?: string }): Promise<number[]>;
  /** UIDVALIDITY, UIDNEXT, message and unseen counts. @default folder 'INBOX' */
  status(user: string, folder?: string): Promise<MailboxStatus>;
  /** UIDs and flags of every message, in UID order. @default folder 'INBOX' */
  messages(user: string, folder?: string): Promise<{ uid: number; flags: string[] }[]>;
  /** Sets \Seen, as another mail client reading the message does. @default folder 'INBOX' */
  markSeen(user: string, uid: number, folder?: string): Promise<void>;
  /** Gives the folder a new UIDVALIDITY, keeping its messages and UIDs. @default folder 'INBOX' */
  setUidValidity(user: string, uidValidity: number, folder?: string): Promise<void>;
  /**
   * Drops the folder's index and UID list, as a rebuilt or migrated server does: the same
   * messages come back numbered from UID 1 under a new UIDVALIDITY, which is returned.
   * @default folder 'INBOX'
   */
  resetMailbox(user: string, folder?: string): Promise<number>;
  /** Dovecot's log so far (logins, failures, relay errors). */
  log(): Promise<string>;
  /** Stops Dovecot and the relay sink and removes the folder. */
  stop(): Promise<void>;
}

/**
 * Starts one Dovecot instance and resolves once every listener accepts connections.
 * Runs as the current user; as root (CI containers) Dovecot's login and auth processes use
 * Debian's `dovenull` and `dovecot` users and mail belongs to `nobody`, since Dovecot refuses
 * to run login processes or mail access as root.
 * @throws Error naming what to install when `dovecot`, `doveadm` or `openssl` is missing
 */
export async function startDovecot(options: DovecotOptions = {}): Promise<DovecotServer> {
  const dir = await mkdtemp(join(tmpdir(), 'postroom-dovecot-'));
  const paths = dovecotPaths(dir);
  const sink = await startSmtpSink();
  let child: ChildProcess | undefined;
  try {
    await run('dovecot', ['--version']);
    const owner = processOwners();
    // Dovecot's unprivileged auth process reads the users file, the mail user writes under mail/.
    await chmod(dir, 0o755);
    await Promise.all([mkdir(paths.run), mkdir(paths.state), mkdir(paths.mail)]);
    await chown(paths.mail, owner.mailUid, owner.mailGid);
    await makeCertificate(paths.key, paths.cert, options.certificateNames ?? ['localhost']);
    const [imap, imaps, pop3, pop3s, submission] = (await freePorts(5)) as [number, number, number, number, number];
    const ports: DovecotPorts = { imap, imaps, pop3, pop3s, submission };
    await writeFile(paths.config, dovecotConfig({ dir, ports, relayPort: sink.port, ...owner, oauth2: options.oauth2 }));
    if (options.oauth2) await writeFile(paths.oauth2Config, dovecotOAuth2Config(options.oauth2));
    const users = new Map(Object.entries(options.users ?? {}));
    await writeUsers(paths.users, users);
    // Its own process group, so stop() reaches every Dovecot process at once.
    child = spawn('dovecot', ['-F', '-c', paths.config], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
    await waitForListeners(ports, child, () => stderr);
    const doveadm = (args: string[], input?: Buffer | string) => run('doveadm', ['-c', paths.config, ...args], input);
    let queue: Promise<unknown> = Promise.resolve();
    const serialized = <T>(work: () => Promise<T>): Promise<T> => {
      const next = queue.then(work, work);
      queue = next.catch(() => undefined);
      return next;
    };
    const status = async (user: string, folder = 'INBOX'): Promise<MailboxStatus> => {
      const out = await doveadm(['-f', 'flow', 'mailbox', 'status', '-u', user, 'messages unseen uidnext uidvalidity', folder]);
      const field = (name: string) => Number(new RegExp(`\\b${name}=(\\d+)`).exec(out)?.[1] ?? NaN);
      return { messages: field('messages'), unseen: field('unseen'), uidNext: field('uidnext'), uidValidity: field('uidvalidity') };
    };
    const ensureFolder = async (user: string, folder: string) => {
      if (folder === 'INBOX') return;
      await doveadm(['mailbox', 'create', '-u', user, folder]).catch((err: Error) => {
        if (!/exists/i.test(err.message)) throw err;
      });
    };
    // Maildir++ as Dovecot lays it out: INBOX is the root, other folders are ".<name>".
    const maildirOf = (user: string, folder: string) => join(paths.mail, user, 'Maildir', folder === 'INBOX' ? '' : `.${folder}`);
    const running = child;
    return {
      host: '127.0.0.1',
      ports,
      certificate: await readFile(paths.cert, 'utf8'),
      submitted: sink.messages,
      async addUser(name, password) {
        if (/[:\s]/.test(name) || /[\r\n:]/.test(password)) throw new Error(`passwd-file cannot hold user ${JSON.stringify(name)}`);
        users.set(name, password);
        await writeUsers(paths.users, users);
        // Dovecot stats the users file at most once a second: wait until the new user is known.
        const deadline = Date.now() + USER_VISIBLE_TIMEOUT_MS;
        while (!(await doveadm(['user', name]).then(() => true, () => false))) {
          if (Date.now() > deadline) throw new Error(`Dovecot does not see user ${name} after ${USER_VISIBLE_TIMEOUT_MS} ms`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
      deliver: (user, raw, { folder = 'INBOX' } = {}) =>
        serialized(async () => {
          await ensureFolder(user, folder);
          await doveadm(['save', '-u', user, '-m', folder], raw);
          return (await status(user, folder)).uidNext - 1;
        }),
      deliverMany: (user, messages, { folder = 'INBOX' } = {}) =>
        serialized(async () => {
          await ensureFolder(user, folder);
          const before = await status(user, folder); // also makes Dovecot create the Maildir
          await writeMaildirMessages(maildirOf(user, folder), messages, { uid: owner.mailUid, gid: owner.mailGid });
          await doveadm(['force-resync', '-u', user, folder]);
          const added = (await status(user, folder)).uidNext - before.uidNext;
          if (added !== messages.length) throw new Error(`Dovecot took ${added} of ${messages.length} Maildir files`);
          return messages.map((_, i) => before.uidNext + i);
        }),
      status,
      async messages(user, folder = 'INBOX') {
        const out = await doveadm(['-f', 'flow', 'fetch', '-u', user, 'uid flags', 'mailbox', folder, 'all']);
        return out.split('\n').filter(Boolean).map((line) => ({
          uid: Number(/\buid=(\d+)/.exec(line)?.[1]),
          flags: (/\bflags=(.*)$/.exec(line)?.[1] ?? '').split(' ').filter(Boolean),
        }));
      },
      async markSeen(user, uid, folder = 'INBOX') {
        await doveadm(['flags', 'add', '-u', user, '\\Seen', 'mailbox', folder, 'uid', String(uid)]);
      },
      async setUidValidity(user, uidValidity, folder = 'INBOX') {
        await doveadm(['mailbox', 'update', '-u', user, '--uid-validity', String(uidValidity), folder]);
      },
      resetMailbox: (user, folder = 'INBOX') =>
        serialized(async () => {
          const maildir = maildirOf(user, folder);
          const indexFiles = ['dovecot-uidlist', 'dovecot.index', 'dovecot.index.log', 'dovecot.index.log.2', 'dovecot.index.cache'];
          await Promise.all(indexFiles.map((name) => rm(join(maildir, name), { force: true })));
          await doveadm(['force-resync', '-u', user, folder]);
          return (await status(user, folder)).uidValidity;
        }),
      log: () => readFile(paths.log, 'utf8').catch(() => ''),
      async stop() {
        try {
          await stopProcess(running);
          await sink.stop();
        } finally {
          // The folder must go even when the stop fails, or /tmp fills up run after run.
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    if (child) await stopProcess(child);
    await sink.stop();
    const log = await readFile(paths.log, 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`Dovecot did not start: ${(err as Error).message}\n${log.slice(-4_000)}`);
  }
}
