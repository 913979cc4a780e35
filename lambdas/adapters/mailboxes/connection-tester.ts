/**
 * The connection test (issue 10 item 2, SRV-6, seed step 10): connects to a server at once and
 * answers "connection successful: ..." or a failure reason in words an admin understands. Used when
 * an enabled server is saved (enable = test) and by `postroom server test`.
 *
 * IMAP: login, EXAMINE the folder, count; POP3: login, STAT; SMTP: EHLO, TLS, AUTH. For an inbound
 * server never polled yet it also says how many messages the first poll's bounded backfill would
 * fetch, so an admin sees "37 messages from the last 7 days" before years of history arrive.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ImapFlow } from 'imapflow';
import {
  MailConnectionError,
  type ConnectionTestResult,
  type ConnectionTester,
  type MailCredentials,
} from '../../core/mailboxes/connection.ts';
import { DEFAULT_BACKFILL_DAYS, DEFAULT_IMAP_FOLDER, isInboundType, type MailServer } from '../../core/mailboxes/server.ts';
import { classifyConnectionError } from './connection-errors.ts';
import { endpointOf } from './mail-endpoint.ts';
import { mailboxConnector, type MailboxConnector } from './mailbox-connector.ts';
import { countPop3Backfill } from './pop3-backfill.ts';
import type { ConnectOptions, Pop3Client } from './session-types.ts';

/**
 * Longest a whole connection test may take: the API answers the save within API Gateway's 29 s
 * integration timeout, so DNS, TCP, TLS, login, EXAMINE and the backfill count share 25 s.
 */
export const MAX_CONNECTION_TEST_MS = 25_000;

/** Per-step timeout of the test's sessions when the caller names none: two steps may be slow and still fit. */
const TEST_STEP_TIMEOUT_MS = 10_000;

const DAY_MS = 86_400_000;

/** How the tester is built: connect options plus what a test injects. */
export interface MailConnectionTesterOptions extends ConnectOptions {
  /** Whole-test limit. @default {@link MAX_CONNECTION_TEST_MS} */
  readonly maxTestMs?: number;
  /** Resolves a host name before connecting (a failure is reason `dns`). @default node:dns lookup (the system resolver) */
  readonly lookup?: (host: string) => Promise<unknown>;
  /** The session openers. @default mailboxConnector(options) with the step timeout @default 10 s */
  readonly connector?: MailboxConnector;
}

/**
 * The sessions one test opened, so the time limit can end them; a session that connects only after
 * the test ended is closed at once instead of being left open.
 */
class Sessions {
  private readonly open: Array<() => void> = [];
  private ended = false;

  track(close: () => void): void {
    if (this.ended) close();
    else this.open.push(close);
  }

  endAll(): void {
    this.ended = true;
    for (const close of this.open.splice(0)) close();
  }
}

/**
 * Tests servers for real: {@link MailConnectionTesterOptions} (extra CAs, timeouts, resolver).
 * `test()` never throws; every failure is an answer with a reason.
 */
export class MailConnectionTester implements ConnectionTester {
  private readonly connector: MailboxConnector;
  private readonly lookup: (host: string) => Promise<unknown>;
  private readonly maxTestMs: number;

  constructor(options: MailConnectionTesterOptions = {}) {
    this.connector = options.connector ?? mailboxConnector({ ...options, timeoutMs: options.timeoutMs ?? TEST_STEP_TIMEOUT_MS });
    this.lookup = options.lookup ?? ((host) => dnsLookup(host, { all: true }));
    this.maxTestMs = options.maxTestMs ?? MAX_CONNECTION_TEST_MS;
  }

