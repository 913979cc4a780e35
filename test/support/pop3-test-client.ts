/**
 * A {@link Pop3Client} for tests over the bare session of pop3-session.ts, until the connection
 * adapters' POP3 client is on main: USER/PASS login, then one command per method. Replies are read
 * whole (test mailboxes are small), so `retr` streams a buffer.
 */
import { Readable } from 'node:stream';
import type { Pop3Client } from '../../lambdas/adapters/mailboxes/session-types.ts';
import { openPop3, pop3Lines } from './pop3-session.ts';

/** Logs `user` in over POP3S to the test Dovecot and answers a Pop3Client. */
export async function openTestPop3(dovecot: { host: string; ports: { pop3: number; pop3s: number }; certificate: string }, user: string, pass: string): Promise<Pop3Client> {
  const session = await openPop3(dovecot, 'POP3S');
  await session.command(`USER ${user}`);
  await session.command(`PASS ${pass}`);
  const body = (reply: string) => Buffer.from(`${pop3Lines(reply)}\r\n`, 'latin1');
  const rows = (reply: string) =>
    pop3Lines(reply)
      .split('\r\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.split(' '));
  return {
    encrypted: true,
    async stat() {
      const [, count, size] = (await session.command('STAT')).trim().split(' ');
      return { count: Number(count), size: Number(size) };
    },
    async uidl() {
      return rows(await session.command('UIDL', true)).map(([n, uidl]) => ({ number: Number(n), uidl: uidl! }));
    },
    async list() {
      return rows(await session.command('LIST', true)).map(([n, size]) => ({ number: Number(n), size: Number(size) }));
    },
    async top(n, lines = 0) {
      return body(await session.command(`TOP ${n} ${lines}`, true));
    },
    async retr(n) {
      return Readable.from([body(await session.command(`RETR ${n}`, true))]);
    },
    async dele(n) {
      await session.command(`DELE ${n}`);
    },
    async quit() {
      await session.command('QUIT');
      session.close();
    },
    close: () => session.close(),
  };
}