  /**
   * Connects to `server` with `credentials`. `backfillDays` @default the server's, else
   * DEFAULT_BACKFILL_DAYS (7); the backfill is counted only for an inbound server never polled
   * (no `lastPollAt`). `now` @default the current time.
   */
  async test(server: MailServer, credentials: MailCredentials, options: { readonly backfillDays?: number; readonly now?: Date } = {}): Promise<ConnectionTestResult> {
    const sessions = new Sessions();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new MailConnectionError('timeout', `the connection test of ${server.host}:${server.port} took longer than ${Math.round(this.maxTestMs / 1000)} seconds (timeout)`)), this.maxTestMs);
    });
    try {
      return await Promise.race([this.run(server, credentials, options, sessions), limit]);
    } catch (err) {
      const failure = classifyConnectionError(err, { host: server.host, port: server.port, credentials, folder: folderOf(server) });
      return { ok: false, reason: failure.reason, message: failure.message };
    } finally {
      clearTimeout(timer);
      // Sessions still open (the time limit struck mid-way) must end, or they outlive the request.
      sessions.endAll();
    }
  }

  private async run(server: MailServer, credentials: MailCredentials, options: { backfillDays?: number; now?: Date }, sessions: Sessions): Promise<ConnectionTestResult> {
    await this.resolve(server);
    const days = options.backfillDays ?? server.backfillDays ?? DEFAULT_BACKFILL_DAYS;
    const since = isInboundType(server.type) && !server.lastPollAt ? new Date((options.now ?? new Date()).getTime() - days * DAY_MS) : undefined;
    if (server.type === 'imap') return this.imap(server, credentials, since, days, sessions);
    if (server.type === 'pop3') return this.pop3(server, credentials, since, days, sessions);
    await this.connector.verifySmtp(server, credentials);
    return { ok: true, message: `connection successful: ${server.host}:${server.port} accepted EHLO and the login` };
  }

  /** Resolves the host first, so a name that does not exist is reported as DNS whatever the protocol library says. */
  private async resolve(server: MailServer): Promise<void> {
    const { host } = endpointOf(server);
    if (isIP(host)) return;
    await this.lookup(host);
  }

  private async imap(server: MailServer, credentials: MailCredentials, since: Date | undefined, days: number, sessions: Sessions): Promise<ConnectionTestResult> {
    const client: ImapFlow = await this.connector.connectImap(server, credentials);
    sessions.track(() => client.close());
    const folder = folderOf(server) ?? DEFAULT_IMAP_FOLDER;
    try {
      // EXAMINE, not SELECT: the test must change nothing, not even \Recent.
      const mailbox = await client.mailboxOpen(folder, { readOnly: true }).catch((err: unknown) => {
        throw classifyConnectionError(err, { host: server.host, port: server.port, credentials, folder });
      });
      const backlog = mailbox.exists;
      const words = `connection successful: ${count(backlog, 'message')} in ${folder}`;
      if (!since) return { ok: true, message: words, backlog };
      // Counting only: SINCE compares dates; the pollers themselves always fetch by UID.
      const found = await client.search({ since }, { uid: true });
      const backfill = found ? found.length : 0;
      return { ok: true, message: `${words}; the first poll would fetch ${count(backfill, 'message')} from the last ${count(days, 'day')}`, backlog, backfill };
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  private async pop3(server: MailServer, credentials: MailCredentials, since: Date | undefined, days: number, sessions: Sessions): Promise<ConnectionTestResult> {
    const client: Pop3Client = await this.connector.connectPop3(server, credentials);
    sessions.track(() => client.close());
    try {
      const { count: backlog } = await client.stat();
      const words = `connection successful: ${count(backlog, 'message')} in the mailbox`;
      if (!since) return { ok: true, message: words, backlog };
      const found = await countPop3Backfill(client, backlog, since);
      const sampled = found.atLeast ? `at least ${count(found.count, 'message')} (only the newest ${found.probed} were checked)` : count(found.count, 'message');
      return { ok: true, message: `${words}; the first poll would fetch ${sampled} from the last ${count(days, 'day')}`, backlog, backfill: found.count };
    } finally {
      await client.quit().catch(() => client.close());
    }
  }
}

/** The folder an IMAP server polls. */
function folderOf(server: MailServer): string | undefined {
  return server.type === 'imap' ? (server.imapFolder ?? DEFAULT_IMAP_FOLDER) : undefined;
}

/** "1 message", "1,204 messages". */
function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
